import Foundation
import TestSupport
import Testing

@testable import Allocation

/// `stock init` on files made by every released schema version: the real files in `Fixtures`, each made by the
/// `stock` of the commit its name gives (`init`, three batches, two allocations, a quantity change and lines that
/// found no stock).
@Suite struct SchemaUpgradeTests {
    static let fixtures = [
        "schema-v2-e88ccbe",  // the first landed version: no batches.allocated, no triggers
        "schema-v2-76372a1",  // version 2 edited in place: allocated and its triggers, lines by (sku, orderid)
        "schema-v2-c85e0d0",  // the last version 2: lines by (sku, id)
        "schema-v3-f7481e8",  // version 3 with the event log's columns added to the AUTOINCREMENT table
        "schema-v3-80923af",  // version 3 rebuilt without AUTOINCREMENT, 1 KiB pages
        "schema-v4-3299848",  // version 4, the batches with stock indexed
    ]

    /// A copy of the fixture `name` in a fresh temporary folder.
    static func copy(_ name: String, in folder: TemporaryFolder) throws -> String {
        let source = repositoryRoot + "/Tests/EndToEndTests/Fixtures/\(name).sqlite"
        let path = folder.appendingPathComponent("\(name).sqlite").path
        try FileManager.default.copyItem(atPath: source, toPath: path)
        return path
    }

    static func stock(_ path: String, _ arguments: String...) throws -> ProcessResult {
        let environment = [
            "STOCK_SETTINGS": repositoryRoot + "/assets/settings/test.json", "STOCK_NOTIFIER": "log", "TZ": "UTC",
        ]
        return try StockProcess.run(["--db", path] + arguments, environment: environment)
    }

    /// `reference sku purchased eta allocated` of each batch, by id.
    static func batches(in path: String) throws -> [String] {
        let database = try Database(path: path, access: .readOnly)
        return try database.query("SELECT reference, sku, purchased, coalesce(eta, '-') FROM batches ORDER BY id") {
            "\($0.text(0)) \($0.text(1)) \($0.int(2)) \($0.text(3))"
        }
    }

