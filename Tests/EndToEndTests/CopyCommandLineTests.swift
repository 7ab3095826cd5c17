import Allocation
import Foundation
import TestSupport
import Testing

/// `stock copy`, run as the real binary: a warehouse moved to another database (a file, or a schema on the test
/// server) and back, checked, and the refusals that change nothing.
@Suite struct CopyCommandLineTests {
    let fixture: CommandLineFixture

    init() throws {
        fixture = try CommandLineFixture()
    }

    /// Batches with and without an ETA, lines allocated, waiting and shipped, a move and a deallocation, by two
    /// operators, all through `stock apply`.
    func fillDatabase() throws {
        let commands = [
            #"{"command":"CreateBatch","ref":"W-1","sku":"CAFÉ-TABLE","qty":10}"#,
            #"{"command":"CreateBatch","ref":"S-1","sku":"CAFÉ-TABLE","qty":5,"eta":"2026-03-01"}"#,
            #"{"command":"CreateBatch","ref":"東京-1","sku":"LAMP","qty":4,"eta":"2026-02-01"}"#,
            #"{"command":"CreateBatch","ref":"S-2","sku":"CAFÉ-TABLE","qty":10,"eta":"2026-04-01"}"#,
            #"{"command":"Allocate","orderid":"O-1","sku":"CAFÉ-TABLE","qty":8}"#,
            #"{"command":"Allocate","orderid":"O-2","sku":"CAFÉ-TABLE","qty":4}"#,
            #"{"command":"Allocate","orderid":"O-3","sku":"LAMP","qty":3}"#,
            #"{"command":"Allocate","orderid":"O-4","sku":"LAMP","qty":5}"#,
            #"{"command":"Allocate","orderid":"O-5","sku":"CAFÉ-TABLE","qty":2}"#,
            #"{"command":"Ship","orderid":"O-5"}"#,
            #"{"command":"MoveLine","orderid":"O-2","sku":"CAFÉ-TABLE","batchref":"S-2"}"#,
        ]
        let result = try fixture.stock("--user", "ann", "apply", input: commands.joined(separator: "\n") + "\n")
        #expect(result.status == 4, "a line waits: \(result.stdout) \(result.stderr)")
        #expect(try fixture.stock("--user", "bob", "deallocate", "O-3", "LAMP").status == 0)
    }

    /// `stock ARGUMENTS` with the fixture's environment but no `--db`.
    func stock(_ arguments: String...) throws -> ProcessResult {
        try StockProcess.run(arguments, environment: fixture.environment)
    }

    /// Every row of every table of the database at `location`.
    static func contents(of location: String) throws -> [String: [String]] {
        try TestDatabase.contents(of: Database.open(settings: testSettings(database: location), access: .readOnly))
    }

    @Test func aWarehouseCopiedToAnotherDatabaseAndBackIsTheSameAndGoesOn() throws {
        try fillDatabase()
        let file = fixture.folder.appendingPathComponent("moved.sqlite").path
        let events = try #require(try fixture.contents()["events"]?.count)

        let there = try fixture.stock("copy", "--to", file)

        #expect(there.status == 0, "\(there.stderr)")
        #expect(
            there.stdout
                == "copied 4 batches, 5 order lines, 2 allocations, \(events) events from \(fixture.path) to \(file); "
                + "checked: identical\n")
        #expect(there.stderr == "")
        let original = try fixture.contents()
        #expect(try Self.contents(of: file) == original)

        let back = try TestDatabaseLocation(in: fixture.folder, name: "back.sqlite")
        let returned = try stock("copy", "--from", file, "--to", back.path)
        #expect(returned.status == 0, "\(returned.stderr)")
        #expect(returned.stdout.hasSuffix("from \(file) to \(back.path); checked: identical\n"))
        #expect(try Self.contents(of: back.path) == original)

