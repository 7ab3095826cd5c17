import Allocation
import Foundation
import TestSupport
import Testing

extension CommandLineFixture {
    /// Writes `bytes` to a file named `name` in the fixture's folder; returns its path.
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// `stock import KIND FILE ARGUMENTS` with `text` written to a file first.
    func importing(_ kind: String, _ text: String, _ arguments: String...) throws -> ProcessResult {
        try StockProcess.run(
            ["--db", path, "import", kind, try file("\(kind).csv", text)] + arguments, environment: environment)
    }

    /// The number of rows in `table`, read through a read-only connection.
    func count(_ table: String) throws -> Int {
        try rawConnection(to: path, access: .readOnly).queryOne("SELECT count(*) FROM \(table)") { $0.int(0) } ?? 0
    }
}

/// `stock import batches|orders`, run as the real binary.
@Suite struct ImportCommandLineTests {
    static let samples = repositoryRoot + "/assets/samples/"

    /// The block of README's "Importing CSV" that imports the sample files: each command with what it prints
    /// (standard output, then standard error) and, after `echo $?`, its exit status.
    static func readmeSampleRuns() throws -> [(arguments: [String], output: [String], status: Int32?)] {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "$ stock import batches assets/samples/batches.csv\n"))
        let block = readme[start.lowerBound...].prefix { $0 != "`" }
        var runs: [(arguments: [String], output: [String], status: Int32?)] = []
        var lines = block.split(separator: "\n").map(String.init)[...]
        while let line = lines.popFirst() {
            if line.hasPrefix("$ stock ") {
                let words = line.dropFirst("$ stock ".count).split(separator: " ").map {
                    $0.replacingOccurrences(of: "assets/samples/", with: samples)
                }
                runs.append((words, [], nil))
            } else if line == "$ echo $?" {
                let status = lines.popFirst()
                let code: Int32 = try #require(status.flatMap { Int32($0) })
                runs[runs.count - 1].status = code
            } else {
                runs[runs.count - 1].output.append(line)
            }
        }
        return runs
    }

    @Test func theSampleFilesImportExactlyAsTheReadmeShows() throws {
        let cli = try CommandLineFixture()
        let runs = try Self.readmeSampleRuns()
        #expect(runs.count == 4)
        for run in runs {
            let result = try StockProcess.run(["--db", cli.path] + run.arguments, environment: cli.environment)
            let printed = (result.stdout + result.stderr).split(separator: "\n").map(String.init)
            #expect(printed == run.output, "\(run.arguments)")
            if let status = run.status { #expect(result.status == status, "\(run.arguments)") }
        }
        #expect(try cli.count("batches") == 4)
        #expect(try cli.count("order_lines") == 5 + 2)
        let backorders = try cli.stock("backorders").stdout
        #expect(backorders.contains("WEB-9004") && !backorders.contains("WEB-9001"))
    }

    @Test func aDryRunReportsWhatTheRealRunDoesAndChangesNothing() throws {
        let cli = try CommandLineFixture()
        let batches = try cli.stock("import", "batches", Self.samples + "batches.csv")
        #expect(batches.status == 0, "\(batches.stderr)")
        let orders = """
            orderid,sku,quantity
            A-1,RED-CHAIR,50
            A-2,RED-CHAIR,20
            A-3,NO-SUCH,1
            A-4,RED-CHAIR,10
            A-5,WOOL-RUG,1e3

            """
        let before = try cli.contents()
        let dry = try cli.importing("orders", orders, "--dry-run")
        #expect(try cli.contents() == before)
        #expect((try? String(contentsOfFile: cli.notificationsPath, encoding: .utf8))?.contains("A-") != true)
        let real = try cli.importing("orders", orders)
        #expect(dry.status == 1 && real.status == 1)
        let expected = [
            "row 2 (line 3): waiting: A-2 RED-CHAIR x20 (out of stock for RED-CHAIR)",
            "row 3 (line 4): Invalid sku NO-SUCH",
            #"row 5 (line 6): quantity must be a whole number, got "1e3""#,
        ]
        #expect(dry.stdout.split(separator: "\n").dropLast().map(String.init) == expected)
        #expect(real.stdout.split(separator: "\n").dropLast().map(String.init) == expected)
        #expect(
            dry.stdout.hasSuffix("checked 5 rows (dry run, nothing was changed): 2 applied, 1 waiting, 2 refused\n"))
        #expect(real.stdout.hasSuffix("\nimported 5 rows: 2 applied, 1 waiting, 2 refused\n"))
        #expect(dry.stderr.isEmpty)
        #expect(real.stderr == "committed through row 5\n")
        #expect(try cli.count("order_lines") == 3)
    }

    @Test func fromRowSkipsTheRowsBeforeIt() throws {
        let cli = try CommandLineFixture()
        let rows = (1...6).map { "B-\($0),LAMP,\($0 == 5 ? "x" : "10")," }
        let result = try cli.importing(
            "batches", "reference,sku,quantity,eta\n" + rows.joined(separator: "\n"), "--from-row", "4")
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                row 5 (line 6): quantity must be a whole number, got "x"
                imported 3 rows (from row 4): 2 applied, 0 waiting, 1 refused

                """)
        #expect(result.stderr == "committed through row 6\n")
        #expect(try cli.stock("batches", "--json").stdout.contains(#""reference":"B-4""#))
        #expect(try cli.count("batches") == 2)
        let bad = try cli.importing("batches", "reference,sku,quantity\n", "--from-row", "zero")
        #expect(bad.status == 2 && bad.stderr.contains("--from-row needs a row number from 1, got zero"))
    }

    /// Batches and order lines exported from one database and imported into an empty one by the binary are the
    /// same; the shipped line is skipped and said so.
    @Test func exportThenImportIntoAnEmptyDatabaseGivesTheSameBatchesAndLines() throws {
        let export = try ExportCommandLineTests()
        try export.fillDatabase()
        let original = export.fixture
        let batchesFile = original.folder.appendingPathComponent("b.csv").path
        let ordersFile = original.folder.appendingPathComponent("o.csv").path
        #expect(try original.stock("export", "batches", batchesFile).status == 0)
        #expect(try original.stock("export", "allocations", ordersFile).status == 0)

        let copy = try CommandLineFixture()
        let batches = try copy.stock("import", "batches", batchesFile)
        #expect(batches.status == 0, "\(batches.stdout) \(batches.stderr)")
        #expect(batches.stdout == "imported 3 rows: 3 applied, 0 waiting, 0 refused\n")
        let orders = try copy.stock("import", "orders", ordersFile)
        #expect(orders.status == 4, "\(orders.stdout) \(orders.stderr)")
        #expect(
            orders.stdout.hasSuffix(
                "imported 5 rows: 3 applied, 1 waiting, 0 refused, 1 skipped (shipped or cancelled)\n"))
        let before = try rawConnection(to: original.path, access: .readOnly)
        let after = try rawConnection(to: copy.path, access: .readOnly)
        #expect(try ExportCommandLineTests.batches(after) == ExportCommandLineTests.batches(before))
        #expect(try ExportCommandLineTests.openLines(after) == ExportCommandLineTests.openLines(before))
        #expect(try ExportCommandLineTests.openLines(after).count == 4)
    }

    @Test func quietPrintsOnlyTheRefusedRows() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1")
        let result = try cli.importing(
            "orders", "orderid,sku,quantity\no1,LAMP,1\no2,LAMP,1\no3,LAMP,-1\n", "--quiet")
        #expect(result.status == 1)
        #expect(result.stdout == "row 3 (line 4): quantity must be positive, got -1\n")
        #expect(result.stderr.isEmpty)
        let waitingOnly = try cli.importing("orders", "orderid,sku,quantity\no4,LAMP,1\n", "--quiet")
        #expect(waitingOnly.status == 4)
        #expect(waitingOnly.stdout.isEmpty && waitingOnly.stderr.isEmpty)
        #expect(try cli.count("order_lines") == 3)
    }

    @Test func standardInputIsReadForDash() throws {
        let cli = try CommandLineFixture()
        let result = try cli.stock(
            "import", "batches", "-", input: "reference,sku,quantity,eta\nB-1,LAMP,5,2020-01-01\r\nB-2,LAMP,5,\r\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                row 1 (line 2): warning: ETA 2020-01-01 is 2206 days ago: the batch counts as late and is preferred \
                over batches still to come
                imported 2 rows: 2 applied, 0 waiting, 0 refused

                """)
        #expect(try cli.count("batches") == 2)
    }

    @Test func anUnknownKindOrAnUnreadableFileIsBadUsageAndChangesNothing() throws {
        let cli = try CommandLineFixture()
        let before = try cli.contents()
        let kind = try cli.stock("import", "order", "x.csv")
        #expect(kind.status == 2)
        #expect(kind.stderr.hasPrefix(#"import reads batches or orders, got "order"; did you mean orders?"#))
        let missing = try cli.stock("import", "orders", "/nonexistent/o.csv")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read /nonexistent/o.csv: No such file or directory"))
        let folder = try cli.stock("import", "orders", cli.folder.path)
        #expect(folder.status == 2 && folder.stderr.contains("is a folder"))
        #expect(try cli.contents() == before)
    }

    /// A database error in the middle stops the import with exit 3: the open group changed nothing, and standard
    /// error says where to start again.
    @Test func aBusyDatabaseStopsTheImportAndSaysWhereToStartAgain() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let holder = try WriteLockHolder(path: cli.path)
        try holder.holdWriteLock()
        let result = try cli.importing("orders", "orderid,sku,quantity\no1,LAMP,1\no2,LAMP,1\n")
        holder.release()
        #expect(result.status == 3)
        #expect(result.stderr.contains("database busy"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("nothing committed; re-run with --from-row 1\n"))
        #expect(try cli.count("order_lines") == 0)
    }
}
