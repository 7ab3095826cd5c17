import Foundation
import TestSupport
import Testing

@testable import Allocation

/// Migration 5: each allocation holds its own quantity, keyed by line and batch, so that a line may one day take
/// its quantity from several batches. A batch's `allocated` is the sum of its allocations' quantities, a line's
/// allocations add up to its quantity at most (and to less while it waits), and a shipped line holds none.
@Suite struct AllocationPiecesSchemaTests {
    /// A database at version 4 on the suite's engine, with batches, allocated lines, a waiting line and a shipped
    /// line, written as version 4's stock wrote them.
    static func versionFourDatabase(at location: TestDatabaseLocation) throws -> Database {
        let database =
            TestEngine.isPostgres
            ? try Database(serverURL: location.path) : try Database(path: location.path, access: .create)
        try database.transaction { db in
            for migration in Schema.migrations.prefix(4) {
                for sql in TestEngine.isPostgres ? migration.postgres : migration.sqlite {
                    try db.connection.runScript(sql)
                }
            }
            if TestEngine.isPostgres {
                try db.execute("UPDATE stock_schema SET version = 4")
            } else {
                try db.execute("PRAGMA user_version = 4")
            }
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP'), ('TV')")
            try db.execute(
                """
                INSERT INTO batches (id, reference, sku, purchased, eta) VALUES
                  (1, 'b1', 'LAMP', 10, NULL), (2, 'b2', 'LAMP', 5, '2026-03-01'), (3, 'b3', 'TV', 3, NULL)
                """)
            try db.execute(
                """
                INSERT INTO order_lines (id, orderid, sku, qty, waiting_since, shipped_at, shipped_from) VALUES
                  (1, 'o1', 'LAMP', 3, NULL, NULL, NULL), (2, 'o2', 'LAMP', 4, NULL, NULL, NULL),
                  (3, 'o3', 'LAMP', 5, NULL, NULL, NULL), (4, 'o4', 'TV', 2, '2026-01-15T00:00:00.000Z', NULL, NULL),
                  (5, 'o5', 'TV', 1, NULL, '2026-01-16T00:00:00.000Z', 'b3')
                """)
            try db.execute("INSERT INTO allocations (orderline_id, batch_id) VALUES (1, 1), (2, 1), (3, 2)")
        }
        return database
    }

    static func allocated(in db: Database) throws -> [String] {
        try db.query("SELECT reference, allocated FROM batches ORDER BY id") { "\($0.text(0)) \($0.int(1))" }
    }

    static func lineStates(in db: Database) throws -> [String] {
        try db.query(
            """
            SELECT l.orderid, coalesce(b.reference, '-'), coalesce(l.waiting_since, '-'), coalesce(l.shipped_at, '-'),
              coalesce(l.shipped_from, '-')
            FROM order_lines AS l LEFT JOIN allocations AS a ON a.orderline_id = l.id
              LEFT JOIN batches AS b ON b.id = a.batch_id
            ORDER BY l.id
            """
        ) { row in (0..<5).map { row.text(Int32($0)) }.joined(separator: " ") }
    }

