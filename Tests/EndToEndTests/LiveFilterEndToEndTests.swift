import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The filters that narrow as they are typed, the event log's filter and Enter, and the monitor's hints, collapsed
/// repeats and stale marker, in the real binary with other processes writing.
@Suite(.serialized) struct LiveFilterEndToEndTests {
    /// Runs `stock` on the console's database as another process would, expecting success.
    func stock(_ run: ConsoleRun, _ arguments: [String], input: String? = nil, status: Int32 = 0) throws {
        let writer = try StockProcess.run(["--db", run.db.path] + arguments, input: input)
        #expect(writer.status == status, "\(arguments): \(writer.stderr)")
    }

    @Test func theBoardNarrowsAsItIsTypedAndABatchArrivingInAnEmptyFilterAppears() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("f")
        try s.waitFor("filter (reference or SKU): _")
        try s.type("lamp")
        let narrowed = try s.waitFor("filter (reference or SKU): lamp_  2 of 6")
        #expect(!narrowed.contains("B-CHAIR-9") && narrowed.contains("B-LAMP-02"), "\(narrowed)")
        try s.type("x")
        try s.waitFor("lampx_  0 of 6")
        try s.waitFor("No batch matches the filter (Esc clears it).")
        // Another process adds the batch the operator waits for: it shows without a key pressed.
        try stock(run, ["add-batch", "B-LAMPX-1", "RED-LAMP", "5"])
        let arrived = try s.waitFor("lampx_  1 of 7", timeout: 3)
        #expect(arrived.contains("> B-LAMPX-1"), "\(arrived)")
        try s.send("Enter")
        let kept = try s.waitFor("filter: \"lampx\" 1 of 7")
        #expect(!kept.contains("filter (reference or SKU)"), "the prompt closed:\n\(kept)")
    }

    @Test func theAllocationsFilterNarrowsAsItIsTypedByABatchReference() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("2", "/")
        try s.waitFor("filter (order, SKU or batch): _")
        try s.type("b-table")
        let narrowed = try s.waitFor("b-table_  1 of 4")
        #expect(narrowed.contains("o-1002") && !narrowed.contains("o-1001"), "\(narrowed)")
        try s.send("Escape")
        let back = try s.waitFor("o-1001")
        #expect(!back.contains("filter (") && !back.contains("filter: "), "Esc put back no filter:\n\(back)")
    }

    @Test func theEventLogFiltersAsItIsTypedAndEnterOpensTheEventsOrder() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("3")
        try s.waitFor("EVENT")
        try s.send("/")
        try s.waitFor("filter (order, SKU, batch, kind or operator): _")
        try s.type("out of")
        let kind = try s.waitFor("out of_  1 of 10")
        #expect(kind.contains("OUT OF STOCK OAK-TABLE") && !kind.contains("new batch"), "\(kind)")
        try s.send("C-u")
        try s.type("o-1002")
        let order = try s.waitFor("o-1002_  1 of 10")
        #expect(order.contains("allocated    o-1002 OAK-TABLE") && !order.contains("OUT OF STOCK"), "\(order)")
        try stock(run, ["deallocate", "o-1002", "OAK-TABLE"])
        try s.waitFor("o-1002_  2 of ", timeout: 3)
        try s.send("Enter", "Enter")
        let history = try s.waitFor("Order o-1002")
        #expect(history.contains("allocated"), "\(history)")
    }

    @Test func theMonitorsHintsAt80ColumnsAreWhatItAllowsAndRepeatsCollapse() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let s = run.session
        let screen = try s.waitFor("f filter  L late  E empty  W waiting  o order  Tab panel  ? help  q quit")
        #expect(!screen.contains("a allocate"), "\(screen)")
        try stock(run, ["add-batch", "B-FLOOR-1", "FLOOR-LAMP", "1"])
        let lines = (1...6).map { #"{"command":"Allocate","orderid":"o-f\#($0)","sku":"FLOOR-LAMP","qty":1}"# }
        // Five of the six lines wait: `apply` says so with its exit status.
        try stock(run, ["apply"], input: lines.joined(separator: "\n"), status: 4)
        let collapsed = try s.waitFor("OUT OF STOCK FLOOR-LAMP ×5, ", timeout: 3)
        #expect(!collapsed.contains("FLOOR-LAMP: o-f3"), "\(collapsed)")
        #expect(collapsed.contains("o-f1 FLOOR-LAMP ×1 → B-FLOOR-1"), "\(collapsed)")
    }

    @Test(.sqliteOnly) func theMonitorSaysItsDataIsStaleWhileItsFileIsReplacedUntilItIsBack() throws {
        let run = try ConsoleRun("monitor", environment: ConsoleRun.countingTicks)
        defer { run.session.kill() }
        let s = run.session
        let before = try s.waitFor("B-CHAIR-9")
        #expect(!before.contains("stale"), "\(before)")
        let replacement = run.db.path + ".new"
        #expect(FileManager.default.createFile(atPath: replacement, contents: nil))
        #expect(rename(replacement, run.db.path) == 0)
        let stale = try s.waitUntil("the stale marker", timeout: 3) {
            $0.range(of: #"stale: data as of \d\d:\d\d:\d\d"#, options: .regularExpression) != nil
        }
        #expect(stale.contains("B-CHAIR-9"), "the data stays in view:\n\(stale)")
        let later = try run.waitForTicks(3)
        #expect(later.contains("stale: data as of "), "the marker stays:\n\(later)")
        for suffix in ["", "-wal", "-shm"] { unlink(run.db.path + suffix) }
        #expect(try StockProcess.run(["--db", run.db.path, "init"]).status == 0)
        try stock(run, ["add-batch", "B-NEW-1", "NEW-SKU", "5"])
        let fresh = try s.waitFor("B-NEW-1", timeout: 5)
        #expect(!fresh.contains("stale:"), "\(fresh)")
    }
}

