import Foundation
import TestSupport
import Testing

@testable import Allocation

/// A writer waiting for another connection's write lock calls `whileWaiting` about every 100 ms, whether it
/// waits for its turn among stock's writers or for SQLite's lock held by a program that takes no turns.
@Suite struct WaitingTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    /// A connection that holds SQLite's write lock without taking a turn, as the `sqlite3` shell does.
    func holdingTheLock() throws -> Database {
        let other = try Database(path: store.path)
        try other.execute("BEGIN IMMEDIATE")
        return other
    }

    @Test func theHookIsCalledEvery100MillisecondsWhileAnotherProgramHoldsTheLockAndTheWriteGoesOnAfter() throws {
        let holder = try holdingTheLock()
        var calls: [Double] = []
        store.database.whileWaiting = { waited in
            calls.append(waited)
            // The holder lets go after the third call; the waiter then takes the lock.
            if calls.count == 3 { try? holder.execute("COMMIT") }
            return true
        }
        let started = monotonicNow()
        try store.database.transaction { db in try db.execute("CREATE TABLE t (x)") }
        #expect(calls.count >= 3)
        #expect(calls[0] >= 0.09 && calls[0] < 0.3, "the first call comes after about 100 ms: \(calls)")
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $1 - $0 >= 0.09 && $1 - $0 < 0.3 }, "\(calls)")
        #expect(monotonicNow() - started < 1.5)
        #expect(try store.database.queryOne("SELECT count(*) FROM t") { $0.int(0) } == 0)
    }

    @Test func theHookGivesUpAndNothingIsWritten() throws {
        let holder = try holdingTheLock()
        store.database.whileWaiting = { $0 < 0.25 }
        #expect(throws: WaitAbandoned.self) {
            try store.database.transaction { db in try db.execute("CREATE TABLE t (x)") }
        }
        try holder.execute("ROLLBACK")
        #expect(try store.database.queryOne("SELECT count(*) FROM sqlite_schema WHERE name = 't'") { $0.int(0) } == 0)
        #expect(
            WaitAbandoned(seconds: 1.43).description == "gave up waiting for the database after 1.4 s; nothing changed")
    }

    @Test func theBusyTimeoutStillEndsTheWait() throws {
        var settings = store.settings
        settings.busyTimeoutMilliseconds = 300
        let waiter = try Database.open(settings: settings, access: .readWrite)
        let holder = try holdingTheLock()
        defer { try? holder.execute("ROLLBACK") }
        var calls = 0
        waiter.whileWaiting = { _ in
            calls += 1
            return true
        }
        let started = monotonicNow()
        let error = try #require(throws: DatabaseError.self) { try waiter.transaction { _ in } }
        let waited = monotonicNow() - started
        #expect(error.isBusy)
        #expect(waited >= 0.29 && waited < 1.5, "\(waited)")
        #expect(calls >= 2)
    }

    @Test func theHookIsCalledWhileWaitingForATurnAmongStocksWriters() throws {
        let writer = try store.openAnotherConnection()
        let turn = try #require(WriterQueue(databasePath: store.path))
        try turn.takeTurn(busyTimeoutMilliseconds: 1000)
        defer { turn.endTurn() }
        var calls: [Double] = []
        writer.whileWaiting = { waited in
            calls.append(waited)
            return calls.count < 3
        }
        #expect(throws: WaitAbandoned.self) { try writer.transaction { _ in } }
        #expect(calls.count == 3)
        #expect(calls[0] >= 0.09 && calls[0] < 0.3, "\(calls)")
    }
}
