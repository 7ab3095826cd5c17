import Testing

@testable import Allocation
@testable import Console

/// The lifecycle on screen: units waiting per SKU, waiting and shipped lines, the history panel, the quantity-change
/// preview and the event log's operator column.
@Suite struct LifecycleRenderingTests {
    @Test func boardHeadsEachSKUWithTheUnitsWaiting() throws {
        let canvas = RenderingTests.render(RenderingTests.console(width: 80, height: 24))
        let y = (0..<canvas.height).first { canvas.line($0).contains("─ OAK-TABLE ─") } ?? 0
        #expect(canvas.line(y).contains("20 allocated · 0 available · 5 waiting"), "\(canvas.text)")
        let x = try #require(
            (0..<canvas.width).first { canvas[x: $0, y: y].text == "5" && canvas[x: $0 + 2, y: y].text == "w" })
        #expect(canvas[x: x, y: y].style == .late)
        let red = (0..<canvas.height).first { canvas.line($0).contains("─ RED-LAMP ─") } ?? 0
        #expect(!canvas.line(red).contains("waiting"), "no waiting units, no mention")
    }

    @Test func allocationsShowWaitingAgeAndGreyShippedLines() throws {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("2"))
        let canvas = RenderingTests.render(state)
        let waiting = try #require((0..<canvas.height).first { canvas.line($0).contains("o-1004") })
        #expect(canvas.line(waiting).hasSuffix("5 waiting 2h"), "\(canvas.text)")
        let shipped = try #require((0..<canvas.height).first { canvas.line($0).contains("o-0999") })
        #expect(canvas.line(shipped).hasSuffix("4 shipped from B-LAMP-01"))
        #expect(canvas[x: 3, y: shipped].style == .selected, "the cursor is on the newest line")
        state.allocations.list.cursor = 2
        let moved = RenderingTests.render(state)
        #expect(moved[x: 3, y: shipped].style == .dim)
        #expect(moved[x: 3, y: waiting].style == .normal)
    }

    @Test(arguments: [("<1m", 30.0), ("5m", 300.0), ("2h", 7_300.0), ("3d", 3 * 86_400.0 + 5)])
    func waitingAges(expected: String, seconds: Double) {
        let since = "2026-11-25T10:00:00.000Z"
        let start = Double(RenderingTests.today.daysSinceEpoch * 86_400 + 10 * 3600)
        #expect(AllocationsScreen.age(since: since, now: start + seconds) == expected)
        #expect(AllocationsScreen.age(since: "garbled", now: start) == "garbled")
    }

    @Test func historyPanelListsTheEventsInOrderWithTimeOperatorAndDetails() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("2"))
        #expect(state.handle(.enter).text == "reload(all: false)")
        guard case .history(var panel) = state.overlay else {
            Issue.record("Enter opened no history panel")
            return
        }
        #expect(panel.subject == .order("o-0999"))
        panel.rows = [
            EventRow(
                id: 7, at: "2026-11-25T09:00:00.000Z",
                event: .allocated(orderid: "o-0999", sku: "RED-LAMP", qty: 4, batchref: "B-LAMP-01"), operator: "ana"),
            EventRow(
                id: 9, at: "2026-11-25T11:00:00.000Z",
                event: .shipped(orderid: "o-0999", sku: "RED-LAMP", qty: 4, batchref: "B-LAMP-01"), operator: "bo"),
        ]
        state.overlay = .history(panel)
        let text = RenderingTests.render(state).text
        assertSnapshot(text, named: "history-80x24")
        #expect(text.contains("Order o-0999 and its history"))
        #expect(text.contains("09:00:00 UTC ana allocated    o-0999 RED-LAMP ×4 → B-LAMP-01"), "\(text)")
        #expect(text.contains("11:00:00 UTC bo  shipped      o-0999 RED-LAMP ×4 from B-LAMP-01"), "\(text)")
        #expect(state.handle(.escape).text == "redraw")
        #expect(state.overlay == nil)
    }

    @Test func historyPanelInATerminalTooLowSaysSoInsteadOfCoveringItsFrame() {
        useUTF8Locale()
        var panel = HistoryPanel(subject: .batch("B-1"))
        panel.rows = (1...16).map {
            EventRow(id: Int64($0), at: "t", event: .batchQuantityChanged(ref: "B-1", qty: $0))
        }
        for height in 1...3 {
            panel.visible = HistoryPanel.rowsThatFit(height: height)
            var canvas = Canvas(width: 40, height: height + 3)
            panel.render(
                into: &canvas, area: Area(x: 0, y: 1, width: 40, height: height),
                context: RenderContext(today: RenderingTests.today))
            #expect(!canvas.text.contains("16-15"), "\(canvas.text)")
            #expect(canvas.line(1).hasPrefix("make the terminal taller"), "\(canvas.text)")
        }
        panel.visible = HistoryPanel.rowsThatFit(height: 4)
        var canvas = Canvas(width: 40, height: 7)
        panel.render(
            into: &canvas, area: Area(x: 0, y: 1, width: 40, height: 4),
            context: RenderContext(today: RenderingTests.today))
        #expect(canvas.text.contains("16-16 of 16"), "\(canvas.text)")
    }

    @Test func helpInATerminalTooLowSaysSoInsteadOfCoveringItsFrame() {
        useUTF8Locale()
        let help = HelpOverlay(title: "Batches", keyMap: .batches, readOnly: false)
        for height in 1...3 {
            var canvas = Canvas(width: 40, height: height + 3)
            help.render(into: &canvas, area: Area(x: 0, y: 1, width: 40, height: height))
            #expect(canvas.line(1).hasPrefix("make the terminal taller"), "\(canvas.text)")
        }
        var canvas = Canvas(width: 40, height: 7)
        help.render(into: &canvas, area: Area(x: 0, y: 1, width: 40, height: 4))
        #expect(canvas.text.contains("allocate an order line"), "\(canvas.text)")
    }

    @Test func historyPanelScrollsAndFollowsTheNewestEvents() {
        var panel = HistoryPanel(subject: .batch("B-1"))
        panel.visible = 3
        panel.rows = (1...10).map {
            EventRow(id: Int64($0), at: "t", event: .batchQuantityChanged(ref: "B-1", qty: $0))
        }
        #expect(panel.start == 7, "the newest events show")
        _ = panel.handle(.character("k"))
        #expect(panel.start == 6)
        _ = panel.handle(.character("g"))
        #expect(panel.start == 0)
        _ = panel.handle(.pageDown)
        #expect(panel.start == 3)
        _ = panel.handle(.character("G"))
        panel.rows.append(EventRow(id: 11, at: "t", event: .batchQuantityChanged(ref: "B-1", qty: 11)))
        #expect(panel.start == 8, "at the end it follows new events")
        #expect(panel.handle(.character("x")).text == "none")
        #expect(panel.handle(.escape).text == "closeOverlay")
    }

    @Test func quantityChangeFormShowsThePreviewAndEnterConfirmsIt() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("c"))
        for key in "10" { _ = state.handle(.character(key)) }
        #expect(state.handle(.enter).text == "reload(all: false)", "the first Enter asks for the preview")
        guard case .form(var form) = state.overlay else {
            Issue.record("the form closed")
            return
        }
        #expect(form.previewRequest == .quantityChange(ChangeBatchQuantity(ref: "B-LAMP-01", qty: 10)))
        form.previewRequest = nil
        form.confirmation = Form.confirmation(
            of: QuantityChangePreview(
                reference: "B-LAMP-01", sku: "RED-LAMP", qty: 10, version: 7,
                moves: [
                    Move(orderid: "o-1001", sku: "RED-LAMP", qty: 30, from: "B-LAMP-01", to: "B-LAMP-02"),
                    Move(orderid: "o-1006", sku: "RED-LAMP", qty: 12, from: "B-LAMP-01", to: nil),
                ]))
        state.overlay = .form(form)
        let text = RenderingTests.render(state).text
        assertSnapshot(text, named: "changeQuantityPreview-80x24")
        #expect(text.contains("To 10: 2 lines leave B-LAMP-01:"))
        #expect(text.contains("o-1001 RED-LAMP x30 to B-LAMP-02"))
        #expect(text.contains("o-1006 RED-LAMP x12 waits (no batch has room)"))
        #expect(
            state.handle(.enter).sent
                == .changeBatchQuantity(ChangeBatchQuantity(ref: "B-LAMP-01", qty: 10, expectedVersion: 7)))
        _ = state.handle(.backspace)
        guard case .form(let edited) = state.overlay else {
            Issue.record("the form closed")
            return
        }
        #expect(edited.confirmation == nil, "editing drops the preview")
    }

    @Test func anOutdatedPreviewIsAskedForAgainAndSaidSo() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("c"))
        state.previewOutdated(ChangeBatchQuantity(ref: "B-LAMP-01", qty: 10, expectedVersion: 7), sku: "RED-LAMP")
        guard case .form(let form) = state.overlay else {
            Issue.record("the form closed")
            return
        }
        #expect(form.previewRequest == .quantityChange(ChangeBatchQuantity(ref: "B-LAMP-01", qty: 10)))
        #expect(form.confirmation == nil)
        #expect(state.status.messageStyle == .alert)
        #expect(state.status.message?.contains("changed by another process meanwhile") == true)
    }

    @Test func eventLogShowsTheOperatorWhereItFitsAndTheNewKinds() {
        var state = RenderingTests.console(width: 132, height: 24)
        state.events.rows =
            [
                EventRow(
                    id: 9, at: "2026-11-25T11:00:00.000Z",
                    event: .shipped(orderid: "o-0999", sku: "RED-LAMP", qty: 4, batchref: "B-LAMP-01"), operator: "bo"),
                EventRow(
                    id: 8, at: "2026-11-25T10:50:00.000Z", event: .batchReceived(ref: "B-LAMP-02", qty: 48),
                    operator: "bo"),
                EventRow(
                    id: 7, at: "2026-11-25T10:40:00.000Z",
                    event: .batchEtaChanged(ref: "B-CHAIR-9", eta: RenderingTests.today.adding(days: 20)),
                    operator: "ana"),
                EventRow(
                    id: 6, at: "2026-11-25T10:30:00.000Z",
                    event: .cancelled(orderid: "o-1005", sku: "OAK-TABLE", qty: 2), operator: "ana"),
                EventRow(
                    id: 5, at: "2026-11-25T10:20:00.000Z",
                    event: .deallocated(orderid: "o-1001", sku: "RED-LAMP", qty: 30, batchref: "B-LAMP-01"),
                    operator: "ana"),
            ] + RenderingTests.events
        _ = state.handle(.character("3"))
        let wide = RenderingTests.render(state).text
        assertSnapshot(wide, named: "events-132x24")
        #expect(wide.contains("# TIME UTC OPERATOR     EVENT        DETAILS"))
        #expect(wide.contains("9 11:00:00 bo           shipped      o-0999 RED-LAMP ×4 from B-LAMP-01"))
        #expect(wide.contains("received     B-LAMP-02 in the warehouse, 48"))
        #expect(wide.contains("eta changed  B-CHAIR-9 eta 2026-12-15"))
        #expect(wide.contains("cancelled    o-1005 OAK-TABLE ×2 no longer waits"))
        #expect(wide.contains("deallocated  o-1001 RED-LAMP ×30 from B-LAMP-01"))
        state.resize(width: 80, height: 24)
        #expect(!RenderingTests.render(state).text.contains("OPERATOR     EVENT"), "no room at 80 columns")
    }
}
