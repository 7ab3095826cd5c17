import Allocation
import Foundation
import TestSupport
import Testing

/// The test helper ``ReplicatedServers`` itself: its standby follows its primary, its failover moves writes to
/// the former standby, and a rebuilt standby streams again. Each test makes its own pair.
@Suite(.serialized, .replicationAvailable) struct ReplicatedServersTests {
    /// Reads `SELECT pg_is_in_recovery()` (`t` on a standby) and the port of the server `url` reaches.
    static func side(of url: String) throws -> (inRecovery: Bool, port: String) {
        let database = try Database(serverURL: url)
        let row = try database.queryOne(
            "SELECT CASE WHEN pg_is_in_recovery() THEN 't' ELSE 'f' END, current_setting('port')"
        ) { ($0.text(0), $0.text(1)) }
        return (row?.0 == "t", row?.1 ?? "")
    }

    /// The values of `t`, read on `url`.
    static func values(on url: String) throws -> [String] {
        try Database(serverURL: url).query("SELECT v FROM t ORDER BY v") { $0.text(0) }
    }

    @Test func aRowCommittedOnThePrimaryIsReadOnTheStandby() throws {
        let servers = try ReplicatedServers()
        #expect(try Self.side(of: servers.primaryURL).inRecovery == false)
        #expect(try Self.side(of: servers.standbyURL).inRecovery == true)
        let primary = try Database(serverURL: servers.primaryURL)
        try primary.execute("CREATE TABLE t (v text)")
        try primary.execute("INSERT INTO t VALUES ('one')")
        // The commit returned after the synchronous standby had the WAL; replay may trail it by a moment.
        let deadline = monotonicSeconds() + 5
        while (try? Self.values(on: servers.standbyURL)) != ["one"] && monotonicSeconds() < deadline {
            usleep(10_000)
        }
        #expect(try Self.values(on: servers.standbyURL) == ["one"])
        // The pair's URL lists the standby first and still lands on the primary.
        let pair = try Self.side(of: servers.pairURL())
        #expect(pair.inRecovery == false)
        #expect(servers.primaryHostPort == "\(servers.folder):\(pair.port)")
    }

    @Test func afterAFailoverThePairURLWritesOnTheFormerStandbyAndARebuiltStandbyStreams() throws {
        let servers = try ReplicatedServers()
        let urlBefore = servers.pairURL()
        let formerStandby = servers.standbyHostPort
        try Database(serverURL: servers.primaryURL).execute("CREATE TABLE t (v text)")
        try servers.killPrimary()
        try servers.promoteStandby()
        #expect(servers.primaryHostPort == formerStandby)
        let writer = try Database(serverURL: urlBefore)
        try writer.execute("INSERT INTO t VALUES ('after failover')")
        #expect(try Self.side(of: urlBefore).port == formerStandby.split(separator: ":").last.map(String.init))
        #expect(try Self.values(on: servers.primaryURL) == ["after failover"])

        try servers.rebuildStandby()
        #expect(try Self.side(of: servers.standbyURL).inRecovery == true)
        try Database(serverURL: servers.pairURL()).execute("INSERT INTO t VALUES ('rebuilt')")
        let deadline = monotonicSeconds() + 5
        while (try? Self.values(on: servers.standbyURL)) != ["after failover", "rebuilt"]
            && monotonicSeconds() < deadline
        {
            usleep(10_000)
        }
        #expect(try Self.values(on: servers.standbyURL) == ["after failover", "rebuilt"])
    }

    @Test func aPausedReplayHoldsTheStandbysReadsBackAndAStoppedStandbyStartsAgain() throws {
        let servers = try ReplicatedServers()
        let primary = try Database(serverURL: servers.primaryURL)
        try primary.execute("CREATE TABLE t (v text)")
        try servers.pauseReplay()
        try primary.execute("INSERT INTO t VALUES ('held back')")
        usleep(200_000)
        #expect(((try? Self.values(on: servers.standbyURL)) ?? []) == [])
        try servers.resumeReplay()
        let deadline = monotonicSeconds() + 5
        while (try? Self.values(on: servers.standbyURL)) != ["held back"] && monotonicSeconds() < deadline {
            usleep(10_000)
        }
        #expect(try Self.values(on: servers.standbyURL) == ["held back"])

        try servers.stopStandby()
        #expect(throws: (any Error).self) { try Database(serverURL: servers.standbyURL) }
        try servers.startStandby()
        #expect(try Self.side(of: servers.standbyURL).inRecovery == true)
        servers.stop()
        #expect(!FileManager.default.fileExists(atPath: servers.folder))
    }
}