        for location in [file, back.path] {
            let next = try stock("--db", location, "allocate", "O-9", "CAFÉ-TABLE", "1")
            #expect(next.status == 0, "\(next.stderr)")
            let lines = try Self.contents(of: location)["order_lines"] ?? []
            #expect(lines.count == original["order_lines"].map { $0.count + 1 })
        }
    }

    @Test func aDestinationHoldingStockDataIsRefusedAndNothingChanges() throws {
        try fillDatabase()
        let other = try CommandLineFixture()
        #expect(try other.stock("add-batch", "OTHER", "VASE", "1").status == 0)
        let before = try other.contents()

        let result = try fixture.stock("copy", "--to", other.path)

        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(
            result.stderr
                == "\(other.path) already holds stock data (1 product, 1 batch, 0 order lines, 0 allocations, "
                + "1 event); stock copy writes only into a new or empty database, and changed nothing\n")
        #expect(try other.contents() == before)
    }

    @Test func aMissingSourceIsAClearFailureAndCreatesNothing() throws {
        let missing = fixture.folder.appendingPathComponent("missing.sqlite").path
        let target = fixture.folder.appendingPathComponent("target.sqlite").path

        let result = try stock("copy", "--from", missing, "--to", target)

        #expect(result.status == 3)
        #expect(result.stderr == "nothing to copy: there is no database at \(missing)\n")
        #expect(!FileManager.default.fileExists(atPath: missing))
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aCopyTheCheckFindsDifferentLeavesNoFileBehind() throws {
        try fillDatabase()
        // A count the allocations disagree with: the destination's triggers count them again.
        let database = try Database.open(settings: testSettings(database: fixture.path), access: .readWrite)
        try database.transaction { try $0.execute("UPDATE batches SET allocated = 0 WHERE reference = 'W-1'") }
        let target = fixture.folder.appendingPathComponent("target.sqlite").path

        let result = try fixture.stock("copy", "--to", target)

        #expect(result.status == 3)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("the check found them different: batches id 1 differs: "))
        #expect(result.stderr.hasSuffix("nothing was kept: \(target) is as it was\n"))
        let leftOver = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)
        #expect(!leftOver.contains { $0.hasPrefix("target.sqlite") })
    }

    @Test func aDestinationTheCopyCannotUseIsNamedAndKeptAsItWas() throws {
        try fillDatabase()
        let foreign = fixture.folder.appendingPathComponent("foreign.sqlite").path
        try Database(path: foreign, access: .create).execute("CREATE TABLE notes (text TEXT)")

        let result = try fixture.stock("copy", "--to", foreign)

        #expect(result.status == 3)
        #expect(result.stdout == "")
        #expect(
            result.stderr
                == "\(foreign) already holds tables of another program; stock init only creates its schema in a new "
                + "or empty database; nothing was copied into \(foreign)\n")
        let tables = try Database(path: foreign, access: .readOnly).query("SELECT name FROM sqlite_schema") {
            $0.text(0)
        }
        #expect(tables == ["notes"])
    }

    @Test func aPasswordInAURLIsNeverPrinted() throws {
        // Nothing listens on port 1: the connection is refused at once.
        let result = try fixture.stock("copy", "--to", "postgresql://stock:s3cret-pw@127.0.0.1:1/stock")
        #expect(result.status == 3)
        #expect(result.stderr.contains("postgresql://stock:***@127.0.0.1:1/stock"))
        #expect(!(result.stdout + result.stderr).contains("s3cret-pw"))
    }

    @Test(.postgresOnly) func aPasswordInTheServersURLIsHiddenInTheSummary() throws {
        try fillDatabase()
        let file = fixture.folder.appendingPathComponent("moved.sqlite").path
        #expect(try fixture.stock("copy", "--to", file).status == 0)
        let server = try TestDatabaseLocation(in: fixture.folder)
        // The test server trusts its socket's users (or, on a server that trusts TCP, every user): the password is
        // accepted and ignored.
        let url = addingServerParameter("password", "s3cret-pw", to: server.path)

        let result = try stock("copy", "--from", file, "--to", url)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("to \(ServerAddress(url: url).shown); checked: identical\n"))
        let user = try #require(TestServer.current?.user)
        #expect(result.stdout.contains("postgresql://\(user):***@"), "\(result.stdout)")
        #expect(!(result.stdout + result.stderr).contains("s3cret-pw"))
    }

    @Test func theTwoEndsAreNamedOnceAndDifferently() throws {
        let elsewhere = fixture.folder.appendingPathComponent("elsewhere.sqlite").path
        let cases: [([String], String)] = [
            (["copy"], "copy needs --from DB, --to DB or both"),
            (["copy", "--from", fixture.path, "--to", fixture.path], "--from and --to both name"),
            (["--db", fixture.path, "copy", "--from", fixture.path, "--to", elsewhere], "not with both"),
            (["copy", "--to", ""], "--to needs a path or a postgresql:// URL"),
        ]
        for (arguments, message) in cases {
            let result = try StockProcess.run(arguments, environment: fixture.environment)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: elsewhere))
    }

    @Test func exportedCSVImportsIntoADatabaseOnTheOtherEngineAndBack() throws {
        try fillDatabase()
        // Each batch's reference, SKU, quantity and ETA: an import allocates by preference, not where lines moved.
        func batchColumns(_ csv: String) -> [String] {
            csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4) }
                .map { $0.joined(separator: ",") }
        }
        let expected = try batchColumns(fixture.stock("export", "batches").stdout)
        let file = fixture.folder.appendingPathComponent("imported.sqlite").path
        let back = try CommandLineFixture()
        #expect(try stock("--db", file, "init").status == 0)
        // From the suite's engine into a SQLite file, then from that file into a new database on the suite's engine.
        for (from, to) in [(fixture.path, file), (file, back.path)] {
            let batches = fixture.folder.appendingPathComponent("batches.csv").path
            let orders = fixture.folder.appendingPathComponent("orders.csv").path
            #expect(try stock("--db", from, "export", "batches", batches).status == 0)
            #expect(try stock("--db", from, "export", "allocations", orders).status == 0)
            #expect(try stock("--db", to, "import", "batches", batches).status == 0)
            #expect(try stock("--db", to, "import", "orders", orders).status == 4, "a line waits")
            #expect(try batchColumns(stock("--db", to, "export", "batches").stdout) == expected)
        }
        #expect(try back.stock("export", "batches").stdout == stock("--db", file, "export", "batches").stdout)
        #expect(try back.stock("backorders", "--json").stdout.contains(#""orderid":"O-4""#))
    }
}

