import Allocation
import Foundation
import TestSupport
import Testing

@testable import Console

/// The `P` panel: the projection of the selected batch's SKU as a chart, its words, its keys and its live
/// redraw, on the demo data set of README's story.
@Suite struct ProjectionScreenTests {
    /// The demo data set, with FLOOR-LAMP's 300-unit order waiting and a batch of it 5 days late.
    static func story() throws -> ReadmeStory {
        try ReadmeStory(
            setup: ReadmeStory.demo() + [
                .allocate(Allocate(orderid: "ORD-9001", sku: "FLOOR-LAMP", qty: 300)),
                .createBatch(
                    CreateBatch(ref: "B-9001", sku: "FLOOR-LAMP", qty: 10, eta: ReadmeStory.today.adding(days: -5))),
            ])
    }

    /// The board searched for FLOOR-LAMP, then `P`.
    static func openProjection(_ app: ConsoleApp) {
        app.press(.character("/"))
        app.type("floor-lamp")
        app.press(.enter, .character("P"))
    }

    @Test func readmeShowsTheProjectionAt80x24And160x40() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let narrow = story.console()
        Self.openProjection(narrow)
        try ReadmeScreensTests.expect("Projection (80×24)", is: narrow.frame)
        let wide = story.console(width: 160, height: 40)
        Self.openProjection(wide)
        try ReadmeScreensTests.expect("Projection (160×40)", is: wide.frame)
    }

    @Test func theWordsSayWhatTheChartShowsAndTodayAndLateAreMarkedInWords() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        Self.openProjection(app)
        let text = app.frame.joined(separator: "\n")
        #expect(text.contains("Projection: FLOOR-LAMP"))
        #expect(text.contains("Waiting lines (300 units) are not covered by any batch due by 2026-12-16;"))
        #expect(text.contains("▲today"))
        #expect(text.contains("!late"))
        #expect(text.contains("! 2026-11-20 B-9001 x10 late 5d"))
        #expect(text.contains("2026-12-05 B-1015 x40, 0 allocated"))
        #expect(text.contains("ORD-9001 x300 waiting <1m"))
    }

    @Test func withoutUTF8TheChartIsASCII() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        Self.openProjection(app)
        var canvas = Canvas(width: 80, height: 24, glyphs: .ascii)
        app.state.render(into: &canvas)
        let ascii = canvas.text.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(ascii, "\(canvas.text)")
        #expect(canvas.text.contains("# available  = allocated  x waiting short  ? late  ^ today, arrival"))
        #expect(canvas.text.contains("^today"))
    }

    @Test func aTerminalTooSmallForTheChartSaysSo() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console(width: 40, height: 10)
        Self.openProjection(app)
        #expect(app.frame[1].hasPrefix("make the terminal bigger"), "\(app.frame)")
    }

    @Test func escapeAndQCloseItWithoutQuitting() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        for key in [Key.escape, .character("q")] {
            Self.openProjection(app)
            #expect(app.frame[1].contains("Projection: FLOOR-LAMP"))
            let reaction = app.take(key)
            if case .quit = reaction { Issue.record("\(key.label) quit the console") }
            #expect(!app.frame.joined().contains("Projection:"))
        }
    }

    /// Another process's batch reaches the open panel at the next reload: its arrival, and the waiting line
    /// it lets the rules place.
    @Test func itRedrawsWithNewData() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        Self.openProjection(app)
        try story.bus.handle(
            .createBatch(
                CreateBatch(ref: "B-9002", sku: "FLOOR-LAMP", qty: 100, eta: ReadmeStory.today.adding(days: 7))))
        app.reload(all: true, follow: true)
        let text = app.frame.joined(separator: "\n")
        #expect(text.contains("▲12-02"), "\(text)")
        #expect(text.contains("No line waits;"), "\(text)")
        #expect(text.contains("no line waits"), "\(text)")
    }

    @Test func theMonitorOpensItToo() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let monitor = story.console(readOnly: true)
        Self.openProjection(monitor)
        #expect(monitor.frame.joined(separator: "\n").contains("Projection: FLOOR-LAMP"))
    }
}

extension ProjectionScreenTests {
    @Test func theAllocationsOpenItForTheSelectedLinesSKUAndTheMonitorFromItsLog() throws {
        let story = try Self.story()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        app.press(.character("2"), .character("P"))
        #expect(app.frame[1].contains("Projection: FLOOR-LAMP"), "\(app.frame.joined(separator: "\n"))")
        let monitor = story.console(readOnly: true)
        monitor.press(.tab, .character("P"))
        #expect(monitor.frame.joined(separator: "\n").contains("Projection: "))
    }
}
