import Allocation
import Foundation
import TestSupport
import Testing

/// The `P` panel through the real binary in tmux: the projection of the selected batch's SKU at 80×24 and 160×40,
/// each compared with its recorded screen, and redrawn when another process commits.
extension ConsoleEndToEndTests {
    /// The demo data set as of 2026-11-25 (`stock init --demo`), FLOOR-LAMP's 300-unit order waiting and a batch of
    /// it 5 days late, as README's projection captures show; the console on it in a `width` × `height` pane with
    /// the board searched for FLOOR-LAMP.
    final class ProjectionRun {
        let cli: CommandLineFixture
        let session: TmuxSession
        /// The fixture's environment on README's day, as README's operator.
        let environment: [String: String]

        init(width: Int, height: Int) throws {
            cli = try CommandLineFixture(initialize: false)
            environment = cli.environment.merging(["STOCK_CLOCK": "2026-11-25", "STOCK_USER": "ana"]) { $1 }
            for arguments in [
                ["init", "--demo"], ["allocate", "ORD-9001", "FLOOR-LAMP", "300"],
                ["add-batch", "B-9001", "FLOOR-LAMP", "10", "--eta", "2026-11-20"],
            ] {
                let result = try StockProcess.run(["--db", cli.path] + arguments, environment: environment)
                try #require([0, 4].contains(result.status), "\(arguments): \(result.stderr)")
            }
            session = try TmuxSession(
                command: "'\(StockProcess.executable)' --db '\(cli.path)'; echo EXIT=$?; sleep 600", width: width,
                height: height, environment: environment)
            try session.waitFor("> B-")
            try session.send("/")
            try session.waitFor("Contains:")
            try session.type("floor-lamp")
            try session.send("Enter")
            try session.waitFor("> B-1012")
        }

        deinit { session.kill() }
    }

    /// The screen with the status line's first field, the database (a file name, or a server on PostgreSQL),
    /// written `DATABASE`.
    static func withoutDatabaseName(_ screen: String) -> String {
        screen.components(separatedBy: "\n").map { line in
            guard line.contains(" │ OPERATOR │ "), let bar = line.range(of: " │ ") else { return line }
            return " DATABASE" + line[bar.lowerBound...]
        }.joined(separator: "\n")
    }

    /// Compares `screen` with `Tests/ConsoleTests/Snapshots/<name>.txt`, where the console's screens are recorded.
    ///
    /// `RECORD_SNAPSHOTS=1` writes the file instead and fails the test saying so, so a recording run is never
    /// green; the next run without it compares.
    static func expectScreen(
        _ screen: String, recordedAs name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let file = repositoryRoot + "/Tests/ConsoleTests/Snapshots/\(name).txt"
        let text = screen.hasSuffix("\n") ? String(screen.dropLast()) : screen
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            do {
                try (text + "\n").write(toFile: file, atomically: true, encoding: .utf8)
                Issue.record(
                    "recorded \(name).txt; run again without RECORD_SNAPSHOTS to compare",
                    sourceLocation: sourceLocation)
            } catch {
                Issue.record("could not record \(file): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let recorded = try? String(contentsOfFile: file, encoding: .utf8) else {
            Issue.record("no snapshot \(file); record it with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
            return
        }
        let want = recorded.dropLast(recorded.hasSuffix("\n") ? 1 : 0).components(separatedBy: "\n")
        let got = text.components(separatedBy: "\n")
        let differing = (0..<max(want.count, got.count)).filter {
            (want.indices.contains($0) ? want[$0] : nil) != (got.indices.contains($0) ? got[$0] : nil)
        }
        #expect(
            differing.isEmpty, "tmux screen differs from \(name).txt in rows \(differing.map { $0 + 1 }):\n\(text)",
            sourceLocation: sourceLocation)
    }

    @Test func theProjectionAt80x24IsTheRecordedScreenAndRedrawsWhenAnotherProcessCommits() throws {
        let run = try ProjectionRun(width: 80, height: 24)
        let s = run.session
        try s.send("P")
        let screen = try s.waitFor("ORD-9001 x300 waiting")
        Self.expectScreen(Self.withoutDatabaseName(screen), recordedAs: "projection-tmux-80x24")
        #expect(screen.contains("Waiting lines (300 units) are not covered by any batch due by 2026-12-16;"))
        let writer = try StockProcess.run(
            ["--db", run.cli.path, "add-batch", "B-9002", "FLOOR-LAMP", "100", "--eta", "2026-12-02"],
            environment: run.environment)
        #expect(writer.status == 0, "\(writer.stderr)")
        let redrawn = try s.waitUntil("the new arrival and the line placed") {
            $0.contains("▲12-02") && $0.contains("No line waits;")
        }
        #expect(redrawn.contains("Projection: FLOOR-LAMP"))
        try s.send("Escape")
        try s.waitUntil("the panel closed") { !$0.contains("Projection: FLOOR-LAMP") && $0.contains("> B-1012") }
        try s.send("P")
        try s.waitFor("Projection: FLOOR-LAMP")
        try s.send("q")
        try s.waitUntil("q closed the panel, not the console") {
            !$0.contains("Projection: FLOOR-LAMP") && $0.contains("> B-1012")
        }
        try s.send("q")
        try s.waitFor("EXIT=0")
    }

    @Test func theProjectionAt160x40IsTheRecordedScreen() throws {
        let run = try ProjectionRun(width: 160, height: 40)
        try run.session.send("P")
        let screen = try run.session.waitFor("ORD-9001 x300 waiting")
        Self.expectScreen(Self.withoutDatabaseName(screen), recordedAs: "projection-tmux-160x40")
        #expect(screen.contains("2026-12-16 B-1014 x20, 0 allocated"))
    }
}