    @Test(.sqliteOnly, arguments: fixtures)
    func initBringsTheFileUpToDateKeepingItsDataAndAllocatingWorks(fixture: String) throws {
        let folder = try TemporaryFolder()
        let path = try Self.copy(fixture, in: folder)
        let before = try Self.batches(in: path)
        let hasWaitingLine =
            try Database(path: path, access: .readOnly).queryOne(
                "SELECT count(*) FROM order_lines WHERE orderid = 'o3'"
            ) { $0.int(0) == 1 } ?? false
        let result = try Self.stock(path, "init")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("schema version \(Schema.currentVersion)"))
        #expect(try Self.batches(in: path) == before)
        let database = try Database(path: path, access: .readOnly)
        #expect(try database.schemaVersion == Schema.currentVersion)
        #expect(try database.queryOne("PRAGMA integrity_check") { $0.text(0) } == "ok")
        // Each batch's allocated is its pieces' sum, whatever kept it before. The line o3 (7 LAMP), which waited
        // under the book's rule since no single batch could take it, is placed in pieces by init under the
        // default splitLines: 6 from the stock batch, 1 from the late one. The oldest fixtures have no o3.
        let allocated = try database.query("SELECT reference, allocated FROM batches ORDER BY id") {
            "\($0.text(0)) \($0.int(1))"
        }
        #expect(
            allocated == (hasWaitingLine ? ["B-STOCK 10", "B-LATE 1", "B-TV 2"] : ["B-STOCK 4", "B-LATE 0", "B-TV 2"]))
        #expect(
            result.stdout == (hasWaitingLine ? "filled o3 LAMP x6 from B-STOCK\nfilled o3 LAMP x1 from B-LATE\n" : ""))
        let lines = try database.query(
            """
            SELECT l.orderid, coalesce(b.reference, 'waiting') FROM order_lines AS l
            LEFT JOIN allocations AS a ON a.orderline_id = l.id LEFT JOIN batches AS b ON b.id = a.batch_id
            WHERE l.waiting_since IS NULL ORDER BY l.id
            """
        ) { "\($0.text(0)) \($0.text(1))" }
        #expect(lines == ["o1 B-STOCK", "o2 B-TV"] + (hasWaitingLine ? ["o3 B-STOCK", "o3 B-LATE"] : []))
        // Each allocation the file had holds its line's whole quantity.
        let pieces = try database.queryOne(
            "SELECT count(*), sum(a.qty = l.qty) FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id"
        ) { "\($0.int(0)) allocations, \($0.int(1)) holding their line's quantity" }
        #expect(pieces == "\(hasWaitingLine ? 4 : 2) allocations, 2 holding their line's quantity")
        let index = try database.queryOne("SELECT sql FROM sqlite_schema WHERE name = 'order_lines_by_sku'") {
            $0.text(0)
        }
        #expect(index == "CREATE INDEX order_lines_by_sku ON order_lines (sku, id)")
        let triggers = try database.query("SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name") {
            $0.text(0)
        }
        #expect(
            triggers == [
                "allocations_add", "allocations_fit_their_line_on_insert", "allocations_fit_their_line_on_update",
                "allocations_move", "allocations_need_a_live_line", "allocations_remove",
                "order_lines_allocated_line_cannot_wait_or_ship",
            ])
        // The triggers keep allocated from here on, and the board and the event log read the old rows.
        let allocation = try Self.stock(path, "allocate", "o9", "LAMP", "5")
        #expect(allocation.status == 0, "\(allocation.stderr)")
        // With o3 placed, the stock batch is full and o9 goes to the late batch.
        #expect(allocation.stdout == "allocated o9 LAMP x5 to \(hasWaitingLine ? "B-LATE" : "B-STOCK")\n")
        let stocked = try database.queryOne("SELECT allocated FROM batches WHERE reference = 'B-STOCK'") {
            $0.int(0)
        }
        #expect(stocked == (hasWaitingLine ? 10 : 9))
        let another = try Self.stock(path, "allocate", "o10", "LAMP", "2")
        #expect(
            another.stdout
                == (hasWaitingLine
                    ? "waiting: o10 LAMP x2 (out of stock for LAMP)\n" : "allocated o10 LAMP x2 to B-LATE\n"))
        #expect(try Self.stock(path, "batches").status == 0)
        let events = try Self.stock(path, "events")
        #expect(events.status == 0, "\(events.stderr)")
        #expect(events.stdout.contains("o9"))
        // Bringing it up to date again finds nothing to do.
        #expect(try Self.stock(path, "init").status == 0)
        #expect(try database.schemaVersion == Schema.currentVersion)
    }

    /// Each batch as `reference purchased shipped allocated`, by reference.
    static func quantities(in database: Database) throws -> [String] {
        try database.query("SELECT reference, purchased, shipped, allocated FROM batches ORDER BY reference") {
            "\($0.text(0)) \($0.int(1)) \($0.int(2)) \($0.int(3))"
        }
    }

    /// What the version 6 file below holds once brought up to date.
    static let quantitiesAfterUpgrade = ["B-1 10 10 0", "B-2 5 2 2", "S-1 20 0 8", "T-1 4 3 0"]

    /// `schema-v6-41099e3`, made by that commit's `stock` under the test settings: B-1 (10 LAMP) and B-2 (5) in
    /// the warehouse, S-1 (20) arriving, T-1 (4 TV); o1 (12 LAMP) placed 10 on B-1 and 2 on B-2 and shipped, o3
    /// (3 TV) shipped from T-1, o2 (6) and o6 (2) on S-1, o5 (2) on B-2, o4 (5 TV) waiting. Version 6 took the
    /// shipped units off `purchased` (B-1 0, B-2 3, T-1 1); init counts them per batch from the `Shipped` events
    /// and gives them back.
    @Test(.sqliteOnly) func initCountsWhatShippedFromEachBatchAndGivesItBackToPurchased() throws {
        let folder = try TemporaryFolder()
        let path = try Self.copy("schema-v6-41099e3", in: folder)
        let before = try Self.batches(in: path)
        #expect(before == ["B-1 LAMP 0 -", "B-2 LAMP 3 -", "S-1 LAMP 20 2026-12-20", "T-1 TV 1 -"])
        let result = try Self.stock(path, "init")
        #expect(result.status == 0, "\(result.stderr)")
        let database = try Database(path: path, access: .readOnly)
        #expect(try database.schemaVersion == Schema.currentVersion)
        #expect(try Self.quantities(in: database) == Self.quantitiesAfterUpgrade)
        #expect(try database.queryOne("PRAGMA integrity_check") { $0.text(0) } == "ok")
        let listed = try Self.stock(path, "batches", "--sku", "TV", "--json")
        #expect(
            listed.stdout
                == #"[{"reference":"T-1","sku":"TV","eta":null,"purchased":4,"shipped":3,"onHand":1,"allocated":0,"#
                + #""available":1}]"# + "\n")
        // What is on hand is what allocation takes: B-2 has 1 left, then the arriving batch.
        #expect(try Self.stock(path, "allocate", "o7", "LAMP", "1").stdout == "allocated o7 LAMP x1 to B-2\n")
        #expect(try Self.stock(path, "allocate", "o8", "LAMP", "1").stdout == "allocated o8 LAMP x1 to S-1\n")
        #expect(try Self.stock(path, "change-quantity", "B-1", "9").status == 1, "10 shipped from B-1")
        let shipped = try Self.stock(path, "ship", "o5")
        #expect(shipped.stdout == "shipped o5 LAMP x2 from B-2\n", "\(shipped.stderr)")
        #expect(try Self.quantities(in: database).prefix(2) == ["B-1 10 10 0", "B-2 5 4 1"])
        // Bringing it up to date again counts nothing twice.
        #expect(try Self.stock(path, "init").status == 0)
        #expect(try Self.quantities(in: database).prefix(2) == ["B-1 10 10 0", "B-2 5 4 1"])
    }

    @Test(.sqliteOnly) func aFileLackingWhatItsVersionClaimsIsRefusedInWordsAndLeftAsItWas() throws {
        let folder = try TemporaryFolder()
        let path = try Self.copy("schema-v2-c85e0d0", in: folder)
        // A development build's file: version 3's number on version 2's tables.
        do {
            let database = try Database(path: path)
            try database.execute("PRAGMA user_version = 3")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try Self.stock(path, "init")
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "\(path) says schema version 3, but its events table has no columns operator, orderid, ref; its "
                    + "order_lines table has no columns waiting_since, shipped_at, shipped_from: it was not made by "
                    + "a released stock at that version"))
        #expect(result.stderr.contains("changed nothing in it"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test(.sqliteOnly) func aMigrationThatFailsMidwayLeavesTheFileAtItsOldVersionAndContent() throws {
        let folder = try TemporaryFolder()
        let path = try Self.copy("schema-v2-c85e0d0", in: folder)
        // Migration 3 would pass; migration 4's index then meets a table of the same name.
        do {
            let database = try Database(path: path)
            try database.execute("CREATE TABLE batches_with_stock (note TEXT)")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try Self.stock(path, "init")
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "stock init could not bring \(path) from schema version 2 to \(Schema.currentVersion) at migration 4 "
                    + "(index the batches that have stock, in allocation preference): "))
        #expect(result.stderr.contains("it changed nothing, the file is still at version 2"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        let database = try Database(path: path, access: .readOnly)
        #expect(try database.schemaVersion == 2)
        #expect(try database.query("SELECT name FROM pragma_table_info('order_lines')") { $0.text(0) }.count == 4)
    }
}

