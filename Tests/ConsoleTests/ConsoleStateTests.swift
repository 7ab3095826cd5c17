import Testing

@testable import Allocation
@testable import Console

extension Reaction {
    /// The case and its arguments as text, for comparing: a form holds closures, so reactions are not `Equatable`.
    var text: String { String(describing: self) }

    /// The command of a `send`, nil for any other reaction.
    var sent: Command? {
        guard case .send(let command) = self else { return nil }
        return command
    }
}

/// Keys change the state and ask the loop for reactions; no terminal and no database.
@Suite struct ConsoleStateTests {
    @Test func monitorRefusesMutatingKeysSayingReadOnly() {
        var state = ConsoleState.monitor(database: "stock.sqlite", today: RenderingTests.today)
        state.resize(width: 80, height: 24)
        for key in "abcd" {
            #expect(state.handle(.character(key)).text == "redraw")
            #expect(state.overlay == nil)
            #expect(state.status.message?.hasSuffix("read-only monitor") == true)
        }
    }

    @Test func formChecksFieldsAsTheyAreTyped() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("a"))
        for key in "o-1" { _ = state.handle(.character(key)) }
        _ = state.handle(.enter)
        _ = state.handle(.enter)
        for key in "1x" { _ = state.handle(.character(key)) }
        let text = RenderingTests.render(state).text
        #expect(text.contains("! qty must be a whole number, got \"1x\""))
        _ = state.handle(.backspace)
        #expect(!RenderingTests.render(state).text.contains("! qty"))
    }

    @Test func formSubmitsTheCommandOnTheLastEnterLikeAScanner() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("a"))
        var reactions: [Reaction] = []
        for key in "o-9" { reactions.append(state.handle(.character(key))) }
        reactions.append(state.handle(.enter))
        reactions.append(state.handle(.enter))
        for key in "5" { reactions.append(state.handle(.character(key))) }
        reactions.append(state.handle(.enter))
        #expect(reactions.last?.sent == .allocate(Allocate(orderid: "o-9", sku: "RED-LAMP", qty: 5)))
        #expect(reactions.dropLast().allSatisfy { $0.sent == nil })
    }

    @Test func aFormTooBigForTheTerminalTakesNoKeyButEsc() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("a"))
        state.resize(width: 28, height: 10)
        #expect(RenderingTests.render(state).text.contains("make the terminal bigger"))
        var reactions: [Reaction] = []
        for key in "o-9" { reactions.append(state.handle(.character(key))) }
        reactions.append(state.handle(.enter))
        reactions.append(state.handle(.enter))
        reactions.append(state.handle(.character("5")))
        reactions.append(state.handle(.enter))
        #expect(reactions.allSatisfy { $0.sent == nil })
        #expect(state.status.message == Form.tooSmall)
        state.resize(width: 80, height: 24)
        let fields: [String]? =
            if case .form(let form) = state.overlay { form.entry.fields.map(\.text) } else { nil }
        #expect(fields == ["", "RED-LAMP", ""], "the form stays open, untouched")
        state.resize(width: 28, height: 10)
        _ = state.handle(.escape)
        #expect(state.overlay == nil)
    }

    @Test func refusalKeepsTheFormOpenWithTheCoresMessage() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("c"))
        state.commandRefused("Invalid sku NOPE")
        let text = RenderingTests.render(state).text
        #expect(text.contains("Refused: Invalid sku NOPE"))
        #expect(text.contains("Change quantity"))
        _ = state.handle(.escape)
        #expect(state.overlay == nil)
    }

    @Test func changeQuantityNoteFollowsTheReloadedRow() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("c"))
        #expect(RenderingTests.render(state).text.contains("B-LAMP-01 (RED-LAMP): 100 purchased, 30 allocated"))
        state.batches.rows = state.batches.rows.map { row in
            row.reference == "B-LAMP-01"
                ? BatchRow(reference: row.reference, sku: row.sku, eta: row.eta, purchased: 80, allocated: 35) : row
        }
        state.refreshFormNote()
        let text = RenderingTests.render(state).text
        #expect(text.contains("B-LAMP-01 (RED-LAMP): 80 purchased, 35 allocated"), "\(text)")
    }

    @Test func tabAndNumbersSwitchScreens() {
        var state = RenderingTests.console(width: 80, height: 24)
        #expect(state.handle(.tab).text == "reload(all: false)")
        #expect(state.page == .allocations)
        _ = state.handle(.character("3"))
        #expect(state.page == .events)
        _ = state.handle(.tab)
        #expect(state.page == .batches, "Tab wraps around")
        _ = state.handle(.backTab)
        #expect(state.page == .events)
        _ = state.handle(.backTab)
        #expect(state.page == .allocations)
        #expect(state.handle(.character("q")).text == "quit")
    }

    @Test func quitIsRefusedNowhereButTypedIntoForms() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("b"))
        #expect(state.handle(.character("q")).text == "redraw")
        #expect(RenderingTests.render(state).text.contains("Reference:     q_"))
    }
}
