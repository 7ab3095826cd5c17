import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The book's `test_uow.py` and `test_repository.py`: the transaction is the unit of work, on a real file.
@Suite struct StorageTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    func insertBatch(_ reference: String, sku: String, qty: Int, eta: Day? = nil, in db: Database) throws {
        if try Product.load(sku: sku, in: db) == nil { try Product(sku: sku).insert(into: db) }
        _ = try Batch(reference: reference, sku: sku, purchased: qty, eta: eta).insert(into: db)
    }

    @Test func getProductByBatchReference() throws {
        try store.database.transaction { db in
            try insertBatch("b1", sku: "sku1", qty: 100, in: db)
            try insertBatch("b2", sku: "sku1", qty: 100, in: db)
            try insertBatch("b3", sku: "sku2", qty: 100, in: db)
        }
        let product = try #require(try Product.load(batchReference: "b2", in: store.database))
        #expect(product.sku == "sku1")
        #expect(product.batches.map(\.reference) == ["b1", "b2"])
        #expect(try Product.load(batchReference: "nope", in: store.database) == nil)
    }

    @Test func transactionCanRetrieveABatchAndAllocateToIt() throws {
        try store.database.transaction { db in try insertBatch("batch1", sku: "HIPSTER-WORKBENCH", qty: 100, in: db) }
        try store.database.transaction { db in
            var product = try #require(try Product.load(sku: "HIPSTER-WORKBENCH", in: db))
            var line = try OrderLine(orderid: "o1", sku: "HIPSTER-WORKBENCH", qty: 10).insert(into: db)
            let reference = try product.allocate(line)
            line.batchReference = reference
            try line.saveAllocation(to: product.batches.first { $0.reference == reference }, in: db)
            try product.saveVersion(in: db)
        }
        #expect(try Views.orderLines(orderid: "o1", in: store.database).map(\.batchref) == ["batch1"])
    }

    @Test func rollsBackUncommittedWorkByDefault() throws {
        do {
            let connection = try store.openAnotherConnection()
            _ = try connection.connection.beginWrite(in: connection)
            try insertBatch("batch1", sku: "MEDIUM-PLINTH", qty: 100, in: connection)
            // The connection closes here without COMMIT.
        }
        #expect(try Views.batchCount(in: store.database) == 0)
    }

    struct Boom: Error {}

    @Test func rollsBackOnError() throws {
        var committedActionRan = false
        #expect(throws: Boom.self) {
            try store.database.transaction { db in
                try insertBatch("batch1", sku: "LARGE-FORK", qty: 100, in: db)
                db.afterCommit { committedActionRan = true }
                throw Boom()
            }
        }
        #expect(try Views.batchCount(in: store.database) == 0)
        #expect(!committedActionRan)
        #expect(!store.database.isInTransaction)
    }

    @Test func afterCommitActionsRunOnceCommitted() throws {
        let other = try store.openAnotherConnection(access: .readOnly)
        var seenByOthers = -1
        try store.database.transaction { db in
            try insertBatch("batch1", sku: "LARGE-FORK", qty: 100, in: db)
            db.afterCommit { seenByOthers = (try? Views.batchCount(in: other)) ?? -1 }
        }
        #expect(seenByOthers == 1)
    }

    @Test func aReadSnapshotSeesTheDatabaseAsItWasAndRefusesWrites() throws {
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let reader = try store.openAnotherConnection(access: .readOnly)
        try reader.beginReadSnapshot()
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        #expect(try Views.batches(in: reader).first?.allocated == 0)
        #expect(try Views.orderLines(orderid: "o1", in: reader).isEmpty)
        #expect(throws: DatabaseError.self) { try reader.beginReadSnapshot() }
        try reader.endReadSnapshot()
        #expect(try Views.batches(in: reader).first?.allocated == 4)

        try store.database.beginReadSnapshot()
        #expect(throws: DatabaseError.self) { try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 1))) }
        try store.database.endReadSnapshot()
        #expect(
            try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 1)))
                == .allocated(batchReference: "b1", wasAlreadyAllocated: false))
    }

    @Test func nestedTransactionsAreRefused() throws {
        #expect(throws: DatabaseError.self) {
            try store.database.transaction { db in try db.transaction { _ in } }
        }
        #expect(!store.database.isInTransaction)
    }

    /// A write based on a version that another connection has moved on from is refused, not applied.
    @Test func staleWritesToAProductVersionAreNotAllowed() throws {
        try store.database.transaction { db in try insertBatch("batch1", sku: "DESK", qty: 100, in: db) }
        let stale = try #require(try Product.load(sku: "DESK", in: store.database))
        let bus = store.makeBus()
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "DESK", qty: 1)))
        var changed = stale
        changed.version += 1
        #expect(throws: ConcurrentUpdate(sku: "DESK", expectedVersion: stale.version)) {
            try store.database.transaction { db in try changed.saveVersion(in: db) }
        }
        #expect(try Product.load(sku: "DESK", in: store.database)?.version == 1)
    }

    /// A product read as missing and inserted by someone else meanwhile is a stale write, retried from a fresh read.
    @Test func insertingAProductSomeoneElseInsertedIsAConcurrentUpdate() throws {
        try store.database.transaction { db in try Product(sku: "DESK").insert(into: db) }
        #expect(throws: ConcurrentUpdate(sku: "DESK", expectedVersion: 0)) {
            try store.database.transaction { db in try Product(sku: "DESK").insert(into: db) }
        }
        #expect(try Product.load(sku: "DESK", in: store.database)?.version == 0)
    }

    @Test func aWriterPastTheBusyTimeoutGetsAClearDatabaseBusyError() throws {
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let holder = try store.holdingTheWriteLock(on: "LAMP")
        defer { try? holder.execute("ROLLBACK") }
        var settings = store.settings
        settings.busyTimeoutMilliseconds = 50
        let impatient = try Database.open(settings: settings, access: .readWrite)
        let started = Date()
        do {
            try MessageBus(database: impatient, clock: .system) { _ in }
                .handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 1)))
            Issue.record("allocated while another connection held the write lock")
        } catch let error as DatabaseError {
            #expect(error.isBusy)
            #expect(error.description.hasPrefix("database busy"))
        }
        #expect(Date().timeIntervalSince(started) >= 0.04)
    }
}
