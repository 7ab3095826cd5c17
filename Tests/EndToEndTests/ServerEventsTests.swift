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
}
