import Allocation
import Foundation
import TestSupport
import Testing

/// `stock events` on a server while other sessions' transactions are open.
@Suite struct ServerEventsTests {
    /// A listing prints every committed event at once, even while another session holds a transaction open (which
    /// holds back only `--follow`, whose order must survive commits out of id order).
    @Test(.postgresOnly) func aListingShowsEveryCommittedEventWhileAnotherTransactionIsOpen() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let other = try rawConnection(to: cli.path)
        try other.execute("BEGIN")
        // The transaction gets an id of its own, as a writer's does.
        _ = try other.queryOne("SELECT pg_current_xact_id()::text") { $0.text(0) }
        defer { try? other.execute("ROLLBACK") }
        try cli.stock("allocate", "o1", "LAMP", "2")
        let listed = try cli.stock("events", "--json")
        #expect(listed.status == 0)
        let kinds = listed.stdout.split(separator: "\n").compactMap {
            (try? cli.decodeJSON(String($0)) as? [String: Any])?["kind"] as? String
        }
        #expect(kinds == ["BatchCreated", "Allocated"], "\(listed.stdout)")
    }

    /// An event held back for an older transaction is printed when that transaction ends, although no commit
    /// announces it: the follower reads again at each tick while it holds something back.
    @Test(.postgresOnly) func aFollowerPrintsAHeldBackEventWhenTheOlderTransactionEndsWithoutAnotherCommit() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let follower = try cli.start("events", "--follow", "--json")
        try follower.waitForOutput(timeout: 60) { $0.contains("BatchCreated") }
        let other = try rawConnection(to: cli.path)
        try other.execute("BEGIN")
        _ = try other.queryOne("SELECT pg_current_xact_id()::text") { $0.text(0) }
        try cli.stock("allocate", "o1", "LAMP", "2")
        // The allocation is committed, but an older transaction still runs: the follower holds it back.
        usleep(500_000)
        #expect(!follower.outputSoFar.contains("Allocated"))
        try other.execute("ROLLBACK")
        try follower.waitForOutput(timeout: 30) { $0.contains(#""kind":"Allocated""#) }
        kill(follower.processIdentifier, SIGTERM)
        let lines = try follower.wait().stdout.split(separator: "\n")
        #expect(lines.count == 2)
    }
}
