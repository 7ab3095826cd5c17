import Foundation
import TestSupport
import Testing

@testable import Allocation

/// `DatabaseCopy`: a whole warehouse copied into a new or empty database, on either engine, ids kept, checked row
/// by row, and the destination usable afterwards.
@Suite struct CopyTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// A new SQLite file in the test's folder, opened as `stock init` opens it.
    func sqliteDatabase(_ name: String) throws -> Database {
        try Database.open(settings: testSettings(database: folder.appendingPathComponent(name).path), access: .create)
    }

    /// A warehouse's life through the production bus: batches in the warehouse and arriving, allocations,
    /// waiting lines, a quantity change, a receipt, a shipment, a move, a deallocation, and operators.
    static func fillWarehouse(_ database: Database) throws {
        var settings = try testSettings(database: database.path)
        settings.user = "ann"
        let bus = MessageBus.standard(database: database, settings: settings) { _ in }
        let soon = Day("2026-03-20")
        let commands: [Command] = [
            .createBatch(CreateBatch(ref: "W-1", sku: "LAMP", qty: 20, eta: nil)),
            .createBatch(CreateBatch(ref: "S-1", sku: "LAMP", qty: 50, eta: soon)),
            .createBatch(CreateBatch(ref: "W-2", sku: "TABLE", qty: 5, eta: nil)),
            .createBatch(CreateBatch(ref: "S-2", sku: "RUG", qty: 8, eta: Day("2026-04-01"))),
            .createBatch(CreateBatch(ref: "S-3", sku: "LAMP", qty: 30, eta: Day("2026-05-01"))),
            .allocate(Allocate(orderid: "O-1", sku: "LAMP", qty: 10)),
            .allocate(Allocate(orderid: "O-2", sku: "LAMP", qty: 15)),
            .allocate(Allocate(orderid: "O-3", sku: "TABLE", qty: 4)),
            .allocate(Allocate(orderid: "O-4", sku: "TABLE", qty: 3)),
            .allocate(Allocate(orderid: "O-5", sku: "RUG", qty: 2)),
            .allocate(Allocate(orderid: "O-6", sku: "LAMP", qty: 100)),
            .ship(Ship(orderid: "O-1", sku: "LAMP")),
            .moveLine(MoveLine(orderid: "O-2", sku: "LAMP", batchref: "S-3")),
            .changeBatchQuantity(ChangeBatchQuantity(ref: "S-2", qty: 1)),
            .deallocate(Deallocate(orderid: "O-3", sku: "TABLE")),
            .receiveBatch(ReceiveBatch(ref: "S-1")),
            .allocate(Allocate(orderid: "O-7", sku: "LAMP", qty: 30)),
        ]
        for command in commands { _ = try bus.handle(command) }
        settings.user = "bob"
        _ = try MessageBus.standard(database: database, settings: settings) { _ in }
            .handle(.createBatch(CreateBatch(ref: "W-3", sku: "RUG", qty: 2, eta: nil)))
    }

    /// The next allocation on `database` gets ids after every copied one: the engine's counters were set past them.
    static func expectNewAllocationWorks(on database: Database) throws {
        let lastLine = try #require(try database.queryOne("SELECT max(id) FROM order_lines") { $0.int64(0) })
        let lastEvent = try #require(try database.queryOne("SELECT max(id) FROM events") { $0.int64(0) })
        let settings = try testSettings(database: database.path)
        let outcome = try MessageBus.standard(database: database, settings: settings) { _ in }
            .handle(.allocate(Allocate(orderid: "AFTER-COPY", sku: "LAMP", qty: 1)))
        #expect(outcome == .allocated(batchReference: "S-1", wasAlreadyAllocated: false))
        #expect(
            try database.queryOne("SELECT id FROM order_lines WHERE orderid = 'AFTER-COPY'") { $0.int64(0) }
                == lastLine + 1)
        #expect(try database.queryOne("SELECT max(id) FROM events") { $0.int64(0) } == lastEvent + 1)
        #expect(try TestDatabase.miscountedBatches(in: database).isEmpty)
    }

    @Test func aWholeWarehouseIsCopiedWithItsIdsHistoryAndAllocatedCounts() throws {
        let source = try TestDatabase()
        try Self.fillWarehouse(source.database)
        let destination = try sqliteDatabase("copy.sqlite")

        let counts = try DatabaseCopy.copy(from: source.database, to: destination)

        let held = try source.contents()
        #expect(
            [counts.products, counts.batches, counts.orderLines, counts.allocations, counts.events]
                == ["products", "batches", "order_lines", "allocations", "events"].map { held[$0]?.count ?? 0 })
        #expect(
            counts.summary == "6 batches, 7 order lines, \(counts.allocations) allocations, \(counts.events) events")
        let copied = try TestDatabase.contents(of: destination)
        #expect(copied == held)
        #expect(copied["order_lines"]?.contains { $0.contains("|O-6|LAMP|100|20") } == true)
        #expect(copied["events"]?.contains { $0.contains("|bob|") } == true)
        #expect(copied["order_lines"]?.contains { $0.contains("|O-1|LAMP|10|NULL|") } == true)
        #expect(try DatabaseCopy.differences(between: source.database, and: destination).isEmpty)
        #expect(!source.database.isInReadSnapshot)
        try Self.expectNewAllocationWorks(on: destination)
    }

    @Test(.postgresOnly) func aWarehouseGoesFromSQLiteToTheServerAndBackUnchanged() throws {
        let original = try sqliteDatabase("original.sqlite")
        try Self.fillWarehouse(original)
        let server = try TestDatabase()
        let back = try sqliteDatabase("back.sqlite")

        _ = try DatabaseCopy.copy(from: original, to: server.database)
        _ = try DatabaseCopy.copy(from: server.database, to: back)

        let contents = try TestDatabase.contents(of: original)
        #expect(try server.contents() == contents)
        #expect(try TestDatabase.contents(of: back) == contents)
        try Self.expectNewAllocationWorks(on: server.database)
    }

    @Test func manyPagesOfRowsAndKeysOrderedByTheirBytesAreCopiedWhole() throws {
        let source = try TestDatabase()
        // More rows than a page, SKUs whose case and punctuation order differently by locale than by bytes.
        try source.database.transaction { db in
            for number in 0..<1_234 {
                let sku = ["lamp-\(number)", "LAMP\(number)", "Lamp_\(number)"][number % 3]
                try db.execute("INSERT INTO products (sku, version) VALUES (?, ?)", sku, number)
                try db.execute(
                    "INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES (?, ?, 1, ?)", "O-\(number)",
                    sku, "2026-03-01T10:00:00.000Z")
            }
            for number in 0..<2_345 {
                try db.execute(
                    "INSERT INTO events (at, kind, payload, operator) VALUES (?, 'Note', '{}', ?)",
                    "2026-03-01T10:00:00.000Z", "op-\(number % 7)")
            }
        }
        let destination = try sqliteDatabase("copy.sqlite")

        let counts = try DatabaseCopy.copy(from: source.database, to: destination)

        #expect((counts.products, counts.orderLines, counts.events) == (1_234, 1_234, 2_345))
        #expect(try TestDatabase.contents(of: destination)["events"] == (try source.contents()["events"]))
        #expect(try DatabaseCopy.differences(between: destination, and: source.database).isEmpty)
    }

    /// Allocations are keyed by line and batch: a page ends between two pieces of one line, and the next page
    /// starts after the last piece read, not after its line, so none is skipped.
    @Test func piecesOfALineOnSeveralBatchesAreCopiedWholeAcrossPages() throws {
        let source = try TestDatabase()
        try source.database.transaction { db in
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
            try db.execute(
                """
                INSERT INTO batches (id, reference, sku, purchased) VALUES
                  (1, 'b1', 'LAMP', 10000), (2, 'b2', 'LAMP', 10000), (3, 'b3', 'LAMP', 10000)
                """)
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1700)
                INSERT INTO order_lines (id, orderid, sku, qty) SELECT i, 'O-' || i, 'LAMP', 3 FROM n
                """)
            try db.execute(
                """
                INSERT INTO allocations (orderline_id, batch_id, qty)
                SELECT l.id, b.id, 1 FROM order_lines AS l, batches AS b ORDER BY l.id, b.id
                """)
        }
        #expect(CopiedTable.pageSize < 5_100 && CopiedTable.pageSize % 3 != 0)
        let destination = try sqliteDatabase("copy.sqlite")

        let counts = try DatabaseCopy.copy(from: source.database, to: destination)

        #expect(counts.allocations == 5_100)
        #expect(try TestDatabase.contents(of: destination) == (try source.contents()))
        #expect(try DatabaseCopy.differences(between: destination, and: source.database).isEmpty)
        #expect(
            try destination.query("SELECT allocated FROM batches ORDER BY id") { $0.int(0) } == [1_700, 1_700, 1_700])
    }

    @Test func aDestinationHoldingStockDataIsRefusedAndLeftAsItWas() throws {
        let source = try TestDatabase()
        try Self.fillWarehouse(source.database)
        let destination = try TestDatabase()
        try destination.makeBus().handle(.createBatch(CreateBatch(ref: "OTHER", sku: "VASE", qty: 1, eta: nil)))
        let before = try destination.contents()

        #expect {
            try DatabaseCopy.requireNoStockData(settings: destination.settings)
        } throws: { error in
            (error as? InputError)?.message
                == "\(destination.database.path) already holds stock data (1 product, 1 batch, 0 order lines, "
                + "0 allocations, 1 event); stock copy writes only into a new or empty database, and changed nothing"
        }
        #expect(throws: InputError.self) { try DatabaseCopy.copy(from: source.database, to: destination.database) }
        #expect(try destination.contents() == before)
        #expect(!destination.database.isInTransaction)
    }

    @Test func anEmptyOrMissingDestinationPasses() throws {
        let empty = try TestDatabase()
        try DatabaseCopy.requireNoStockData(settings: empty.settings)
        let missing = folder.appendingPathComponent("missing.sqlite").path
        try DatabaseCopy.requireNoStockData(settings: testSettings(database: missing))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func aMissingSourceSaysThereIsNothingToCopy() throws {
        let missing = folder.appendingPathComponent("nothing.sqlite").path
        #expect {
            try DatabaseCopy.openSource(settings: testSettings(database: missing))
        } throws: { error in
            "\(error)" == "nothing to copy: there is no database at \(missing)"
                && ErrorMessages.meaning(of: error) == .failure
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func aCopyTheCheckFindsDifferentIsNotKept() throws {
        let source = try TestDatabase()
        try Self.fillWarehouse(source.database)
        // A source whose count disagrees with its allocations: the destination's triggers count them again.
        try source.database.transaction { db in
            try db.execute("UPDATE batches SET allocated = 0 WHERE id = (SELECT min(batch_id) FROM allocations)")
        }
        let destination = try sqliteDatabase("copy.sqlite")

        #expect {
            try DatabaseCopy.copy(from: source.database, to: destination)
        } throws: { error in
            let mismatch = try #require(error as? DatabaseCopy.Mismatch)
            let description = mismatch.description
            return mismatch.differences.count == 1 && description.contains("batches id ")
                && description.contains("allocated=0, ")
                && description.hasSuffix("nothing was kept: \(destination.path) is as it was")
        }
        #expect(try TestDatabase.contents(of: destination).values.allSatisfy(\.isEmpty))
    }

    @Test func theCheckNamesRowsOnlyOneSideHasAndColumnsThatDiffer() throws {
        let source = try TestDatabase()
        try Self.fillWarehouse(source.database)
        let destination = try sqliteDatabase("copy.sqlite")
        _ = try DatabaseCopy.copy(from: source.database, to: destination)
        try destination.transaction { db in
            try db.execute("UPDATE events SET operator = 'eve' WHERE id = 2")
            try db.execute("INSERT INTO products (sku, version) VALUES ('ZZZ', 0)")
            try db.execute("DELETE FROM allocations WHERE orderline_id = (SELECT min(orderline_id) FROM allocations)")
        }

        let differences = try DatabaseCopy.differences(between: source.database, and: destination)

        let path = destination.path
        // The allocation's batch counts one line less: its row differs too.
        #expect(differences.count == 4)
        #expect(differences.contains { $0.hasPrefix("batches id ") && $0.contains(" differs: ") })
        #expect(differences.contains("products sku \"ZZZ\" is only in \(path)"))
        #expect(
            differences.contains {
                $0.hasPrefix("allocations orderline_id ") && $0.hasSuffix("is missing from \(path)")
            })
        #expect(differences.contains { $0.hasPrefix("events id 2 differs: ") && $0.contains("operator=\"eve\"") })
    }
}
