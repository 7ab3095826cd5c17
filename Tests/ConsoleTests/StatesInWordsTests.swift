import Testing

@testable import Allocation
@testable import Console

/// Colour is never the only carrier of meaning: every row drawn in the late or alert style says why in words
/// (`late`, `waiting`, `OUT OF STOCK`, `no batch has room`), so a screen without colour (`--color never`,
/// `NO_COLOR`, a monochrome terminal) or a reader who cannot tell the colours apart loses nothing.
@Suite struct StatesInWordsTests {
    static let words = ["late", "waiting", "OUT OF STOCK", "no batch has room"]

    /// The rows of `canvas` with a cell in a style that colours a state, each with its text.
    static func markedRows(_ canvas: Canvas) -> [String] {
        (0..<canvas.height).filter { y in
            (0..<canvas.width).contains { x in [.late, .alert].contains(canvas[x: x, y: y].style) }
        }.map { canvas.line($0) }
    }

    static func expectWords(_ canvas: Canvas, _ screen: String) {
        let rows = markedRows(canvas)
        #expect(!rows.isEmpty, "\(screen) has a late or waiting row: \(canvas.text)")
        for row in rows {
            #expect(words.contains { row.contains($0) }, "\(screen): \(row)")
        }
    }

    @Test(arguments: [(80, 24), (132, 40), (40, 10)])
    func theBoardSaysLateAndWaiting(width: Int, height: Int) {
        let canvas = RenderingTests.render(RenderingTests.console(width: width, height: height))
        Self.expectWords(canvas, "board \(width)x\(height)")
    }

    @Test func theAllocationsAndTheEventLogSayWaitingAndOutOfStock() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("2"))
        Self.expectWords(RenderingTests.render(state), "allocations")
        _ = state.handle(.character("3"))
        // Off the newest event, the out-of-stock one, whose row the cursor draws in reverse video.
        state.events.list.cursor = 1
        Self.expectWords(RenderingTests.render(state), "event log")
    }

    @Test func theAtRiskPanelSaysWhyEachLineIsAtRisk() {
        let today = RenderingTests.today
        let late = AtRiskRow(
            line: Views.LineRow(id: 1, orderid: "o-1", sku: "TV", qty: 2, status: .allocated(batchref: "B-1")),
            status: .late, batchref: "B-1", eta: today.adding(days: -3), alternative: nil, alternativeEta: nil)
        let waiting = AtRiskRow(
            line: Views.LineRow(
                id: 2, orderid: "o-2", sku: "TV", qty: 1, status: .waiting(since: "2026-11-25T10:00:00Z")),
            status: .waiting, batchref: nil, eta: nil, alternative: "B-2", alternativeEta: nil)
        #expect(AtRiskScreen.cells(of: late, today: today)[3] == "late 3d")
        #expect(AtRiskScreen.cells(of: late, today: today)[5] == "no batch has room")
        #expect(AtRiskScreen.cells(of: waiting, today: today)[3] == "waiting")
        var screen = AtRiskScreen()
        screen.rows = [late, waiting]
        var canvas = Canvas(width: 100, height: 12)
        screen.render(into: &canvas, area: Area(x: 0, y: 0, width: 100, height: 12), today: today)
        Self.expectWords(canvas, "at risk")
    }
}
