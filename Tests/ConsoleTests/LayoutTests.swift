import Testing

@testable import Allocation
@testable import Console

/// Where text must be cut, the least important goes first: the monitor's layout, the board's columns and an
/// event's details.
@Suite struct LayoutTests {
    /// The widest reference and SKU of the demo data set (`B-1070`, `SIDEBOARD-WALNUT`).
    static let demo = (reference: 6, sku: 16)

    func monitor(width: Int, widest: (reference: Int, sku: Int)) -> MonitorScreen {
        var monitor = MonitorScreen()
        monitor.widest = widest
        var board = BatchesScreen()
        var log = EventsScreen()
        monitor.resize(width: width, height: 37, board: &board, log: &log)
        return monitor
    }

    @Test func theMonitorIsSideBySideOnlyWhenTheWholeBoardAndAUsefulLogFit() {
        #expect(!monitor(width: 120, widest: LayoutTests.demo).sideBySide)
        #expect(monitor(width: 137, widest: (6, 8)).sideBySide, "shorter SKUs leave room for the log")
        let wide = monitor(width: 160, widest: LayoutTests.demo)
        #expect(wide.sideBySide)
        #expect(wide.boardArea.width == 88)
        #expect(wide.logArea.width == 71)
        let tight = monitor(width: 145, widest: LayoutTests.demo)
        #expect(tight.sideBySide)
        #expect(tight.logArea.width == MonitorScreen.logMinimum, "the board keeps what it needs, the log the rest")
        let columns = BatchesScreen.Columns(width: tight.boardArea.width, reference: 6, sku: 16)
        #expect(columns.reference >= 9 && columns.sku >= 16)
        #expect(monitor(width: 200, widest: (38, 11)).sideBySide)
        #expect(!monitor(width: 132, widest: (38, 11)).sideBySide)
    }

    @Test func aWiderReferenceOnTheBoardChangesTheLayoutOnceAndItStays() {
        var monitor = MonitorScreen()
        var board = BatchesScreen()
        var log = EventsScreen()
        monitor.resize(width: 140, height: 37, board: &board, log: &log)
        #expect(monitor.sideBySide)
        board.rows = [
            BatchRow(reference: String(repeating: "R", count: 38), sku: "SKU", eta: nil, purchased: 1, allocated: 0)
        ]
        #expect(monitor.fit(board: &board, log: &log))
        #expect(!monitor.sideBySide)
        #expect(board.list.pageSize == monitor.boardArea.height - 1, "the board was fitted to its new area")
        board.rows = []
        #expect(!monitor.fit(board: &board, log: &log), "the widest seen is kept")
        #expect(!monitor.sideBySide)
    }

    @Test func boardColumnsGiveReferencesAndSKUsTheirWidthBeforeTheGauge() {
        let roomy = BatchesScreen.Columns(width: 80, reference: 6, sku: 16)
        #expect(roomy.reference >= 9 && roomy.sku >= 16)
        #expect(roomy.reference + roomy.sku + roomy.gauge <= 80 - BatchesScreen.Columns.fixedWidth)
        let tight = BatchesScreen.Columns(width: 80, reference: 38, sku: 11)
        #expect(tight.sku == 11, "the narrower column keeps its width")
        #expect(tight.gauge == BatchesScreen.Columns.gauge.least)
        #expect(tight.reference == 80 - BatchesScreen.Columns.fixedWidth - 11 - tight.gauge)
        #expect(BatchesScreen.Columns(width: 60, reference: 6, sku: 16).compact)
    }

    @Test func eventDetailsLeaveOutWordsBeforeIdentifiersAndKeepTheBatchLongest() {
        let allocated = EventRow(
            id: 1, at: "", event: .allocated(orderid: "ORD-5120", sku: "SIDEBOARD-WALNUT", qty: 2, batchref: "B-1070"))
        #expect(
            EventsScreen.details(of: allocated, glyphs: .unicode, room: 80) == "ORD-5120 SIDEBOARD-WALNUT ×2 → B-1070")
        #expect(
            EventsScreen.details(of: allocated, glyphs: .unicode, room: 35) == "ORD-5120 SIDEBOARD-WALNUT ×2 B-1070")
        #expect(EventsScreen.details(of: allocated, glyphs: .unicode, room: 34) == "ORD-5120 SIDEBOARD-WALNUT B-1070")
        #expect(EventsScreen.details(of: allocated, glyphs: .unicode, room: 31) == "ORD-5120 B-1070")
        #expect(EventsScreen.details(of: allocated, glyphs: .unicode, room: 8) == "B-1070")
        let created = EventRow(
            id: 2, at: "",
            event: .batchCreated(ref: "B-VERY-LONG-REFERENCE-NUMBER-2026-0001", sku: "SMALL-TABLE", qty: 5, eta: nil))
        #expect(
            EventsScreen.details(of: created, glyphs: .unicode, room: 53)
                == "B-VERY-LONG-REFERENCE-NUMBER-2026-0001 SMALL-TABLE ×5")
        let received = EventRow(id: 3, at: "", event: .batchReceived(ref: "B-1", qty: 30))
        #expect(EventsScreen.details(of: received, glyphs: .unicode, room: 10) == "B-1 30")
    }
}