/// `stock init` on a server schema: checked against its version, and all or nothing.
@Suite struct ServerSchemaUpgradeTests {
    @Test(.postgresOnly) func aSchemaLackingWhatItsVersionClaimsIsRefusedInWords() throws {
        let fixture = try CommandLineFixture()
        let raw = try rawConnection(to: fixture.path)
        try raw.execute("DROP TRIGGER events_announce ON events")
        try raw.execute("ALTER TABLE order_lines DROP COLUMN shipped_from")
        let result = try fixture.stock("init")
        #expect(result.status == 3)
        #expect(
            result.stderr.contains(
                "says schema version \(Schema.currentVersion), but its order_lines table has no column shipped_from; "
                    + "it has no trigger "
                    + "events_announce: it was not made by a released stock at that version"))
    }

    /// Makes in `raw`'s empty schema what the server's first release made (SQLite's version 4 in the server's
    /// words), numbered `version`.
    static func makeFirstRelease(in raw: Database, numbered version: Int) throws {
        try raw.transaction { db in
            for sql in PostgresSchema.firstRelease { try db.connection.runScript(sql) }
            try db.execute("UPDATE stock_schema SET version = ?", version)
        }
    }

    /// A schema made by a stock that numbered the server's versions apart (1 and 2, both the whole schema) is
    /// refused for work under its old number, and `init` renumbers it and applies the later migrations, keeping
    /// its rows: the allocation then holds its line's quantity.
    @Test(.postgresOnly, arguments: [1, 2])
    func aSchemaAtTheServersOldNumbersIsRenumberedByInit(oldVersion: Int) throws {
        let fixture = try CommandLineFixture(initialize: false)
        let raw = try rawConnection(to: fixture.path)
        try Self.makeFirstRelease(in: raw, numbered: oldVersion)
        try raw.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        try raw.execute("INSERT INTO batches (id, reference, sku, purchased) VALUES (1, 'b1', 'LAMP', 10)")
        try raw.execute("INSERT INTO order_lines (id, orderid, sku, qty) VALUES (1, 'o1', 'LAMP', 3)")
        try raw.execute("INSERT INTO allocations (orderline_id, batch_id) VALUES (1, 1)")
        let refused = try fixture.stock("batches")
        #expect(refused.status == 3)
        #expect(
            refused.stderr.contains("was made by an older stock (schema version \(oldVersion))"), "\(refused.stderr)")
        let upgraded = try fixture.stock("init")
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(upgraded.stderr.contains("(schema version \(Schema.currentVersion))"), "\(upgraded.stderr)")
        #expect(try raw.queryOne("SELECT version FROM stock_schema") { $0.int(0) } == Schema.currentVersion)
        let listed = try fixture.stock("batches")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("b1"))
        #expect(try raw.queryOne("SELECT allocated FROM batches") { $0.int(0) } == 3)
        #expect(try raw.queryOne("SELECT qty FROM allocations WHERE orderline_id = 1") { $0.int(0) } == 3)
    }

    @Test(.postgresOnly) func aSchemaAtAnOldNumberLackingWhatItClaimsIsRefusedUnderThatNumber() throws {
        let fixture = try CommandLineFixture()
        let raw = try rawConnection(to: fixture.path)
        try raw.execute("UPDATE stock_schema SET version = 1")
        try raw.execute("DROP INDEX batches_with_stock")
        let result = try fixture.stock("init")
        #expect(result.status == 3)
        #expect(
            result.stderr.contains("says schema version 1, but it has no index batches_with_stock"), "\(result.stderr)")
        #expect(try raw.queryOne("SELECT version FROM stock_schema") { $0.int(0) } == 1)
    }

    /// A server schema at version 6, holding what that version wrote for the same work as the SQLite file
    /// `schema-v6-41099e3` (the shipped units taken off `purchased`, a `Shipped` event per piece), is brought up
    /// to date with the same figures.
    @Test(.postgresOnly) func initCountsWhatShippedFromEachBatchAndGivesItBackToPurchased() throws {
        let fixture = try CommandLineFixture(initialize: false)
        let raw = try rawConnection(to: fixture.path)
        try raw.transaction { db in
            for migration in Schema.migrations.prefix(6) {
                for sql in migration.postgres { try db.connection.runScript(sql) }
            }
            try db.execute("UPDATE stock_schema SET version = 6")
            let at = "2026-12-07T12:00:00.000Z"
            for sql in [
                "INSERT INTO products (sku, version) VALUES ('LAMP', 8), ('TV', 3)",
                """
                INSERT INTO batches (reference, sku, purchased, eta) VALUES ('B-1', 'LAMP', 0, NULL),
                  ('B-2', 'LAMP', 3, NULL), ('S-1', 'LAMP', 20, '2026-12-20'), ('T-1', 'TV', 1, NULL)
                """,
                """
                INSERT INTO order_lines (orderid, sku, qty, shipped_at, shipped_from, shipped_qty) VALUES
                  ('o1', 'LAMP', 12, '\(at)', 'B-1, B-2', 12), ('o3', 'TV', 3, '\(at)', 'T-1', 3)
                """,
                "INSERT INTO order_lines (orderid, sku, qty) VALUES ('o2', 'LAMP', 6), ('o5', 'LAMP', 2)",
                "INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES ('o4', 'TV', 5, '\(at)')",
                "INSERT INTO order_lines (orderid, sku, qty) VALUES ('o6', 'LAMP', 2)",
                """
                INSERT INTO allocations (orderline_id, batch_id, qty)
                SELECT l.id, b.id, piece.qty FROM (VALUES ('o2', 'S-1', 6), ('o5', 'B-2', 2), ('o6', 'S-1', 2))
                  AS piece (orderid, ref, qty)
                JOIN order_lines AS l ON l.orderid = piece.orderid JOIN batches AS b ON b.reference = piece.ref
                """,
                """
                INSERT INTO events (at, kind, payload, orderid, ref) VALUES
                  ('\(at)', 'Shipped', '{"orderid":"o1","sku":"LAMP","qty":10,"batchref":"B-1"}', 'o1', 'B-1'),
                  ('\(at)', 'Shipped', '{"orderid":"o1","sku":"LAMP","qty":2,"batchref":"B-2"}', 'o1', 'B-2'),
                  ('\(at)', 'Shipped', '{"orderid":"o3","sku":"TV","qty":3,"batchref":"T-1"}', 'o3', 'T-1')
                """,
            ] {
                try db.execute(sql)
            }
        }
        let upgraded = try fixture.stock("init")
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(try SchemaUpgradeTests.quantities(in: raw) == SchemaUpgradeTests.quantitiesAfterUpgrade)
        let first = try fixture.stock("allocate", "o7", "LAMP", "1")
        #expect(first.stdout == "allocated o7 LAMP x1 to B-2\n", "\(first.stderr)")
        let second = try fixture.stock("allocate", "o8", "LAMP", "1")
        #expect(second.stdout == "allocated o8 LAMP x1 to S-1\n", "\(second.stderr)")
        #expect(try fixture.stock("change-quantity", "B-1", "9").status == 1, "10 shipped from B-1")
    }

    @Test(.postgresOnly) func aFailedFirstMigrationLeavesNoSchemaBehind() throws {
        let fixture = try CommandLineFixture(initialize: false)
        let raw = try rawConnection(to: fixture.path)
        // Not a table, so init goes ahead, and the migration's own CREATE FUNCTION then fails.
        try raw.execute("CREATE FUNCTION stock_contains(text, text) RETURNS boolean LANGUAGE sql RETURN false")
        let result = try fixture.stock("init")
        #expect(result.status == 3)
        #expect(result.stderr.contains("stock init could not create its schema in"))
        #expect(try raw.queryOne("SELECT to_regclass('stock_schema') IS NULL") { $0.int(0) } == 1)
        #expect(try raw.queryOne("SELECT to_regclass('batches') IS NULL") { $0.int(0) } == 1)
    }
}
