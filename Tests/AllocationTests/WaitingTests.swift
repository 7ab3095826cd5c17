import Foundation
import TestSupport
import Testing

@testable import Allocation

/// A writer waiting for another connection's write lock calls `whileWaiting` about every 100 ms, whether it
/// waits for its turn among stock's writers or for SQLite's lock held by a program that takes no turns; on a
/// server, while a statement waits for a row another session has locked.
@Suite struct WaitingTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
    }

    /// A write that needs the lock ``TestDatabase/holdingTheWriteLock(on:)`` holds for LAMP.
    func writeLamp(in database: Database) throws {
        try database.transaction { db in try db.execute("UPDATE products SET version = version + 1 WHERE sku = 'LAMP'")
        }
    }

    var lampVersion: Int? {
        get throws { try store.database.queryOne("SELECT version FROM products WHERE sku = 'LAMP'") { $0.int(0) } }
    }

    @Test func theHookIsCalledEvery100MillisecondsWhileAnotherProgramHoldsTheLockAndTheWriteGoesOnAfter() throws {
        let holder = try store.holdingTheWriteLock(on: "LAMP")
        var calls: [Double] = []
        store.database.whileWaiting = { waited in
            calls.append(waited)
            // The holder lets go after the third call; the waiter then takes the lock.
            if calls.count == 3 { try? holder.execute("COMMIT") }
            return true
        }
        let started = monotonicNow()
        try writeLamp(in: store.database)
        #expect(calls.count >= 3)
        #expect(calls[0] >= 0.09 && calls[0] < 0.3, "the first call comes after about 100 ms: \(calls)")
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $1 - $0 >= 0.09 && $1 - $0 < 0.3 }, "\(calls)")
        #expect(monotonicNow() - started < 1.5)
        #expect(try lampVersion == 2)
    }

    @Test func theHookGivesUpAndNothingIsWritten() throws {
        let holder = try store.holdingTheWriteLock(on: "LAMP")
        store.database.whileWaiting = { $0 < 0.25 }
        #expect(throws: WaitAbandoned.self) { try writeLamp(in: store.database) }
        #expect(!store.database.isInTransaction)
        try holder.execute("ROLLBACK")
        #expect(try lampVersion == 1)
        store.database.whileWaiting = nil
        try writeLamp(in: store.database)
        #expect(try lampVersion == 2)
        #expect(
            WaitAbandoned(seconds: 1.43).description == "gave up waiting for the database after 1.4 s; nothing changed")
    }

    @Test func theBusyTimeoutStillEndsTheWait() throws {
        var settings = store.settings
        settings.busyTimeoutMilliseconds = 300
        let waiter = try Database.open(settings: settings, access: .readWrite)
        let holder = try store.holdingTheWriteLock(on: "LAMP")
        defer { try? holder.execute("ROLLBACK") }
        var calls = 0
        waiter.whileWaiting = { _ in
            calls += 1
            return true
        }
        let started = monotonicNow()
        let error = try #require(throws: DatabaseError.self) { try writeLamp(in: waiter) }
        let waited = monotonicNow() - started
        #expect(error.isBusy)
        #expect(error.description.hasPrefix("database busy"))
        #expect(waited >= 0.29 && waited < 1.5, "\(waited)")
        #expect(calls >= 2)
    }

    @Test(.sqliteOnly) func theHookIsCalledWhileWaitingForATurnAmongStocksWriters() throws {
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
