import Allocation
import Foundation
import Testing

@testable import Console

/// Messages stay readable: refusals are held against the next key, long ones get lines of their own, and `M`
/// lists the last ones in full; the status line counts in the singular where it must.
@Suite struct StatusMessageTests {
    static func quits(_ reaction: Reaction) -> Bool {
        if case .quit = reaction { return true }
        return false
    }

    static let removed = "database file stock.sqlite was removed or replaced; quit and reopen"

    @Test func aRefusalYoungerThanFourSecondsSurvivesTheNextKeyAndAnOlderOneGoes() {
        var state = RenderingTests.console(width: 80, height: 24)
        let now = Clock.system.now()
        state.status.say("database busy: held too long", style: .error, now: now)
        _ = state.handle(.character("j"))
        #expect(state.status.message == "database busy: held too long")
        state.status.say("database busy: held too long", style: .error, now: now - StatusBar.holdSeconds)
        _ = state.handle(.character("j"))
        #expect(state.status.message == nil)
        state.status.say("live refresh resumed", now: now)
        _ = state.handle(.character("j"))
        #expect(state.status.message == nil, "a plain message goes at the next key")
    }

    @Test func aNewMessageReplacesAHeldRefusal() {
        var state = RenderingTests.console(width: 80, height: 24)
        state.status.say("database busy: held too long", style: .error)
        _ = state.handle(.character("p"))
        #expect(state.status.message == "paused: data frozen, press p to resume")
    }

    @Test func aMessageTooLongForTheStatusLineIsDrawnWholeAboveItAt80Columns() {
        var state = RenderingTests.console(width: 80, height: 24)
        let long = StatusMessageTests.removed + "; the last command was not applied and nothing was written to it"
        state.status.say(long, style: .error)
        let lines = RenderingTests.render(state).text.components(separatedBy: "\n")
        let above = lines[19...21].map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(above.count == 2, "\(lines.joined(separator: "\n"))")
        #expect(above.joined(separator: " ") == long, "\(lines.joined(separator: "\n"))")
        #expect(lines[22].contains("stock.sqlite │ OPERATOR"), "the status line keeps its information")
    }

    @Test func aMessageLongerThanThreeLinesIsCutWithAnEllipsis() {
        var state = RenderingTests.console(width: 40, height: 12)
        state.status.say(String(repeating: "word ", count: 60), style: .error)
        let lines = RenderingTests.render(state).text.components(separatedBy: "\n")
        #expect(lines[7].hasPrefix(" word") && lines[9].hasSuffix("…"), "\(lines.joined(separator: "\n"))")
        #expect(!lines[6].contains("word"))
    }

    @Test func mListsTheLastMessagesInFullNewestFirstWithTheirTime() throws {
        var state = RenderingTests.console(width: 80, height: 24)
        let tokyo = try LocalTimeTests.zone("Asia/Tokyo")
        state.zone = tokyo
        let now = Clock.system.now()
        state.status.say("allocated o-1 RED-LAMP x2 to B-LAMP-01", style: .ok, now: now - 60)
        state.status.say(StatusMessageTests.removed, style: .error, now: now)
        state.status.say("waiting for the database… 0.3 s (Esc gives up)", style: .alert, remember: false)
        state.status.say(StatusMessageTests.removed, style: .error, now: now)
        #expect(state.status.history.count == 2, "progress is not kept and a repeat is kept once")
        _ = state.handle(.character("M"))
        let text = RenderingTests.render(state).text
        func clock(_ seconds: Double) -> String { ShownTime(seconds: seconds, in: tokyo).clock }
        let newest = try #require(text.range(of: clock(now) + "  database file stock.sqlite"), "\(text)")
        let older = try #require(text.range(of: clock(now - 60) + "  allocated o-1"), "\(text)")
        #expect(newest.lowerBound < older.lowerBound, "\(text)")
        #expect(text.contains("quit and reopen"), "the message is whole, wrapped:\n\(text)")
        #expect(StatusMessageTests.quits(state.handle(.character("q"))))
    }

    @Test func theHistoryKeepsTheLast50Messages() {
        var status = StatusBar()
        for number in 1...60 { status.say("message \(number)") }
        #expect(status.history.count == StatusBar.historyLimit)
        #expect(status.history.first?.text == "message 11")
    }

    @Test func qInsideTheHelpOverlayQuits() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("?"))
        #expect(StatusMessageTests.quits(state.handle(.character("q"))))
    }

    @Test func theStatusLineCountsOneBatchAndOneSKUInTheSingular() {
        var state = RenderingTests.console(width: 100, height: 24)
        state.status.batches = 1
        state.status.skus = 1
        #expect(RenderingTests.render(state).text.contains("1 batch · 1 SKU │"))
        state.status.batches = 2
        state.status.skus = 2
        #expect(RenderingTests.render(state).text.contains("2 batches · 2 SKUs │"))
    }

    /// On a server the status line names the host and the standby's state; when it is too narrow for all, the
    /// host goes first, then the counts, so an 80-column wall monitor still shows the standby's lag.
    @Test(arguments: [
        (132, " stock@db2:5433 · standby, lag 0.2 s │ MONITOR read-only │ 7 batches · 3 SKUs │ last change 10:15 UTC"),
        (95, " stock · standby, lag 0.2 s │ MONITOR read-only │ 7 batches · 3 SKUs │ last change 10:15 UTC"),
        (72, " stock · standby, lag 0.2 s │ MONITOR read-only │ last change 10:15 UTC"),
    ])
    func theHostGivesWayFirstThenTheCounts(width: Int, line: String) {
        useUTF8Locale()
        var bar = StatusBar()
        bar.databaseLabel = "stock"
        bar.databaseHost = "db2:5433"
        bar.serverNote = "standby, lag 0.2 s"
        bar.batches = 7
        bar.skus = 3
        bar.lastChange = "10:15 UTC"
        var canvas = Canvas(width: width, height: 2)
        bar.render(into: &canvas, y: 0, hints: [], readOnly: true, paused: false)
        #expect(canvas.line(0).trimmingCharacters(in: .whitespaces) == line.trimmingCharacters(in: .whitespaces))
    }
}
