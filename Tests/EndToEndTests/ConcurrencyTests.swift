import Allocation
import Foundation
import TestSupport
import Testing

/// Several real `stock` processes writing the same product at once.
@Suite struct ConcurrencyTests {
    /// Four `stock apply` processes allocating one SKU at once: every line is answered (allocated, or waiting
    /// because the stock ran out), nothing is over-allocated, and each answered line moves the product's version
    /// by exactly one. The engine's write lock takes the processes in turn, so this does not reach the version
    /// check itself (a stale version is refused in `StorageTests` and `MessageBusTests`).
    @Test func concurrentWriterProcessesAnswerEveryLineAndNeverOverAllocate() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "HOT-SKU", "150")
        try cli.stock("add-batch", "b2", "HOT-SKU", "100", "--eta", "2026-02-01")
        let writers = 4
        let linesEach = 40
        let processes = try (0..<writers).map { writer in
            let input = (0..<linesEach).map { line in
                #"{"command":"Allocate","orderid":"w\#(writer)-o\#(line)","sku":"HOT-SKU","qty":\#(1 + (line % 3))}"#
            }.joined(separator: "\n")
            return try StockProcess.start(["--db", cli.path, "apply"], input: input, environment: cli.environment)
        }
        let results = try processes.map { try $0.wait() }

        var allocated = 0
        var outOfStock = 0
        for result in results {
            #expect(result.status == 0 || result.status == 4, "\(result.stderr)")
            for line in result.stdout.split(separator: "\n") {
                if line.hasPrefix(#"{"ok":true"#) && line.contains(#""status":"allocated""#) {
                    allocated += 1
                } else if line.hasPrefix(#"{"ok":true"#) && line.contains(#""status":"waiting""#)
                    && line.contains("Out of stock for HOT-SKU")
                {
                    outOfStock += 1
                } else {
                    Issue.record("unexpected result \(line)")
                }
            }
        }
        #expect(allocated + outOfStock == writers * linesEach)
        // 250 units and lines of 1-3 units: 160 lines want 320, so some must wait.
        #expect(outOfStock > 0)

        let events = try cli.stock("events", "--json").stdout.split(separator: "\n")
        #expect(events.filter { $0.contains(#""kind":"Allocated""#) }.count == allocated)
        let batches = try #require(try cli.decodeJSON(try cli.stock("batches", "--json").stdout) as? [[String: Any]])
        for batch in batches {
            let purchased = try #require(batch["purchased"] as? Int)
            let taken = try #require(batch["allocated"] as? Int)
            #expect(taken <= purchased, "\(batch)")
        }
        let contents = try cli.contents()
        // Two batch creations plus one version per allocation and per backorder.
        #expect(contents["products"] == ["HOT-SKU|\(2 + allocated + outOfStock)"])
        #expect(contents["allocations"]?.count == allocated)
        #expect(contents["order_lines"]?.count == allocated + outOfStock)
        #expect(try TestDatabase.miscountedBatches(in: rawConnection(to: cli.path, access: .readOnly)).isEmpty)
    }

    /// A writer killed mid-stream leaves only whole transactions: every committed allocation has its line, its
    /// allocation row, its event and its version, and nothing is over-allocated.
    @Test func aKilledWriterLeavesOnlyWholeTransactions() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "100000")
        let input = (0..<5_000).map { #"{"command":"Allocate","orderid":"o\#($0)","sku":"LAMP","qty":1}"# }
            .joined(separator: "\n")
        let writer = try StockProcess.start(["--db", cli.path, "apply"], input: input, environment: cli.environment)
        let database = try rawConnection(to: cli.path, access: .readOnly)
        let deadline = Date().addingTimeInterval(20)
        while try Views.batches(in: database).first?.allocated ?? 0 < 50, Date() < deadline { usleep(2_000) }
        kill(writer.processIdentifier, SIGKILL)
        let result = try writer.wait()
        #expect(result.status == SIGKILL, "the writer finished before it could be killed")

        if database.isSQLite {
            #expect(try database.queryOne("PRAGMA integrity_check") { $0.text(0) } == "ok")
        }
        let contents = try cli.contents()
        let allocated = contents["allocations"]?.count ?? 0
        #expect(allocated >= 50)
        #expect(contents["order_lines"]?.count == allocated)
        #expect(contents["events"]?.filter { $0.contains("|Allocated|") }.count == allocated)
        #expect(contents["products"] == ["LAMP|\(1 + allocated)"])
        #expect(try Views.batches(in: database).first?.allocated == allocated)
        #expect(try TestDatabase.miscountedBatches(in: database).isEmpty)
    }

    /// A writer that cannot get the write lock within the busy timeout is told so, and changes nothing.
    @Test func aWriterBlockedPastTheBusyTimeoutGetsDatabaseBusy() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let result = try cli.stockWhileAnotherHoldsTheWriteLock(["allocate", "o1", "LAMP", "1"])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("database busy"))
        let unknown = try cli.stock("allocations", "o1", "--json")
        #expect(unknown.status == 1 && unknown.stderr == "Unknown order o1\n", "nothing of o1 was written")
    }
}

/// Another program holding what every stock writer must take first, without taking stock's turns: SQLite's write
/// lock (`BEGIN IMMEDIATE`, as the `sqlite3` shell does), or on a server every product row (`FOR UPDATE`, as a
/// `psql` session would). The `stock` binary itself cannot be told to pause, so this is a connection in the test
/// process, which either engine treats exactly as another process's.
final class WriteLockHolder {
    private let database: Allocation.Database
    private var holding = false

    init(path: String) throws {
        database = try rawConnection(to: path)
    }

    func holdWriteLock() throws {
        if !database.isSQLite {
            try database.execute("BEGIN")
            _ = try database.query("SELECT sku FROM products FOR UPDATE") { $0.text(0) }
        } else {
            try database.execute("BEGIN IMMEDIATE")
        }
        holding = true
    }

    func release() {
        if holding { try? database.execute("ROLLBACK") }
        holding = false
    }
}

extension CommandLineFixture {
    /// Runs `stock --db <this database> ARGUMENTS` with a 200 ms busy timeout while a ``WriteLockHolder`` holds the
    /// write lock, released when it has exited.
    func stockWhileAnotherHoldsTheWriteLock(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
        let holder = try WriteLockHolder(path: path)
        try holder.holdWriteLock()
        defer { holder.release() }
        var environment = environment
        environment["STOCK_BUSY_TIMEOUT_MS"] = "200"
        return try StockProcess.run(["--db", path] + arguments, input: input, environment: environment)
    }
}
