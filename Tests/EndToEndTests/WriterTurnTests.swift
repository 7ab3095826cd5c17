import Allocation
import Foundation
import TestSupport
import Testing

/// Writers take turns on the `-writers` side file, and nothing slow runs while a turn is held.
@Suite struct WriterTurnTests {
    /// Event handlers and after-commit actions run once the writer's data is committed and its turn given back:
    /// another connection sees the data and takes the write lock at once, with no busy timeout to wait on.
    @Test func handlersRunAfterCommitWithTheWriteLockFree() throws {
        let store = try TestDatabase()
        var settings = store.settings
        settings.busyTimeoutMilliseconds = 0
        let other = try Database.open(settings: settings, access: .readWrite)
        let bus = MessageBus(database: try store.openAnotherConnection(), clock: .system) { _ in }
        var seen: [String] = []
        func check(_ moment: String) throws {
            let batches = try Views.batches(in: other).map(\.reference)
            try other.transaction { db in try db.execute("UPDATE batches SET eta = eta WHERE reference = 'b1'") }
            seen.append("\(moment): \(batches)")
        }
        bus.subscribe(to: .batchCreated, name: "check") { _ in try check("handler") }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 3)))
        try bus.database.transaction { db in
            try db.execute("UPDATE batches SET purchased = 4 WHERE reference = 'b1'")
            db.afterCommit { seen.append((try? check("afterCommit")).map { "checked" } ?? "refused") }
        }
        #expect(seen == ["handler: [\"b1\"]", "afterCommit: [\"b1\"]", "checked"])
    }

    /// A writer waiting behind one transaction that keeps its turn past the busy timeout gives up, and says so.
    @Test(.sqliteOnly) func aTurnHeldPastTheBusyTimeoutIsNamedInTheError() throws {
        let store = try TestDatabase()
        let holder = try store.openAnotherConnection()
        var settings = store.settings
        settings.busyTimeoutMilliseconds = 100
        let waiter = try Database.open(settings: settings, access: .readWrite)
        let started = monotonicSeconds()
        let error = try holder.transaction { _ in
            do {
                try waiter.transaction { _ in }
                return nil as DatabaseError?
            } catch let error as DatabaseError {
                return error
            }
        }
        let refused = try #require(error)
        #expect(refused.isBusy)
        #expect(
            refused.description
                == "database busy: one transaction held the write lock for more than 100 ms (the busy timeout)")
        #expect(monotonicSeconds() - started >= 0.1)
        try waiter.transaction { db in try db.execute("UPDATE batches SET purchased = purchased") }
    }

    /// The side file is made beside the database with the database file's permission bits.
    @Test(.sqliteOnly) func theSideFileHasTheDatabaseFilesPermissions() throws {
        let store = try TestDatabase()
        #expect(chmod(store.path, 0o640) == 0)
        let writer = try store.openAnotherConnection()
        try writer.transaction { db in try db.execute("UPDATE batches SET purchased = purchased") }
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path + "-writers")
        #expect(attributes[.posixPermissions] as? Int == 0o640)
    }
}
