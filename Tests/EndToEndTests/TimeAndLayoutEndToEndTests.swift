import Allocation
import Foundation
import TestSupport
import Testing

/// Local time, the monitor's layout on real references, terminals that cannot be drawn on, and the aligned text of
/// `stock events`, through the real binary.
@Suite(.serialized) struct TimeAndLayoutEndToEndTests {
    /// The time of day of `timestamp` in Tokyo (UTC+9, no daylight saving), worked out without `TZ`.
    func tokyoClock(_ timestamp: String) throws -> String {
        ShownTime(seconds: try #require(Clock.seconds(timestamp: timestamp)) + 9 * 3600, in: .utc).clock
    }

    @Test func theConsoleShowsLocalTimeNamedByItsZone() throws {
        let run = try ConsoleRun(environment: ["TZ": "Asia/Tokyo"])
        defer { run.session.kill() }
        let newest = try #require(try Views.events(from: Int64.max, newer: false, limit: 1, in: run.db.database).first)
        let clock = try tokyoClock(newest.at)
        let board = try run.session.waitFor("last change")
        #expect(board.contains("last change \(clock) JST"), "\(board)")
        try run.session.send("3")
        let log = try run.session.waitFor("TIME JST")
        #expect(run.line(containing: "OUT OF STOCK", in: log).contains(" \(clock.prefix(5))"), "\(log)")
    }

    @Test func theUTCSettingShowsUTC() throws {
        let run = try ConsoleRun(environment: ["TZ": "Asia/Tokyo", "STOCK_TIME": "utc"])
        defer { run.session.kill() }
        let newest = try #require(try Views.events(from: Int64.max, newer: false, limit: 1, in: run.db.database).first)
        let clock = try #require(newest.shownTime(in: .utc)).clock
        let board = try run.session.waitFor("last change")
        #expect(board.contains("last change \(clock) UTC"), "\(board)")
    }

    @Test func theMonitorAt120ColumnsCutsNoReferenceSKUOrBatchOfAnEvent() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("demo.sqlite").path
        #expect(try StockProcess.run(["--db", path, "init", "--demo"]).status == 0)
        let run = try ConsoleRun("monitor", width: 120, height: 40, database: path)
        defer { run.session.kill() }
        let screen = try run.session.waitFor("ORD-5120")
        #expect(!screen.contains("REFEREN…"), "\(screen)")
        #expect(!screen.contains("…"), "nothing is cut: \(screen)")
        #expect(run.line(containing: "ORD-5120", in: screen).contains("SIDEBOARD-WALNUT ×2 → B-1070"), "\(screen)")
        #expect(screen.contains("REFERENCE"))
    }

    @Test(arguments: ["dumb", "no-such-terminal-type"])
    func aTerminalThatCannotMoveTheCursorIsRefusedBeforeAnythingIsDrawn(term: String) throws {
        let db = try ConsoleDatabase()
        let session = try TmuxSession(
            command: "env TERM=\(term) '\(StockProcess.executable)' --db '\(db.path)'; echo EXIT=$?; sleep 600")
        defer { session.kill() }
        let screen = try session.waitFor("EXIT=")
        let unwrapped = screen.replacingOccurrences(of: "\n", with: "")
        #expect(unwrapped.contains("terminal type \"\(term)\""), "\(screen)")
        #expect(unwrapped.contains("set TERM to your terminal"), "\(screen)")
        if term == "dumb" { #expect(unwrapped.contains("cannot move the cursor"), "\(screen)") }
        #expect(screen.contains("EXIT=2"))
        #expect(!screen.contains("stock  1 Batches"), "nothing was drawn: \(screen)")
    }

    @Test func eventsTextIsAlignedInLocalTimeAndTheUTCSettingShowsUTC() throws {
        let cli = try CommandLineFixture()
        let tokyo = cli.environment.merging(["TZ": "Asia/Tokyo"]) { $1 }
        @discardableResult
        func stock(_ arguments: [String], _ environment: [String: String]) throws -> ProcessResult {
            try StockProcess.run(["--db", cli.path] + arguments, environment: environment)
        }
        try stock(["--user", "山田", "add-batch", "B-東京-1", "ランプ", "10"], tokyo)
        for order in 1...10 { try stock(["allocate", "o-\(order)", "ランプ", "1"], tokyo) }
        try stock(["change-quantity", "B-東京-1", "12"], tokyo)
        let lines = try stock(["events"], tokyo).stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 12)
        #expect(lines.first?.hasPrefix(" 1  2026-01-15 21:00:00 JST  山田  BatchCreated  ") == true, "\(lines)")
        /// The display column where `text` starts: the CJK characters of this test take two cells.
        func column(of text: String, in line: String) -> Int? {
            line.range(of: text).map { range in
                line[..<range.lowerBound].unicodeScalars.reduce(0) {
                    $0 + ((0x2E80...0x9FFF).contains($1.value) ? 2 : 1)
                }
            }
        }
        let kinds = lines.map { line in Event.Kind.allCases.compactMap { column(of: $0.rawValue, in: line) }.min() }
        #expect(Set(kinds).count == 1, "\(lines)")
        let details = lines.map { column(of: "{", in: $0) }
        #expect(Set(details).count == 1, "\(lines)")
        let utc = try stock(["events", "--since", "11"], cli.environment.merging(["STOCK_TIME": "utc"]) { $1 })
        #expect(utc.stdout.hasPrefix("12  2026-01-15 12:00:00 UTC  "), "\(utc.stdout)")
        let json = try stock(["events", "--json", "--since", "11"], tokyo)
        #expect(json.stdout.contains(#""at":"2026-01-15T12:00:00.000Z""#), "stored and JSON times stay UTC")
    }
}
