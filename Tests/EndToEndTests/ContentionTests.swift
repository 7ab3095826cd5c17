import Allocation
import Foundation
import TestSupport
import Testing

/// Right answers under contention (issue 17), with real `stock` processes at the engine's default isolation
/// (`read committed` on a server): commands that waited for their SKU act on what the one before them committed,
/// grouped writers in opposite SKU orders all finish, and mixed writers on shared SKUs are never refused a valid
/// command and leave tables that their event log replays to.
@Suite struct ContentionTests {
    /// A dry-run `apply` that allocates on LAMP, so it holds LAMP's product row (the write lock on SQLite), until
    /// ``release()``: the commands started meanwhile queue behind it in the order they were started.
    final class SKUHolder {
        let process: RunningProcess
        let flag: String

        init(_ cli: CommandLineFixture) throws {
            flag = cli.folder.appendingPathComponent("release-\(UUID().uuidString)").path
            let line = #"{"command":"Allocate","orderid":"HOLD","sku":"LAMP","qty":1}"#
            // The wait ends after 30 s by itself, so a test that stops early leaves no process behind for long.
            let script =
                "( echo '\(line)'; i=0; while [ ! -e '\(flag)' ] && [ $i -lt 1500 ]; do sleep 0.02; i=$((i+1)); done ) "
                + "| '\(StockProcess.executable)' --db \"$DB\" apply --dry-run"
            var environment = StockProcess.environment(cli.environment)
            environment["DB"] = cli.path
            process = try RunningProcess(executable: "/bin/sh", arguments: ["-c", script], environment: environment)
            try process.waitForOutput { $0.contains(#""ok":true"#) }
        }

        func release() throws -> ProcessResult {
            _ = FileManager.default.createFile(atPath: flag, contents: nil)
            return try process.wait(timeout: 30)
        }
    }

    /// Starts `stock ARGUMENTS`, which waits for LAMP behind those started before it.
    ///
    /// It returns once the server shows the process's session waiting for a lock, so two commands queue in the
    /// order they were started whatever the machine's load: the first holds the row's tuple lock while it waits
    /// for the holder, and the second waits for that tuple lock and then for the first's transaction.
    func startQueued(_ cli: CommandLineFixture, _ arguments: String...) throws -> RunningProcess {
        try startQueued(cli, arguments)
    }

    func startQueued(_ cli: CommandLineFixture, _ arguments: [String]) throws -> RunningProcess {
        var environment = cli.environment
        environment["STOCK_BUSY_TIMEOUT_MS"] = "20000"
        let name = "queued-\(UUID().uuidString.prefix(8))"
        let url = ServerFailureTests.adding("application_name=\(name)", to: cli.path)
        let process = try StockProcess.start(["--db", url] + arguments, environment: environment)
        let admin = try rawConnection(to: cli.path, access: .readOnly)
        let deadline = monotonicSeconds() + 20
        let waitingSQL = "SELECT count(*) FROM pg_stat_activity WHERE application_name = ? AND wait_event_type = 'Lock'"
        while try admin.queryOne(waitingSQL, name, map: { $0.int(0) }) != 1 {
            guard monotonicSeconds() < deadline else {
                throw FixtureError(message: "\(arguments.joined(separator: " ")) was not seen waiting for the lock")
            }
            usleep(10_000)
        }
        return process
    }

    /// B1 and B2 with 100 LAMP each; O2 holds 10 and O1 holds 5 of B1.
    func lampsOnTwoBatches() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "B1", "LAMP", "100"], ["add-batch", "B2", "LAMP", "100"], ["allocate", "O2", "LAMP", "10"],
            ["allocate", "O1", "LAMP", "5"],
        ] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
        return cli
    }

    func batchRows(_ cli: CommandLineFixture) throws -> [String: (onHand: Int, allocated: Int)] {
        let database = try rawConnection(to: cli.path, access: .readOnly)
        let rows = try database.query("SELECT reference, purchased - shipped, allocated FROM batches") { row in
            (row.text(0), (onHand: row.int(1), allocated: row.int(2)))
        }
        return Dictionary(uniqueKeysWithValues: rows)
    }

    func eventLog(_ cli: CommandLineFixture) throws -> [String] {
        let database = try rawConnection(to: cli.path, access: .readOnly)
        return try database.query("SELECT kind, payload FROM events ORDER BY id") { "\($0.text(0)) \($0.text(1))" }
    }

    /// On a server: commands queued for one product row take it in the order they asked. (SQLite's writers, which
    /// read only once they hold the write lock, take their turns in no set order, so the outcome is not fixed.)
    @Test(.postgresOnly) func aShipQueuedBehindAMoveShipsFromTheBatchTheMoveLeftTheLineOn() throws {
        let cli = try lampsOnTwoBatches()
        let holder = try SKUHolder(cli)
        let move = try startQueued(cli, "move", "O1", "LAMP", "B2")
        let ship = try startQueued(cli, "ship", "O1")
        let held = try holder.release()
        #expect(held.status == 0, "\(held.stderr)")
        let moved = try move.wait(timeout: 30)
        let shipped = try ship.wait(timeout: 30)

        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("moved O1 LAMP from B1 to B2"), "\(moved.stdout)")
        #expect(shipped.status == 0, "\(shipped.stderr)")
        #expect(shipped.stdout.contains("shipped O1 LAMP x5 from B2"), "\(shipped.stdout)")
        let batches = try batchRows(cli)
        #expect(batches["B1"]?.onHand == 100 && batches["B1"]?.allocated == 10, "\(batches)")
        #expect(batches["B2"]?.onHand == 95 && batches["B2"]?.allocated == 0, "\(batches)")
        #expect(
            try eventLog(cli).suffix(3) == [
                #"Deallocated {"orderid":"O1","sku":"LAMP","qty":5,"batchref":"B1"}"#,
                #"Allocated {"orderid":"O1","sku":"LAMP","qty":5,"batchref":"B2"}"#,
                #"Shipped {"orderid":"O1","sku":"LAMP","qty":5,"batchref":"B2"}"#,
            ])
    }

    /// A quantity change and a receipt of B1 queued behind the move see B1 without O1's line: nothing is moved
    /// off it, and no rule finds the lines on it at odds with its allocated count.
    @Test(.postgresOnly) func aBatchChangeQueuedBehindAMoveSeesTheBatchTheMoveLeft() throws {
        let cli = try lampsOnTwoBatches()
        for arguments in [["add-batch", "B3", "LAMP", "20", "--eta", "2026-03-01"], ["allocate", "O3", "LAMP", "5"]] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
        let moveToB3 = try StockProcess.run(
            ["--db", cli.path, "move", "O3", "LAMP", "B3"], environment: cli.environment)
        try #require(moveToB3.status == 0, "\(moveToB3.stderr)")
        // Two commands at most queue behind one holder: the second waits for the first's transaction, so it runs
        // after it. A third would wait for the row's old version and then race the second for the new one.
        var results: [ProcessResult] = []
        for (move, change) in [
            (["move", "O1", "LAMP", "B2"], ["change-quantity", "B1", "10"]),
            (["move", "O3", "LAMP", "B2"], ["receive", "B3", "0"]),
        ] {
            let holder = try SKUHolder(cli)
            let queuedMove = try startQueued(cli, move)
            let queuedChange = try startQueued(cli, change)
            _ = try holder.release()
            results += try [queuedMove, queuedChange].map { try $0.wait(timeout: 30) }
        }
        for result in results { #expect(result.status == 0, "\(result.stdout)\(result.stderr)") }
        #expect(!results[1].stdout.contains("O2"), "no line leaves B1: \(results[1].stdout)")
        let batches = try batchRows(cli)
        #expect(batches["B1"]?.onHand == 10 && batches["B1"]?.allocated == 10, "\(batches)")
        #expect(batches["B2"]?.onHand == 100 && batches["B2"]?.allocated == 10, "\(batches)")
        #expect(batches["B3"]?.onHand == 0 && batches["B3"]?.allocated == 0, "\(batches)")
        let log = try eventLog(cli)
        #expect(log.contains(#"BatchQuantityChanged {"ref":"B1","qty":10}"#), "\(log)")
        #expect(log.filter { $0.hasPrefix("Deallocated") }.count == 3, "only the three moves take a line off: \(log)")
        try ReplayedLog(cli).expectMatchesTables()
    }

    /// Writer `k`'s allocations on SKUs A to D, one per row, half the writers in the opposite SKU order.
    static func allocations(writer k: Int, rows: Int) -> String {
        let skus = k % 2 == 0 ? ["A", "B", "C", "D"] : ["D", "C", "B", "A"]
        return (0..<rows).map { i in
            #"{"command":"Allocate","orderid":"w\#(k)-\#(i)","sku":"\#(skus[i % 4])","qty":1}"#
        }.joined(separator: "\n")
    }

    @Test(arguments: [2, 4, 8])
    func groupedWritersInOppositeSKUOrdersAllFinish(writers: Int) throws {
        try runGroupedWritersInOppositeSKUOrders(writers, environment: [:])
    }

    /// At `serializable` the server also refuses whole COMMITs: a group's rows then run again in a new
    /// transaction, and every writer still finishes with each row applied once.
    @Test(.postgresOnly) func groupedWritersAtSerializableAllFinish() throws {
        try runGroupedWritersInOppositeSKUOrders(8, environment: ["STOCK_ISOLATION": "serializable"])
    }

    func runGroupedWritersInOppositeSKUOrders(_ writers: Int, environment: [String: String]) throws {
        let cli = try CommandLineFixture()
        for sku in ["A", "B", "C", "D"] {
            let result = try cli.stock("add-batch", "B-\(sku)", sku, "100000")
            try #require(result.status == 0, "\(result.stderr)")
        }
        let rows = 240
        let processes = try (0..<writers).map { k in
            try StockProcess.start(
                ["--db", cli.path, "apply", "--group"], input: Self.allocations(writer: k, rows: rows),
                environment: cli.environment.merging(environment) { $1 })
        }
        let results = try processes.map { try $0.wait(timeout: 60) }

        for result in results {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr == "committed through line \(rows)\n")
            let numbers = result.stdout.split(separator: "\n").map { answer in
                answer.contains(#""ok":true"#)
                    ? answer.firstRange(of: #""line":"#).flatMap { range in
                        Int(answer[range.upperBound...].prefix { $0.isNumber })
                    } : nil
            }
            #expect(numbers.elementsEqual((1...rows).map { $0 }), "every row answered once, in order, as done")
        }
        let database = try rawConnection(to: cli.path, access: .readOnly)
        #expect(try database.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } == writers * rows)
        #expect(
            try database.queryOne("SELECT count(*) FROM events WHERE kind = 'Allocated'") { $0.int(0) }
                == writers * rows, "each row applied exactly once")
        let allocated = try batchRows(cli).mapValues(\.allocated)
        #expect(
            allocated == [
                "B-A": writers * rows / 4, "B-B": writers * rows / 4, "B-C": writers * rows / 4,
                "B-D": writers * rows / 4,
            ])
        try ReplayedLog(cli).expectMatchesTables()
    }

    /// A grouped row whose product row another session holds does not wait while its group holds the rows before
    /// it: those are committed and answered at once, and it runs in a new transaction once the row is free. (On
    /// SQLite the group waits for the write lock before its first row.)
    @Test(.postgresOnly) func aGroupedRowMeetingAHeldRowCommitsAndAnswersTheRowsBeforeIt() throws {
        let cli = try lampsOnTwoBatches()
        try #require(try cli.stock("add-batch", "C1", "CHAIR", "10").status == 0)
        let holder = try SKUHolder(cli)
        let input = [
            #"{"command":"Allocate","orderid":"G1","sku":"CHAIR","qty":1}"#,
            #"{"command":"Allocate","orderid":"G2","sku":"CHAIR","qty":1}"#,
            #"{"command":"Allocate","orderid":"G3","sku":"LAMP","qty":1}"#,
            #"{"command":"Allocate","orderid":"G4","sku":"CHAIR","qty":1}"#,
        ].joined(separator: "\n")
        var environment = cli.environment
        environment["STOCK_BUSY_TIMEOUT_MS"] = "20000"
        environment["STOCK_GROUP_MS"] = "1000"
        let grouped = try StockProcess.start(
            ["--db", cli.path, "apply", "--group"], input: input, environment: environment)
        try grouped.waitForOutput { $0.contains(#""line":2"#) }
        let database = try rawConnection(to: cli.path, access: .readOnly)
        #expect(try database.queryOne("SELECT count(*) FROM order_lines WHERE sku = 'CHAIR'") { $0.int(0) } == 2)
        #expect(!grouped.outputSoFar.contains(#""line":3"#), "line 3 waits for LAMP")
        _ = try holder.release()
        let result = try grouped.wait(timeout: 30)

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "committed through line 4\n")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4 && lines.allSatisfy { $0.contains(#""status":"allocated""#) }, "\(result.stdout)")
        #expect(try database.queryOne("SELECT count(*) FROM order_lines WHERE orderid LIKE 'G%'") { $0.int(0) } == 4)
        try ReplayedLog(cli).expectMatchesTables()
    }

    /// Two `import orders` runs of the same SKUs in opposite orders, as two sites importing at once.
    @Test func twoOrderImportsInOppositeSKUOrdersBothFinish() throws {
        let cli = try CommandLineFixture()
        for sku in ["A", "B", "C", "D"] {
            let result = try cli.stock("add-batch", "B-\(sku)", sku, "100000")
            try #require(result.status == 0, "\(result.stderr)")
        }
        let rows = 300
        let files = try (0..<2).map { k in
            let skus = k == 0 ? ["A", "B", "C", "D"] : ["D", "C", "B", "A"]
            let csv =
                "orderid,sku,quantity\n"
                + (0..<rows).map { "site\(k)-\($0),\(skus[$0 % 4]),1\n" }.joined()
            let path = cli.folder.appendingPathComponent("orders\(k).csv").path
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let processes = try files.map { file in
            try StockProcess.start(["--db", cli.path, "import", "orders", file], environment: cli.environment)
        }
        let results = try processes.map { try $0.wait(timeout: 60) }

        for result in results { #expect(result.status == 0, "\(result.stdout)\(result.stderr)") }
        let database = try rawConnection(to: cli.path, access: .readOnly)
        #expect(try database.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } == 2 * rows)
        #expect(
            try database.queryOne("SELECT count(*) FROM events WHERE kind = 'Allocated'") { $0.int(0) } == 2 * rows)
        try ReplayedLog(cli).expectMatchesTables()
    }

    static let skus = (0..<5).map { "S\($0)" }

    /// Writer `k`'s commands, each valid whatever the other writers do meanwhile: its own in-stock and arriving
    /// batch of each SKU; its own orders allocated, then shipped, moved to its arriving batch, or deallocated;
    /// quantity changes of its in-stock batches (down to 100, which moves the lines on them to other writers'
    /// batches, and back to 1000) and ETA changes of its arriving ones; then its arriving batches received and
    /// the lines moved there shipped or deallocated. Stock stays plenty, so no line ever waits.
    static func mixedCommands(writer k: Int, orders: Int) -> [String] {
        var lines: [String] = []
        for sku in skus {
            lines.append(#"{"command":"CreateBatch","ref":"W\#(k)-\#(sku)","sku":"\#(sku)","qty":1000}"#)
            lines.append(
                #"{"command":"CreateBatch","ref":"W\#(k)-A\#(sku)","sku":"\#(sku)","qty":1000,"eta":"2026-03-01"}"#)
        }
        func order(_ i: Int) -> (id: String, sku: String) { ("w\(k)-o\(i)", skus[i % skus.count]) }
        for i in 0..<orders {
            let (id, sku) = order(i)
            lines.append(#"{"command":"Allocate","orderid":"\#(id)","sku":"\#(sku)","qty":\#(1 + i % 3)}"#)
            if i >= 5 {
                let (earlier, _) = order(i - 5)
                switch (i - 5) % 4 {
                case 0: lines.append(#"{"command":"Ship","orderid":"\#(earlier)","sku":"\#(sku)"}"#)
                case 2: lines.append(#"{"command":"Deallocate","orderid":"\#(earlier)","sku":"\#(sku)"}"#)
                default:
                    lines.append(
                        #"{"command":"MoveLine","orderid":"\#(earlier)","sku":"\#(sku)","batchref":"W\#(k)-A\#(sku)"}"#)
                }
            }
            if i % 3 == 0 {
                let qty = i % 2 == 0 ? 100 : 1000
                lines.append(#"{"command":"ChangeBatchQuantity","ref":"W\#(k)-\#(sku)","qty":\#(qty)}"#)
            }
            if i % 7 == 0 {
                lines.append(#"{"command":"ChangeBatchEta","ref":"W\#(k)-A\#(sku)","eta":"2026-03-\#(10 + i % 9)"}"#)
            }
        }
        for sku in skus { lines.append(#"{"command":"ReceiveBatch","ref":"W\#(k)-A\#(sku)","qty":1000}"#) }
        for i in 0..<(orders - 5) where i % 4 == 1 || i % 4 == 3 {
            let (id, sku) = order(i)
            lines.append(
                i % 4 == 1
                    ? #"{"command":"Ship","orderid":"\#(id)"}"#
                    : #"{"command":"Deallocate","orderid":"\#(id)","sku":"\#(sku)"}"#)
        }
        return lines
    }

    @Test func eightMixedWritersOnFiveSKUsAreNeverRefusedAndTheirEventLogReplaysToTheTables() throws {
        let cli = try CommandLineFixture()
        let writers = 8
        let commands = (0..<writers).map { Self.mixedCommands(writer: $0, orders: 60) }
        let processes = try commands.map { lines in
            try StockProcess.start(
                ["--db", cli.path, "apply"], input: lines.joined(separator: "\n"), environment: cli.environment)
        }
        let results = try processes.map { try $0.wait(timeout: 120) }

        for (result, lines) in zip(results, commands) {
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            let answers = result.stdout.split(separator: "\n")
            #expect(answers.count == lines.count)
            let refused = answers.filter { !$0.contains(#""ok":true"#) || $0.contains(#""status":"waiting""#) }
            #expect(refused.isEmpty, "valid commands refused: \(refused.prefix(5))")
        }
        let replayed = try ReplayedLog(cli)
        try replayed.expectMatchesTables()
        #expect(replayed.shipped.count == writers * 28, "every ship was recorded once")
    }
}

/// The event log replayed from the start: each batch's purchased, shipped and allocated quantities and each order line's
/// state, its pieces and whether part of it waits, compared with the tables, with the invariants (nothing
/// allocated beyond what a batch holds, and every batch's allocated count the sum of the pieces on it).
struct ReplayedLog {
    var purchased: [String: Int] = [:]
    var shippedUnits: [String: Int] = [:]
    var allocated: [String: Int] = [:]
    /// The pieces of each line that exists, by `orderid|sku`: quantity by batch.
    var pieces: [String: [String: Int]] = [:]
    /// The quantity each line waits for, while any of it waits.
    var waiting: [String: Int] = [:]
    var shippedFrom: [String: String] = [:]
    var shipped: [String] = []
    let database: Allocation.Database

    /// Where each line that exists is: its pieces (`B1 x40, B2 x20`), then `waiting` when part of it waits, or
    /// `shipped from B`, by `orderid|sku`.
    var lines: [String: String] {
        let keys = Set(pieces.keys).union(waiting.keys).union(shippedFrom.keys)
        return Dictionary(
            uniqueKeysWithValues: keys.map { line in
                if let from = shippedFrom[line] { return (line, "shipped from \(from)") }
                let held = (pieces[line] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }
                return (line, (held + (waiting[line] != nil ? ["waiting"] : [])).joined(separator: ", "))
            })
    }

    init(_ cli: CommandLineFixture) throws {
        try self.init(path: cli.path)
    }

    /// The event log of the database at `path` (a file or a server URL), replayed.
    init(path: String) throws {
        database = try rawConnection(to: path, access: .readOnly)
        let events = try database.query("SELECT kind, payload FROM events ORDER BY id") { row in
            (row.text(0), row.text(1))
        }
        for (kind, payload) in events {
            let fields = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
            let line = "\(fields["orderid"] ?? "")|\(fields["sku"] ?? "")"
            let reference = fields["batchref"] as? String
            let qty = fields["qty"] as? Int ?? 0
            switch kind {
            case "BatchCreated", "BatchQuantityChanged", "BatchReceived":
                purchased[try #require(fields["ref"] as? String)] = qty
            case "Allocated":
                let batch = try #require(reference)
                pieces[line, default: [:]][batch, default: 0] += qty
                allocated[batch, default: 0] += qty
                if let rest = waiting[line] { waiting[line] = rest > qty ? rest - qty : nil }
            case "Deallocated":
                if let batch = reference {
                    allocated[batch, default: 0] -= qty
                    let left = (pieces[line]?[batch] ?? 0) - qty
                    pieces[line]?[batch] = left > 0 ? left : nil
                    if pieces[line]?.isEmpty == true { pieces[line] = nil }
                }
            case "Cancelled":
                pieces[line] = nil
                waiting[line] = nil
            case "OutOfStock":
                if fields["orderid"] != nil { waiting[line] = qty }
            case "Shipped":
                let from = try #require(reference)
                allocated[from, default: 0] -= qty
                shippedUnits[from, default: 0] += qty
                pieces[line] = nil
                shippedFrom[line] = from
                shipped.append(line)
            default: break
            }
        }
    }

    func expectMatchesTables() throws {
        let batches = try database.query("SELECT reference, purchased, allocated, shipped FROM batches") { row in
            (row.text(0), row.int(1), row.int(2), row.int(3))
        }
        #expect(Dictionary(uniqueKeysWithValues: batches.map { ($0.0, $0.1) }) == purchased, "purchased")
        let expectedAllocated = purchased.mapValues { _ in 0 }.merging(allocated) { $1 }
        #expect(Dictionary(uniqueKeysWithValues: batches.map { ($0.0, $0.2) }) == expectedAllocated, "allocated")
        let expectedShipped = purchased.mapValues { _ in 0 }.merging(shippedUnits) { $1 }
        #expect(Dictionary(uniqueKeysWithValues: batches.map { ($0.0, $0.3) }) == expectedShipped, "shipped")
        for batch in batches { #expect(batch.2 >= 0 && batch.3 >= 0 && batch.2 + batch.3 <= batch.1, "\(batch)") }
        #expect(try TestDatabase.miscountedBatches(in: database).isEmpty)
        let rows = try database.query(
            """
            SELECT l.orderid, l.sku, b.reference, a.qty, l.waiting_since, l.shipped_from FROM order_lines AS l
            LEFT JOIN allocations AS a ON a.orderline_id = l.id LEFT JOIN batches AS b ON b.id = a.batch_id
            WHERE l.cancelled_at IS NULL ORDER BY l.id, b.reference
            """
        ) { row in
            (
                line: "\(row.text(0))|\(row.text(1))", piece: row.optionalText(2).map { "\($0) x\(row.int(3))" },
                waits: !row.isNull(4), shippedFrom: row.optionalText(5)
            )
        }
        var tableLines: [String: String] = [:]
        for line in Set(rows.map(\.line)) {
            let its = rows.filter { $0.line == line }
            if let from = its[0].shippedFrom {
                tableLines[line] = "shipped from \(from)"
            } else {
                tableLines[line] = (its.compactMap(\.piece) + (its[0].waits ? ["waiting"] : [])).joined(separator: ", ")
            }
        }
        #expect(tableLines == lines, "order lines")
    }
}
