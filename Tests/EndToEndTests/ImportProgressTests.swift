import Allocation
import Foundation
import TestSupport
import Testing

@testable import stock

/// `stock import`'s progress bar: drawn on a terminal, erased before the report, absent with `--quiet`.
@Suite struct ImportProgressTests {
    /// `count` order lines of one LAMP each, orders `prefix`1…, the one at row `bad` with a bad quantity.
    static func orders(_ count: Int, prefix: String, bad: Int? = nil) -> String {
        var text = "orderid,sku,quantity\n"
        for row in 1...count { text += "\(prefix)\(row),LAMP,\(row == bad ? "lots" : "1")\n" }
        return text
    }

    @Test func theBarShowsRowsRateAndTimeLeftOnATerminalAndIsGoneAtTheEndAndWithQuiet() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1000000")
        // A server commits each group over a socket: fewer rows keep the test as short as on SQLite.
        let count = TestEngine.isPostgres ? 4_000 : 20_000
        let first = try cli.file("orders.csv", Self.orders(count, prefix: "a", bad: count / 2))
        let second = try cli.file("more.csv", Self.orders(count, prefix: "q", bad: 3))
        let stock = "'\(StockProcess.executable)' --db '\(cli.path)'"
        let session = try TmuxSession(
            command: "\(stock) import orders '\(first)'; echo EXIT=$?; \(stock) import orders '\(second)' --quiet; "
                + "echo QUIET=$?; sleep 600",
            environment: cli.environment)
        defer { session.kill() }
        let running = try session.waitUntil("the progress bar", timeout: 30, settled: false) { $0.contains("rows/s") }
        let bar = try #require(running.split(separator: "\n").first { $0.contains("rows/s") })
        #expect(bar.hasPrefix("orders.csv ["), "\(bar)")
        #expect(bar.contains(TestEngine.isPostgres ? "/4,000 rows" : "/20,000 rows"), "\(bar)")
        #expect(bar.contains("%") && bar.hasSuffix(" left"), "\(bar)")
        #expect(bar.count < 80)
        let done = try session.waitFor("EXIT=", timeout: 60)
        #expect(
            done.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == [
                #"row \#(count / 2) (line \#(count / 2 + 1)): quantity must be a whole number, got "lots""#,
                "imported \(count) rows: \(count - 1) applied, 0 waiting, 1 refused",
                "committed through row \(count)",
                "EXIT=1",
            ])
        var screens = 0
        while true {
            let screen = try session.capture()
            screens += 1
            #expect(!screen.contains("rows/s"), "--quiet drew a bar: \(screen)")
            if screen.contains("QUIET=") { break }
            usleep(20_000)
        }
        #expect(screens > 5, "the quiet import was too short to tell")
        #expect(try session.capture().contains(#"row 3 (line 4): quantity must be a whole number, got "lots""#))
        #expect(try cli.count("order_lines") == 2 * (count - 1))
    }

    /// Ctrl-C on a long import stops it after a row, with everything up to it committed and said, and the
    /// re-run with `--from-row` imports the rest exactly once.
    @Test func ctrlCStopsAtACommittedRowThatFromRowGoesOnFrom() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1000000")
        let count = TestEngine.isPostgres ? 4_000 : 20_000
        let path = try cli.file("orders.csv", Self.orders(count, prefix: "a"))
        let session = try TmuxSession(
            command: "'\(StockProcess.executable)' --db '\(cli.path)' import orders '\(path)'; echo EXIT=$?; sleep 600",
            environment: cli.environment)
        defer { session.kill() }
        try session.waitUntil("the progress bar", timeout: 30, settled: false) { $0.contains("rows/s") }
        try session.send("C-c")
        let screen = try session.waitFor("EXIT=", timeout: 30)
        let lines = screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(lines.count == 2 && lines.last == "EXIT=130", "\(screen)")
        let stopped = try #require(lines.first)
        let committed = try #require(
            Int(stopped.dropFirst("stopped by Ctrl-C; committed through row ".count).prefix { $0.isNumber }))
        #expect(
            stopped == "stopped by Ctrl-C; committed through row \(committed); re-run with --from-row \(committed + 1)")
        #expect(committed > 0 && committed < count)
        let orders = try rawConnection(to: cli.path, access: .readOnly).query("SELECT orderid FROM order_lines") {
            $0.text(0)
        }
        #expect(Set(orders) == Set((1...committed).map { "a\($0)" }))
        let rest = try cli.stock("import", "orders", path, "--from-row", String(committed + 1))
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(
            rest.stdout
                == "imported \(count - committed) rows (from row \(committed + 1)): \(count - committed) applied, "
                + "0 waiting, 0 refused\n")
        #expect(try cli.count("order_lines") == count)
    }

    /// While a slow input is read and checked, before its row count is known, standard error says so; the
    /// notice is gone once the rows run.
    @Test func aSlowCheckIsShownAndThenErased() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let session = try TmuxSession(
            command: "{ printf 'orderid,sku,quantity\\no1,LAMP,1\\n'; sleep 2; printf 'o2,LAMP,1\\n'; } | "
                + "'\(StockProcess.executable)' --db '\(cli.path)' import orders -; echo EXIT=$?; sleep 600",
            environment: cli.environment)
        defer { session.kill() }
        try session.waitFor("checking standard input…")
        let screen = try session.waitFor("EXIT=")
        #expect(
            screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == [
                "imported 2 rows: 2 applied, 0 waiting, 0 refused", "committed through row 2", "EXIT=0",
            ])
    }

    @Test func theBarsTextFitsItsWidth() throws {
        let line = ProgressBar.line(label: "orders.csv", done: 52_000, total: 100_000, elapsed: 5.2, width: 79)
        #expect(line == "orders.csv [=======>       ]  52%  52,000/100,000 rows  10,000 rows/s  5 s left")
        let narrow = ProgressBar.line(label: "orders.csv", done: 52_000, total: 100_000, elapsed: 5.2, width: 40)
        #expect(narrow == "52,000/100,000 rows  10,000 rows/s")
        let start = ProgressBar.line(label: "o.csv", done: 0, total: 10, elapsed: 0, width: 79)
        #expect(start == "o.csv [>                                       ]   0%  0/10 rows")
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let wide = ProgressBar.line(
            label: "orders.csv", done: 49_152, total: 100_000, elapsed: 49_152 / 8_740, width: 117)
        #expect(readme.contains("\n" + wide + "\n"), "README's progress bar: \(wide)")
        #expect(ProgressBar.duration(185) == "3 min 05 s")
        #expect(ProgressBar.duration(7800) == "2 h 10 min")
        #expect(ProgressBar.grouped(1_234_567) == "1,234,567")
        #expect(ProgressBar.grouped(999) == "999")
    }
}