extension LiveFilterEndToEndTests {
    /// A monitor whose session the server ends and that cannot open another (its schema is gone meanwhile, as
    /// good as a server that is down for it) keeps its data in view marked stale, and says nothing of a
    /// transaction; once it can reconnect, fresh data shows and the marker goes.
    @Test(.postgresOnly) func aMonitorCutOffFromItsServerMarksItsDataStaleUntilItReconnects() throws {
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let run = try ConsoleRun("monitor", parameters: "&application_name=\(name)")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("B-CHAIR-9")
        let schema = try #require(run.db.path.range(of: #"t_[0-9a-f]{16}"#, options: .regularExpression))
        let admin = try rawConnection(to: run.db.path)
        try admin.execute("ALTER SCHEMA \(run.db.path[schema]) RENAME TO \(run.db.path[schema])_away")
        _ = try admin.queryOne(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", name
        ) { $0.int(0) }
        let stale = try s.waitUntil("the stale marker", timeout: 5) {
            $0.range(of: #"stale: data as of \d\d:\d\d:\d\d"#, options: .regularExpression) != nil
        }
        #expect(stale.contains("B-CHAIR-9"), "the data stays in view:\n\(stale)")
        #expect(!stale.contains("not committed"), "\(stale)")
        usleep(1_500_000)
        #expect(try s.capture().contains("stale: data as of "), "the marker stays")
        try admin.execute("ALTER SCHEMA \(run.db.path[schema])_away RENAME TO \(run.db.path[schema])")
        try stock(run, ["add-batch", "B-NEW-1", "NEW-SKU", "5"])
        let fresh = try s.waitFor("B-NEW-1", timeout: 10)
        #expect(!fresh.contains("stale:"), "\(fresh)")
        try s.send("M")
        let messages = try s.waitFor("Messages, newest first")
        #expect(messages.contains("lost the connection") && !messages.contains("not committed"), "\(messages)")
    }
}

extension StandbyTests {
    /// A monitor whose server stops keeps its data in view, marked stale as of its last read, and says nothing of
    /// a transaction (a reader had none to lose); once the server is back, it reconnects and the marker goes.
    @Test func aMonitorWhoseServerStopsMarksItsDataStaleUntilTheServerIsBack() throws {
        let setup = try Setup()
        let servers = setup.servers
        try setup.addReplicatedBatch("B-1")
        let monitor = try setup.console(servers.pairURL(targetSessionAttrs: "standby"), "monitor")
        defer { monitor.kill() }
        try monitor.waitFor("B-1")
        try servers.stopStandby()
        let stale = try monitor.waitUntil("the stale marker", timeout: 15) {
            $0.range(of: #"stale: data as of \d\d:\d\d:\d\d"#, options: .regularExpression) != nil
        }
        #expect(stale.contains("B-1"), "\(stale)")
        usleep(2_000_000)
        let still = try monitor.capture()
        #expect(still.contains("stale: data as of "), "\(still)")
        try servers.startStandby()
        let fresh = try monitor.waitUntil("fresh data again", timeout: 30) {
            $0.contains("reconnected") && !$0.contains("stale:")
        }
        #expect(fresh.contains("B-1"), "\(fresh)")
        try monitor.send("M")
        let messages = try monitor.waitFor("Messages, newest first")
        #expect(messages.contains("lost the connection"), "\(messages)")
        #expect(!messages.contains("not committed"), "\(messages)")
    }
}
