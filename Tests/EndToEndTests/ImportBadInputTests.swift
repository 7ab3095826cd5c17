import Allocation
import Foundation
import TestSupport
import Testing

/// Bad input to `stock import`, through the real binary: nothing crashes, a file that is not CSV changes nothing,
/// a bad row is named and the rows around it apply.
@Suite struct ImportBadInputTests {
    struct WholeFile: CustomTestStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let message: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, _ message: String) {
            self.init(name, Array(text.utf8), message)
        }

        init(_ name: String, _ bytes: [UInt8], _ message: String) {
            self.name = name
            self.bytes = bytes
            self.message = message
        }
    }

    static let header = Array("orderid,sku,quantity\no1,LAMP,1\n".utf8)

    static let wholeFiles: [WholeFile] = [
        WholeFile("an empty file", "", "orders.csv, line 1: no header row: the file is empty"),
        WholeFile(
            "a missing column", "orderid,sku\no1,LAMP\n",
            "orders.csv, line 1: missing column quantity; orders files have the columns orderid, sku, quantity"),
        WholeFile(
            "a duplicated column", "orderid,sku,quantity, SKU\no1,LAMP,1,LAMP\n",
            "orders.csv, line 1, column 4: column sku appears twice (columns 2 and 4)"),
        WholeFile(
            "an unknown column", "orderid,sku,qty\no1,LAMP,1\n",
            #"orders.csv, line 1, column 3: unknown column "qty"; orders files have the columns"#),
        WholeFile(
            "an unclosed quoted field with a newline", "orderid,sku,quantity\no1,LAMP,1\n\"o2\nstill open,LAMP,1\n",
            "orders.csv, line 3, column 1 (orderid): a quoted field is not closed before the end of the file"),
        WholeFile(
            "a row with a field too many", "orderid,sku,quantity\no1,LAMP,1\no2,LAMP,1,000\n",
            "orders.csv, line 3: 4 fields, but the header has 3 (a value with a comma must be in double quotes)"),
        WholeFile(
            "invalid UTF-8", header + Array("o2,LA".utf8) + [0xFF] + Array("MP,1\n".utf8),
            "orders.csv, line 3, column 2 (sku): "),
        WholeFile("a NUL byte", header + Array("o2,LA".utf8) + [0] + Array("MP,1\n".utf8), "orders.csv, line 3"),
    ]

    /// A file that is not CSV, or has a bad header, is refused whole with exit 2, naming the line, and the rows
    /// before the fault are not applied.
    @Test(arguments: wholeFiles)
    func aFileThatIsNotCSVIsRefusedWholeAndChangesNothing(_ file: WholeFile) throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        try cli.stock("allocate", "o0", "LAMP", "1")
        let before = try cli.contents()
        let path = try cli.file("orders.csv", bytes: file.bytes)
        let result = try cli.stock("import", "orders", path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix(path.dropLast("orders.csv".count) + file.message), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("; nothing was imported\n"))
        #expect(try cli.contents() == before)
    }

    @Test func aHeaderAloneIsAFileOfNoRows() throws {
        let cli = try CommandLineFixture()
        let before = try cli.contents()
        let result = try cli.importing("batches", "reference,sku,quantity,eta\r\n")
        #expect(result.status == 0)
        #expect(result.stdout == "imported 0 rows: 0 applied, 0 waiting, 0 refused\n")
        #expect(result.stderr == "nothing committed\n")
        #expect(try cli.contents() == before)
    }

    /// Values each refused by the rule the command line applies, named with the row and its line; the other rows
    /// apply, and a quoted cell over two lines shifts the lines after it.
    @Test func badValuesAreRefusedRowByRowAndTheOtherRowsApply() throws {
        let text = """
            reference,sku,quantity,eta
            B-1,LAMP,"1,000",
            "B-2
            second line",LAMP,5,
            B-3,LAMP,1e3,
            B-4,LAMP,5,25/12/2026
            B-5,LAMP,7,2026-12-25
            \(String(repeating: "R", count: 10_000_000)),LAMP,5,
            B-6,LAMP,-3,

            """
        let cli = try CommandLineFixture()
        let result = try cli.importing("batches", text)
        #expect(result.status == 1)
        #expect(
            result.stdout == #"""
                row 1 (line 2): quantity must be a whole number, got "1,000"
                row 2 (line 3): batch reference "B-2\u{a}second line" contains control character U+A
                row 3 (line 5): quantity must be a whole number, got "1e3"
                row 4 (line 6): eta "25/12/2026" is not a valid date YYYY-MM-DD
                row 6 (line 8): batch reference is 10000000 characters long; the limit is 255
                row 7 (line 9): quantity must be positive, got -3
                imported 7 rows: 1 applied, 0 waiting, 6 refused

                """#)
        #expect(result.stderr == "committed through row 7\n")
        let batches = try cli.contents()["batches"] ?? []
        #expect(batches.count == 1)
        #expect(batches.first?.contains("B-5") == true)
    }

    /// A named pipe removed while the import reads it: the rows written are applied whole when the writer ends
    /// at a row's end, and nothing at all when it stops inside a quoted field.
    @Test func aNamedPipeRemovedWhileItIsReadAppliesWholeRowsOrNothing() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "100")
        let fifo = cli.folder.appendingPathComponent("orders.csv").path
        func feed(_ first: String, _ rest: String) throws -> ProcessResult {
            let script = """
                mkfifo '\(fifo)'
                '\(StockProcess.executable)' --db '\(cli.path)' import orders '\(fifo)' & importer=$!
                exec 3>'\(fifo)'
                printf '%s' '\(first)' >&3
                rm '\(fifo)'
                sleep 0.3
                printf '%s' '\(rest)' >&3
                exec 3>&-
                wait $importer
                """
            return try runProcess("/bin/bash", ["-c", script], environment: StockProcess.environment(cli.environment))
        }
        let cut = try feed("orderid,sku,quantity\no1,LAMP,1\no2,LAMP,1\n\"o3", ",LAMP,1\n")
        #expect(cut.status == 2, "\(cut.stdout) \(cut.stderr)")
        #expect(cut.stderr.contains("line 4, column 1 (orderid): a quoted field is not closed"))
        #expect(try cli.count("order_lines") == 0)
        let whole = try feed("orderid,sku,quantity\no1,LAMP,1\no2,LAMP,1\n", "o3,LAMP,1\n")
        #expect(whole.status == 0, "\(whole.stdout) \(whole.stderr)")
        #expect(whole.stdout == "imported 3 rows: 3 applied, 0 waiting, 0 refused\n")
        #expect(try cli.count("order_lines") == 3)
        #expect(!FileManager.default.fileExists(atPath: fifo))
    }

    /// 100,000 rows with one bad row in the middle: the rest applies and the report names that row. Meanwhile
    /// the file is removed (the import reads the descriptor it opened) and another process's `stock allocate`
    /// gets through well within a second each time; no progress bar is drawn, standard error being a file.
    @Test func aHundredThousandRowsWithOneBadRowApplyTheRestWhileTheFileIsRemovedAndAnotherWriterGetsThrough()
        throws
    {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1000000")
        try cli.stock("add-batch", "d1", "DESK", "10")
        // A server commits each group over a socket: fewer rows keep the test as short as on SQLite.
        let count = TestEngine.isPostgres ? 4_000 : 100_000
        var text = "orderid,sku,quantity\n"
        text.reserveCapacity(count * 20)
        for row in 1...count {
            text += row == count / 2 ? "x\(row),LAMP,1.5\n" : "x\(row),LAMP,1\n"
        }
        let path = try cli.file("orders.csv", text)
        let importer = try StockProcess.start(
            ["--db", cli.path, "import", "orders", path], environment: cli.environment)
        try waitUntilOpen(path, by: importer.processIdentifier)
        try FileManager.default.removeItem(atPath: path)
        try waitUntil { try cli.count("order_lines") > 0 }
        let slowest = try cli.allocateThreeDesks()
        #expect(try cli.count("order_lines") < count + 2, "the import finished first")
        #expect(slowest < 1.0)
        let result = try importer.wait()
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout == """
                row \(count / 2) (line \(count / 2 + 1)): quantity must be a whole number, got "1.5"
                imported \(count) rows: \(count - 1) applied, 0 waiting, 1 refused

                """)
        #expect(result.stderr == "committed through row \(count)\n")
        #expect(try cli.count("order_lines") == count - 1 + 3)
        #expect(try TestDatabase.miscountedBatches(in: rawConnection(to: cli.path, access: .readOnly)).isEmpty)
    }

    /// Waits until process `pid` holds `path` open.
    func waitUntilOpen(_ path: String, by pid: Int32) throws {
        try waitUntil {
            let folder = "/proc/\(pid)/fd"
            let links = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return links.contains {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)")) == path
            }
        }
    }

    func waitUntil(timeout: Double = 20, _ condition: () throws -> Bool) throws {
        let deadline = monotonicSeconds() + timeout
        while try !condition() {
            guard monotonicSeconds() < deadline else { throw FixtureError(message: "timed out") }
            usleep(2_000)
        }
    }
}
