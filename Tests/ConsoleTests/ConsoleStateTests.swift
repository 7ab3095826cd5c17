import Testing

@testable import Allocation
@testable import Console

/// Keys change the state and ask the loop for effects; no terminal and no database.
@Suite struct ConsoleStateTests {
    @Test func monitorRefusesMutatingKeysSayingReadOnly() {
        var state = RenderingTests.console(width: 80, height: 24)
        state.status.readOnly = true
        state.screens = [MonitorScreen()]
        for key in "abcd" {
            #expect(state.handle(.character(key)) == .redraw)
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
        var effects: [ConsoleState.Effect] = []
        for key in "o-9" { effects.append(state.handle(.character(key))) }
        effects.append(state.handle(.enter))
        effects.append(state.handle(.enter))
        for key in "5" { effects.append(state.handle(.character(key))) }
        effects.append(state.handle(.enter))
        #expect(effects.last == .send(.allocate(Allocate(orderid: "o-9", sku: "RED-LAMP", qty: 5))))
        #expect(!effects.dropLast().contains { if case .send = $0 { true } else { false } })
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
        guard var board = state.screens[0] as? BatchesScreen else { return }
        board.rows = board.rows.map { row in
            guard row.reference == "B-LAMP-01" else { return row }
            return BatchRow(reference: row.reference, sku: row.sku, eta: row.eta, purchased: 80, allocated: 35)
        }
        state.screens[0] = board
        state.refreshFormNote()
        let text = RenderingTests.render(state).text
        #expect(text.contains("B-LAMP-01 (RED-LAMP): 80 purchased, 35 allocated"), "\(text)")
    }

    @Test func tabAndNumbersSwitchScreens() {
        var state = RenderingTests.console(width: 80, height: 24)
        #expect(state.handle(.tab) == .reload(all: false))
        #expect(state.current == 1)
        _ = state.handle(.character("3"))
        #expect(state.current == 2)
        _ = state.handle(.backTab)
        #expect(state.current == 1)
        #expect(state.handle(.character("q")) == .quit)
    }

    @Test func quitIsRefusedNowhereButTypedIntoForms() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("b"))
        #expect(state.handle(.character("q")) == .redraw)
        #expect(RenderingTests.render(state).text.contains("Reference:     q_"))
    }
}
