import TestSupport
import Testing

@testable import Allocation

@Suite struct SchemaTests {
    @Test func migratesAnEmptyFileToTheCurrentVersion() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("new.sqlite").path, access: .create)
        try Schema.migrate(database)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
        let tables = try database.query("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name") {
            $0.text(0)
        }
        #expect(
            tables.filter { !$0.hasPrefix("sqlite_") } == [
                "allocations", "batches", "events", "order_lines", "products",
            ])
        try Schema.migrate(database)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
    }

    @Test func migratesAnOlderFileKeepingItsData() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("old.sqlite").path, access: .create)
        try database.transaction { db in
            for sql in Schema.migrations[0].sqlite { try db.execute(sql) }
            try db.execute("PRAGMA user_version = 1")
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
            try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('b1', 'LAMP', 5)")
        }
        try Schema.migrate(database)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
        #expect(try Views.batches(in: database).map(\.reference) == ["b1"])
        let indexes = try database.query(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND name = 'order_lines_by_sku'"
        ) { $0.text(0) }
        #expect(indexes == ["order_lines_by_sku"])
    }

    @Test func migratingAVersionTwoFileKeepsLinesWithoutABatchAsWaitingAndFillsTheEventColumns() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("v2.sqlite").path, access: .create)
        try database.transaction { db in
            for migration in Schema.migrations.prefix(2) {
                for sql in migration.sqlite { try db.execute(sql) }
            }
            try db.execute("PRAGMA user_version = 2")
            try db.execute("INSERT INTO products (sku, version) VALUES ('TV', 3)")
            try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('W-1', 'TV', 10)")
            try db.execute("INSERT INTO order_lines (orderid, sku, qty) VALUES ('OLD-1', 'TV', 8), ('NEW-1', 'TV', 2)")
            try db.execute("INSERT INTO allocations (orderline_id, batch_id) VALUES (2, 1)")
            let old = [
                ("BatchCreated", #"{"ref":"W-1","sku":"TV","qty":10,"eta":null}"#),
                ("Deallocated", #"{"orderid":"OLD-1","sku":"TV","qty":8}"#),
                ("OutOfStock", #"{"sku":"TV"}"#),
                ("Allocated", #"{"orderid":"NEW-1","sku":"TV","qty":2,"batchref":"W-1"}"#),
            ]
            for (kind, payload) in old {
                try db.execute(
                    "INSERT INTO events (at, kind, payload) VALUES ('2026-01-15T12:00:00.000Z', ?, ?)", kind, payload)
            }
        }
        try Schema.migrate(database)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
        let lines = try Views.lines(matching: "TV", from: Int64.max, newer: false, limit: 10, in: database)
        #expect(lines.map(\.status.name) == ["allocated", "waiting"])
        #expect(try Views.backorders(in: database).map(\.orderid) == ["OLD-1"])
        #expect(try Views.backorders(in: database).first.map { $0.status != .waiting(since: "") } == true)
        #expect(
            try Views.events(in: database).map(\.event) == [
                .batchCreated(ref: "W-1", sku: "TV", qty: 10, eta: nil),
                .deallocated(orderid: "OLD-1", sku: "TV", qty: 8, batchref: nil),
                .outOfStock(sku: "TV", orderid: nil, qty: nil),
                .allocated(orderid: "NEW-1", sku: "TV", qty: 2, batchref: "W-1"),
            ])
        #expect(try Views.events(in: database).map(\.payload)[1] == #"{"orderid":"OLD-1","sku":"TV","qty":8}"#)
        #expect(try Views.history(orderid: "OLD-1", in: database).map(\.kind) == ["Deallocated"])
        #expect(try Views.history(batch: "W-1", in: database).map(\.kind) == ["BatchCreated", "Allocated"])
        #expect(try Views.events(in: database).allSatisfy { $0.operator.isEmpty })
        let indexes = try database.query(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN "
                + "('order_lines_waiting', 'events_by_order', 'events_by_batch', 'batches_by_eta') ORDER BY name"
        ) { $0.text(0) }
        #expect(indexes == ["batches_by_eta", "events_by_batch", "events_by_order", "order_lines_waiting"])
        #expect(try Views.events(in: database).map(\.id) == [1, 2, 3, 4])
        let day = try #require(Day(year: 2026, month: 1, day: 16))
        let bus = MessageBus(database: database, clock: .fixed(day), log: { _ in })
        try bus.handle(.createBatch(CreateBatch(ref: "W-2", sku: "TV", qty: 100)))
        #expect(try Views.events(after: 4, in: database).map(\.id).allSatisfy { $0 > 4 })
        #expect(try Views.events(after: 4, in: database).count >= 2)
    }

    @Test(.sqliteOnly) func aNewFileHasSmallPagesForSmallRows() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("new.sqlite").path, access: .create)
        try Schema.migrate(database)
        #expect(try database.queryOne("PRAGMA page_size") { $0.int(0) } == Schema.pageSize)
        #expect(Schema.pageSize == 1024)
    }

    /// The statement `Views.backorders` runs for one SKU, as it wrote it, reads the partial index.
    @Test func backorderLookupsReadOnlyThePartialIndex() throws {
        let store = try TestDatabase()
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        _ = try Views.backorders(sku: "LAMP", in: store.database)
        store.database.willRun = nil
        let sql = try #require(statements.first { $0.contains("FROM order_lines") }, "\(statements)")
        let plan = try QueryPlan(of: sql, in: store.database)
        #expect(plan.uses("order_lines_waiting"), "\(sql): \(plan.steps)")
    }

    @Test(.sqliteOnly) func initRefusesAFileThatHoldsAnotherProgramsTables() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("notes.sqlite").path, access: .create)
        try database.execute("CREATE TABLE notes (text TEXT)")
        #expect(throws: DatabaseError.self) { try Schema.migrate(database) }
        #expect(try database.queryOne("PRAGMA journal_mode") { $0.text(0) } == "delete")
        #expect(try database.query("SELECT name FROM sqlite_schema") { $0.text(0) } == ["notes"])
    }

    @Test(.sqliteOnly) func onlyACurrentStockDatabaseIsOpenedForWork() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("x.sqlite").path, access: .create)
        #expect(throws: DatabaseError.self) { try Schema.requireCurrent(database) }
        for sql in Schema.migrations[0].sqlite { try database.execute(sql) }
        try database.execute("PRAGMA user_version = 1")
        do {
            try Schema.requireCurrent(database)
            Issue.record("accepted an older schema")
        } catch let error as DatabaseError {
            #expect(error.message.contains("made by an older stock (schema version 1)"))
            #expect(error.message.contains("stock --db \(database.path) init"))
        }
        try Schema.migrate(database)
        try Schema.requireCurrent(database)
    }

    @Test(.sqliteOnly) func refusesAFileFromANewerStock() throws {
        let folder = try TemporaryFolder()
        let database = try Database(path: folder.appendingPathComponent("new.sqlite").path, access: .create)
        try database.execute("PRAGMA user_version = 99")
        #expect(throws: DatabaseError.self) { try Schema.migrate(database) }
    }

    @Test func theSchemaItselfRefusesImpossibleRows() throws {
        let store = try TestDatabase()
        let db = store.database
        try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        let refused = [
            "INSERT INTO batches (reference, sku, purchased) VALUES ('b', 'LAMP', -1)",
            "INSERT INTO batches (reference, sku, purchased) VALUES ('b', 'NOPE', 1)",
            "INSERT INTO batches (reference, sku, purchased, eta) VALUES ('b', 'LAMP', 1, 'soon')",
            "INSERT INTO batches (reference, sku, purchased, eta) VALUES ('b', 'LAMP', 1, '2025-02-30')",
            "INSERT INTO batches (reference, sku, purchased, eta) VALUES ('b', 'LAMP', 1, '2026-19-39')",
            "INSERT INTO batches (reference, sku, purchased, eta) VALUES ('b', 'LAMP', 1, '2026-1-5')",
            "INSERT INTO order_lines (orderid, sku, qty) VALUES ('o', 'LAMP', 0)",
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (42, 42, 1)",
        ]
        for sql in refused {
            #expect(
                "\(sql)", performing: { try db.execute(sql) },
                throws: { error in
                    (error as? DatabaseError)?.kind == .constraintViolation
                })
        }
    }

    /// The triggers keep `batches.allocated` equal to the lines on the batch, and the CHECK refuses more than
    /// purchased, whatever writes the rows.
    @Test func theSchemaKeepsAllocatedAndRefusesOverAllocation() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 10, eta: Day("2026-02-01"))))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 6)))
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 4)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 7)))
        try bus.handle(.deallocate(Deallocate(orderid: "o1", sku: "LAMP")))
        #expect(try store.miscountedBatches().isEmpty)
        #expect(try Views.batches(in: store.database).map(\.allocated) == [0, 4])

        let db = store.database
        let before = try store.contents()
        let big = try #require(
            try db.queryOne("INSERT INTO order_lines (orderid, sku, qty) VALUES ('big', 'LAMP', 11) RETURNING id") {
                $0.int64(0)
            })
        let refused = [
            "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (\(big), 1, 11)",
            "UPDATE order_lines SET qty = 1 WHERE orderid = 'o2'",
            "DELETE FROM order_lines WHERE orderid = 'o2'",
            "UPDATE batches SET purchased = 3 WHERE reference = 'b2'",
        ]
        for sql in refused {
            #expect(throws: DatabaseError.self, "\(sql)") { try db.execute(sql) }
        }
        try db.execute("DELETE FROM order_lines WHERE id = ?", big)
        #expect(try store.contents() == before)
    }

    /// Every statement a command runs, as the production code wrote it, finds its rows through an index.
    @Test(arguments: [
        Command.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 1)),
        .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 2)),
        .createBatch(CreateBatch(ref: "b3", sku: "LAMP", qty: 5)),
        .createBatch(CreateBatch(ref: "b4", sku: "RUG", qty: 5)),
        .deallocate(Deallocate(orderid: "o1", sku: "LAMP")),
        .changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 1)),
    ])
    func aCommandReadsOnlyItsSkusRowsThroughIndexes(_ command: Command) throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 10, eta: Day("2026-02-01"))))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 2)))
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        try bus.handle(command)
        store.database.willRun = nil
        let touchingRows = Set(statements).filter { ["SELECT", "INSERT", "UPDATE", "DELETE"].contains($0.prefix(6)) }
        #expect(touchingRows.count >= 3, "\(statements)")
        for sql in touchingRows {
            let plan = try QueryPlan(of: sql, in: store.database)
            #expect(plan.fullScans.isEmpty, "\(sql): \(plan.steps)")
            if store.database.isSQLite {
                #expect(plan.sorts.isEmpty, "\(sql): \(plan.steps)")
            }
        }
    }
}
