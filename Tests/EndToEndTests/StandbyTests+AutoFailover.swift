import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// Failover with nobody promoting by hand: a pg_auto_failover formation (a monitor and two data nodes on
/// loopback, `.ci/auto-failover.sh`) whose primary's server is killed; the monitor promotes the secondary, and the
/// console and a writer on the two-node URL go on there by themselves. A part of ``StandbyTests``, so that it
/// runs one test at a time with them: each starts servers, a console and writers.
extension StandbyTests {
    /// The formation, started by a shell that sources `.ci/auto-failover.sh` and stops it when the stop file
    /// appears, so that the servers go however the test ends.
    final class AutoFailoverFormation {
        let shell: RunningProcess
        let stopFile: String
        let url: String
        let ports: [String]
        let firstData: String

        init(folder: TemporaryFolder) throws {
            stopFile = folder.appendingPathComponent("stop").path
            let script = """
                source '\(repositoryRoot)/.ci/auto-failover.sh'
                trap stop_auto_failover EXIT
                start_auto_failover || exit 1
                echo "PORTS=$auto_failover_node1_port,$auto_failover_node2_port"
                echo "DATA=$auto_failover_node1_data"
                echo "URL=$STOCK_TEST_AUTO_FAILOVER"
                while [ ! -e '\(stopFile)' ]; do sleep 0.2; done
                """
            shell = try RunningProcess(executable: "/bin/bash", arguments: ["-c", script])
            try shell.waitForOutput(timeout: 120) { $0.contains("URL=") }
            let output = shell.outputSoFar
            func value(_ name: String) -> String {
                output.split(separator: "\n").first { $0.hasPrefix(name + "=") }.map {
                    String($0.dropFirst(name.count + 1))
                } ?? ""
            }
            url = value("URL")
            ports = value("PORTS").split(separator: ",").map(String.init)
            firstData = value("DATA")
        }

        deinit {
            _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
            _ = try? shell.wait(timeout: 60)
        }
    }

    @Test(.autoFailoverAvailable) func theMonitorPromotesTheSecondaryAndStockGoesOnThereByItself() throws {
        let folder = try TemporaryFolder()
        let formation = try AutoFailoverFormation(folder: folder)
        #expect(formation.ports.count == 2)
        let settings = folder.appendingPathComponent("settings.json").path
        try #"{"busyTimeoutMs": 2000, "synchronous": "full", "refreshMs": 50, "clock": "2026-01-15", "colors": false}"#
            .write(toFile: settings, atomically: true, encoding: .utf8)
        let environment = ["STOCK_SETTINGS": settings, "TZ": "UTC"]
        func stock(_ arguments: String..., input: String? = nil) throws -> ProcessResult {
            try StockProcess.run(["--db", formation.url] + arguments, input: input, environment: environment)
        }
        #expect(try stock("init").status == 0)
        #expect(try stock("add-batch", "B-1", "LAMP", "1000000").status == 0)
        let console = try TmuxSession(
            command: "'\(StockProcess.executable)' --db '\(formation.url)'; sleep 600", width: 132, height: 30,
            environment: environment)
        defer { console.kill() }
        try console.waitFor("@127.0.0.1:\(formation.ports[0])", timeout: 10)

        let lines = (0..<300).map { #"{"command":"Allocate","orderid":"W-\#($0)","sku":"LAMP","qty":1}"# }
            .joined(separator: "\n")
        let writer = try StockProcess.start(["--db", formation.url, "apply"], input: lines, environment: environment)
        let primary = try Database(serverURL: formation.url)
        let deadline = monotonicSeconds() + 30
        func stored() throws -> Int { try primary.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } ?? 0 }
        while try stored() < 20, monotonicSeconds() < deadline { usleep(5_000) }
        let postmaster = try String(contentsOfFile: formation.firstData + "/postmaster.pid", encoding: .utf8)
        let pid = try #require(Int32(postmaster.prefix { $0 != "\n" }))
        let killed = monotonicSeconds()
        kill(pid, SIGKILL)

        try console.waitFor("reconnected: now on 127.0.0.1:\(formation.ports[1])", timeout: 120)
        try console.allocateThroughTheForm(order: "CONSOLE-1", qty: "1")
        try console.waitFor("allocated CONSOLE-1 ", timeout: 30)
        let firstWrite = monotonicSeconds() - killed

        let result = try writer.wait()
        var answered = Self.answeredOrders(result.stdout)
        if result.status != 0 {
            #expect(result.status == 3, "\(result.stderr)")
            let row = try #require(Self.rowToRerunFrom(result.stderr), "\(result.stderr)")
            let rerun = try stock("apply", "--from-row", String(row), input: lines)
            #expect(rerun.status == 0, "\(rerun.stderr)")
            answered += Self.answeredOrders(rerun.stdout)
        }
        let stored = try Database(serverURL: formation.url).query(
            "SELECT orderid, count(*), inet_server_port() FROM order_lines GROUP BY orderid"
        ) { ($0.text(0), $0.int(1), $0.text(2)) }
        #expect(stored.first?.2 == formation.ports[1], "the writes go to the promoted node")
        #expect(Set(answered).union(["CONSOLE-1"]) == Set(stored.map(\.0)))
        #expect(stored.allSatisfy { $0.1 == 1 })
        print(
            "pg_auto_failover figures: the console's first write on the promoted node "
                + "\(String(format: "%.2f", firstWrite)) s after the primary's server was killed; "
                + "\(Set(answered).count) commands answered, all stored once")
    }
}

extension Trait where Self == ConditionTrait {
    /// For the test of automatic failover: needs what the standby tests need, pg_auto_failover's `pg_autoctl`
    /// (Debian's postgresql-15-auto-failover) and `STOCK_TEST_AUTO_FAILOVER`; `.ci/run` runs it alone, after every
    /// other suite, as its formation of three servers and the writers' waits for its synchronous standby are
    /// timed.
    static var autoFailoverAvailable: Self {
        .enabled(
            if: TestEngine.isPostgres && ReplicatedServers.isAvailable
                && FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_autoctl")
                && !(ProcessInfo.processInfo.environment["STOCK_TEST_AUTO_FAILOVER"] ?? "").isEmpty,
            "needs STOCK_TEST_AUTO_FAILOVER, pg_auto_failover (pg_autoctl) and the PostgreSQL test server")
    }
}