    @Test func migratingVersionFourKeepsEveryBatchsAllocatedAndEveryLinesStateWithEachAllocationHoldingItsLine()
        throws
    {
        let folder = try TemporaryFolder()
        let location = try TestDatabaseLocation(in: folder)
        let database = try Self.versionFourDatabase(at: location)
        let allocated = try Self.allocated(in: database)
        let states = try Self.lineStates(in: database)
        #expect(allocated == ["b1 7", "b2 5", "b3 0"])

        try Schema.migrate(database)
        #expect(try database.schemaVersion == Schema.currentVersion)
        #expect(try Self.allocated(in: database) == allocated)
        #expect(try Self.lineStates(in: database) == states)
        #expect(
            try database.query("SELECT orderline_id, batch_id, qty FROM allocations ORDER BY orderline_id") {
                "\($0.int(0)) \($0.int(1)) \($0.int(2))"
            } == ["1 1 3", "2 1 4", "3 2 5"])
        #expect(try TestDatabase.miscountedBatches(in: database).isEmpty)
        // The migrated schema keeps allocated from the allocations' own quantities from here on.
        try database.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (4, 3, 1)")
        try database.execute("DELETE FROM allocations WHERE orderline_id = 2")
        #expect(try Self.allocated(in: database) == ["b1 3", "b2 5", "b3 1"])
        // Bringing it up to date again finds nothing to do.
        try Schema.migrate(database)
        #expect(try Self.allocated(in: database) == ["b1 3", "b2 5", "b3 1"])
    }

    /// A fresh database with LAMP batches `b1` and `b2` of 10 each and the lines `o1` (6, neither placed nor
    /// waiting), `o2` (5, waiting) and `o3` (1, shipped from `b1`), written directly.
    static func piecesFixture() throws -> TestDatabase {
        let store = try TestDatabase()
        try store.database.transaction { db in
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
            try db.execute(
                "INSERT INTO batches (id, reference, sku, purchased) VALUES (1, 'b1', 'LAMP', 10), (2, 'b2', 'LAMP', 10)"
            )
            try db.execute(
                """
                INSERT INTO order_lines (id, orderid, sku, qty, waiting_since, shipped_at, shipped_from) VALUES
                  (1, 'o1', 'LAMP', 6, NULL, NULL, NULL), (2, 'o2', 'LAMP', 5, '2026-01-15T00:00:00.000Z', NULL, NULL),
                  (3, 'o3', 'LAMP', 1, NULL, '2026-01-16T00:00:00.000Z', 'b1')
                """)
        }
        return store
    }

    static func expectRefused(_ sql: String, saying words: String, in db: Database) {
        #expect(
            "\(sql)", performing: { try db.execute(sql) },
            throws: { error in
                guard let error = error as? DatabaseError else { return false }
                return error.kind == .constraintViolation && (words.isEmpty || error.message.contains(words))
            })
    }

    @Test func twoPiecesOfALineOnTwoBatchesEachCountOnTheirBatchAndDeletingOneFreesExactlyItsQuantity() throws {
        let store = try Self.piecesFixture()
        let db = store.database
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 1, 4), (1, 2, 2)")
        #expect(try Self.allocated(in: db) == ["b1 4", "b2 2"])
        try db.execute("UPDATE allocations SET qty = 1 WHERE orderline_id = 1 AND batch_id = 2")
        #expect(try Self.allocated(in: db) == ["b1 4", "b2 1"])
        try db.execute("DELETE FROM allocations WHERE orderline_id = 1 AND batch_id = 1")
        #expect(try Self.allocated(in: db) == ["b1 0", "b2 1"])
        try db.execute("UPDATE allocations SET batch_id = 1, qty = 3 WHERE orderline_id = 1 AND batch_id = 2")
        #expect(try Self.allocated(in: db) == ["b1 3", "b2 0"])
        try db.execute("DELETE FROM allocations WHERE orderline_id = 1")
        #expect(try Self.allocated(in: db) == ["b1 0", "b2 0"])
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func piecesThatWouldAddUpToMoreThanTheLineAreRefused() throws {
        let store = try Self.piecesFixture()
        let db = store.database
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 1, 4)")
        let before = try store.contents()
        let words = "an order line's pieces cannot add up to more than its open quantity"
        Self.expectRefused(
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 2, 3)", saying: words, in: db)
        Self.expectRefused("UPDATE allocations SET qty = 7 WHERE orderline_id = 1", saying: words, in: db)
        #expect(try store.contents() == before)
        // Exactly the line's quantity is accepted.
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 2, 2)")
        #expect(try Self.allocated(in: db) == ["b1 4", "b2 2"])
    }

    @Test func aWaitingLineHoldsPiecesShortOfItsQuantityAndAFullyPlacedLineCannotWait() throws {
        let store = try Self.piecesFixture()
        let db = store.database
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (2, 1, 3)")
        #expect(try Self.allocated(in: db) == ["b1 3", "b2 0"])
        let words = "a waiting order line's pieces must add up to less than its open quantity"
        Self.expectRefused(
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (2, 2, 2)", saying: words, in: db)
        Self.expectRefused("UPDATE allocations SET qty = 5 WHERE orderline_id = 2", saying: words, in: db)
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (2, 2, 1)")
        #expect(try Self.allocated(in: db) == ["b1 3", "b2 1"])
        // A line whose pieces hold all of it is placed, not waiting.
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 1, 6)")
        Self.expectRefused(
            "UPDATE order_lines SET waiting_since = '2026-01-17T00:00:00.000Z' WHERE id = 1",
            saying: "an allocated order line cannot wait, ship or be cancelled", in: db)
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func aShippedLineGetsNoPieceAndALineWithPiecesCannotBeShipped() throws {
        let store = try Self.piecesFixture()
        let db = store.database
        Self.expectRefused(
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (3, 1, 1)",
            saying: "a shipped or cancelled order line cannot be allocated", in: db)
        try db.execute("INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 1, 2)")
        Self.expectRefused(
            "UPDATE allocations SET orderline_id = 3, qty = 1 WHERE orderline_id = 1",
            saying: "a shipped or cancelled order line cannot be allocated", in: db)
        Self.expectRefused(
            "UPDATE order_lines SET shipped_at = '2026-01-17T00:00:00.000Z', shipped_from = 'b1' WHERE id = 1",
            saying: "an allocated order line cannot wait, ship or be cancelled", in: db)
        Self.expectRefused(
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (1, 2, 0)", saying: "", in: db)
        #expect(try Self.allocated(in: db) == ["b1 2", "b2 0"])
    }
}