/// `stock copy`'s progress bar on a terminal, gone before the summary.
@Suite struct CopyProgressTests {
    @Test func aLongCopyShowsItsProgressOnATerminalAndEndsWithTheSummaryAlone() throws {
        let cli = try CommandLineFixture()
        let database = try Database.open(settings: testSettings(database: cli.path), access: .readWrite)
        try database.transaction { db in
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)
                INSERT INTO events (at, kind, payload, operator) SELECT '2026-03-01T10:00:00.000Z', 'Note', '{}', 'ann'
                FROM n
                """)
        }
        let target = cli.folder.appendingPathComponent("target.sqlite").path
        let session = try TmuxSession(
            command: "'\(StockProcess.executable)' --db '\(cli.path)' copy --to '\(target)'; echo EXIT=$?; sleep 600",
            width: 400, environment: cli.environment)
        defer { session.kill() }
        let running = try session.waitUntil("the progress bar", timeout: 60, settled: false) { $0.contains("rows/s") }
        let bar = try #require(running.split(separator: "\n").first { $0.contains("rows/s") })
        #expect(bar.hasPrefix("copy ["), "\(bar)")
        #expect(bar.contains("/120,000 rows"), "\(bar)")
        let done = try session.waitFor("EXIT=", timeout: 120)
        #expect(
            done.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == [
                "copied 0 batches, 0 order lines, 0 allocations, 60000 events from \(cli.path) to \(target); "
                    + "checked: identical",
                "EXIT=0",
            ])
    }
}
