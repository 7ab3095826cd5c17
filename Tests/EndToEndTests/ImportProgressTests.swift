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
        let count = 20_000
        let first = try cli.file("orders.csv", Self.orders(count, prefix: "a", bad: 10_000))
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
        #expect(bar.contains("/20,000 rows") && bar.contains("%") && bar.hasSuffix(" left"), "\(bar)")
        #expect(bar.count < 80)
        let done = try session.waitFor("EXIT=", timeout: 60)
        #expect(
            done.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == [
                #"row 10000 (line 10001): quantity must be a whole number, got "lots""#,
                "imported 20000 rows: 19999 applied, 0 waiting, 1 refused",
                "committed through row 20000",
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

    @Test func theBarsTextFitsItsWidth() {
        let line = ProgressBar.line(label: "orders.csv", done: 52_000, total: 100_000, elapsed: 5.2, width: 79)
        #expect(line == "orders.csv [=======>       ]  52%  52,000/100,000 rows  10,000 rows/s  5 s left")
        let narrow = ProgressBar.line(label: "orders.csv", done: 52_000, total: 100_000, elapsed: 5.2, width: 40)
        #expect(narrow == "52,000/100,000 rows  10,000 rows/s")
        let start = ProgressBar.line(label: "o.csv", done: 0, total: 10, elapsed: 0, width: 79)
        #expect(start == "o.csv [>                                       ]   0%  0/10 rows")
        #expect(ProgressBar.duration(185) == "3 min 05 s")
        #expect(ProgressBar.duration(7800) == "2 h 10 min")
        #expect(ProgressBar.grouped(1_234_567) == "1,234,567")
        #expect(ProgressBar.grouped(999) == "999")
    }
}
