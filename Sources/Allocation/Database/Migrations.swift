/// The schema as one ordered list of forward migrations for both engines; the version reached, the same number
/// on either, is kept in a file's `PRAGMA user_version` or a server schema's one-row `stock_schema` table.
///
/// Every rule SQLite can hold lives here (NOT NULL, CHECK, UNIQUE, foreign keys). A batch's `allocated` is kept
/// by triggers on `allocations` in the same statement that moves a line, so the schema itself refuses a batch
/// allocated beyond what it has on hand (purchased less shipped), and an allocation reads one row per batch instead of summing every
/// line the batch ever took. `Logic` checks the same rule as a contract before anything is written.
///
/// The server's first release created in one step what SQLite had reached in four, so its text is all in
/// migration 1 (``PostgresSchema/firstRelease``) and migrations 2 to 4 have none for it; from migration 5 on,
/// each step has both engines' text. A released migration's
/// text never changes: a file or server schema at version N has run exactly the first N. The server's versions
/// were once numbered apart (1 and 2); `stock init` renumbers such a schema (``PostgresSchema/renumbered``).
public enum Schema {
    /// One step of the history, in each engine's words. A step may be empty for an engine that had what it makes
    /// from an earlier step.
    struct Migration {
        let name: String
        let sqlite: [String]
        let postgres: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            name: "create tables",
            sqlite: [
                """
                CREATE TABLE products (
                    sku TEXT PRIMARY KEY,
                    version INTEGER NOT NULL DEFAULT 0 CHECK (version >= 0)
                )
                """,
                """
                CREATE TABLE batches (
                    id INTEGER PRIMARY KEY,
                    reference TEXT NOT NULL UNIQUE,
                    sku TEXT NOT NULL REFERENCES products (sku),
                    purchased INTEGER NOT NULL CHECK (purchased >= 0),
                    eta TEXT CHECK (eta IS NULL OR eta IS date(eta, '+0 days')),
                    allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= purchased)
                )
                """,
                // Allocation preference order within a SKU: in stock (no ETA) first, then earliest ETA, then reference.
                "CREATE INDEX batches_by_preference ON batches (sku, eta IS NOT NULL, eta, reference)",
                """
                CREATE TABLE order_lines (
                    id INTEGER PRIMARY KEY,
                    orderid TEXT NOT NULL,
                    sku TEXT NOT NULL REFERENCES products (sku),
                    qty INTEGER NOT NULL CHECK (qty > 0),
                    UNIQUE (orderid, sku)
                )
                """,
                """
                CREATE TABLE allocations (
                    orderline_id INTEGER PRIMARY KEY REFERENCES order_lines (id),
                    batch_id INTEGER NOT NULL REFERENCES batches (id)
                )
                """,
                "CREATE INDEX allocations_by_batch ON allocations (batch_id, orderline_id)",
                """
                CREATE TRIGGER allocations_add AFTER INSERT ON allocations BEGIN
                    UPDATE batches SET allocated = allocated + (SELECT qty FROM order_lines WHERE id = NEW.orderline_id)
                    WHERE id = NEW.batch_id;
                END
                """,
                """
                CREATE TRIGGER allocations_remove AFTER DELETE ON allocations BEGIN
                    UPDATE batches SET allocated = allocated - (SELECT qty FROM order_lines WHERE id = OLD.orderline_id)
                    WHERE id = OLD.batch_id;
                END
                """,
                """
                CREATE TRIGGER allocations_move AFTER UPDATE OF orderline_id, batch_id ON allocations BEGIN
                    UPDATE batches SET allocated = allocated - (SELECT qty FROM order_lines WHERE id = OLD.orderline_id)
                    WHERE id = OLD.batch_id;
                    UPDATE batches SET allocated = allocated + (SELECT qty FROM order_lines WHERE id = NEW.orderline_id)
                    WHERE id = NEW.batch_id;
                END
                """,
                // The triggers count a line's quantity when it is placed: it must not change under them.
                """
                CREATE TRIGGER order_lines_quantity_is_fixed BEFORE UPDATE OF qty ON order_lines BEGIN
                    SELECT RAISE(ABORT, 'an order line''s quantity cannot change');
                END
                """,
                """
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL
                )
                """,
            ],
            postgres: PostgresSchema.firstRelease),
        Migration(
            name: "index order lines by SKU for the allocations screen",
            sqlite: [
                "CREATE INDEX order_lines_by_sku ON order_lines (sku, id)"
            ],
            postgres: []),
        Migration(
            name: "stock lifecycle: waiting and shipped lines, who did what, history by order and batch",
            sqlite: [
                "ALTER TABLE order_lines ADD COLUMN waiting_since TEXT",
                """
                ALTER TABLE order_lines ADD COLUMN shipped_at TEXT
                  CHECK (shipped_at IS NULL OR waiting_since IS NULL)
                """,
                """
                ALTER TABLE order_lines ADD COLUMN shipped_from TEXT
                  CHECK ((shipped_from IS NULL) = (shipped_at IS NULL))
                """,
                // Lines left without a batch before this version wait from now on; their id stays their age.
                """
                UPDATE order_lines SET waiting_since = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                WHERE id NOT IN (SELECT orderline_id FROM allocations)
                """,
                // Backorder lookups read only the waiting lines, by SKU and age, never the shipped history.
                """
                CREATE INDEX order_lines_waiting ON order_lines (sku, id) WHERE waiting_since IS NOT NULL
                """,
                // The late batches of the at-risk view, without reading the batches in the warehouse.
                "CREATE INDEX batches_by_eta ON batches (eta) WHERE eta IS NOT NULL",
                // A line is allocated, waiting or shipped, never two of them at once.
                """
                CREATE TRIGGER allocations_need_a_live_line BEFORE INSERT ON allocations
                WHEN (SELECT waiting_since IS NOT NULL OR shipped_at IS NOT NULL FROM order_lines
                      WHERE id = NEW.orderline_id)
                BEGIN
                    SELECT RAISE(ABORT, 'a waiting or shipped order line cannot be allocated');
                END
                """,
                """
                CREATE TRIGGER order_lines_allocated_line_cannot_wait_or_ship
                BEFORE UPDATE OF waiting_since, shipped_at ON order_lines
                WHEN (NEW.waiting_since IS NOT NULL OR NEW.shipped_at IS NOT NULL)
                  AND EXISTS (SELECT 1 FROM allocations WHERE orderline_id = NEW.id)
                BEGIN
                    SELECT RAISE(ABORT, 'an allocated order line cannot wait or be shipped');
                END
                """,
                // The event log is rebuilt without AUTOINCREMENT, whose sqlite_sequence row every insert rewrote
                // (one more page per commit). Events are never deleted, so ids from max(id) + 1 grow as before.
                """
                CREATE TABLE events_v3 (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    operator TEXT NOT NULL DEFAULT '',
                    orderid TEXT,
                    ref TEXT
                )
                """,
                """
                INSERT INTO events_v3 (id, at, kind, payload, orderid, ref)
                SELECT id, at, kind, payload, json_extract(payload, '$.orderid'),
                  coalesce(json_extract(payload, '$.batchref'), json_extract(payload, '$.ref'))
                FROM events ORDER BY id
                """,
                "DROP TABLE events",
                "ALTER TABLE events_v3 RENAME TO events",
                "CREATE INDEX events_by_order ON events (orderid, id) WHERE orderid IS NOT NULL",
                "CREATE INDEX events_by_batch ON events (ref, id) WHERE ref IS NOT NULL",
            ],
            postgres: []),
        Migration(
            name: "index the batches that have stock, in allocation preference",
            sqlite: [
                // An allocation reads the first batch here that has room, never the emptied batches a SKU keeps:
                // `batches_by_preference` restricted to the rows with stock.
                """
                CREATE INDEX batches_with_stock ON batches (sku, eta IS NOT NULL, eta, reference)
                WHERE purchased > allocated
                """
            ],
            postgres: []),
        Migration(
            name: "allocations hold their quantity",
            sqlite: [
                // The table is rebuilt for its new key. The trigger on order_lines that reads it goes first, so that
                // no trigger names a table that is gone while the new one takes its name; the triggers on the old
                // table go with it, and all of them are made again below.
                "DROP TRIGGER order_lines_allocated_line_cannot_wait_or_ship",
                """
                CREATE TABLE allocations_v5 (
                    orderline_id INTEGER NOT NULL REFERENCES order_lines (id),
                    batch_id INTEGER NOT NULL REFERENCES batches (id),
                    qty INTEGER NOT NULL CHECK (qty > 0),
                    PRIMARY KEY (orderline_id, batch_id)
                )
                """,
                // Each allocation of before holds its line's whole quantity.
                """
                INSERT INTO allocations_v5 (orderline_id, batch_id, qty)
                SELECT a.orderline_id, a.batch_id, l.qty
                FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id
                ORDER BY a.orderline_id
                """,
                "DROP TABLE allocations",
                "ALTER TABLE allocations_v5 RENAME TO allocations",
                "CREATE INDEX allocations_by_batch ON allocations (batch_id, orderline_id)",
                // A batch's `allocated` is the sum of the quantities of the allocations on it.
                """
                CREATE TRIGGER allocations_add AFTER INSERT ON allocations BEGIN
                    UPDATE batches SET allocated = allocated + NEW.qty WHERE id = NEW.batch_id;
                END
                """,
                """
                CREATE TRIGGER allocations_remove AFTER DELETE ON allocations BEGIN
                    UPDATE batches SET allocated = allocated - OLD.qty WHERE id = OLD.batch_id;
                END
                """,
                """
                CREATE TRIGGER allocations_move AFTER UPDATE OF batch_id, qty ON allocations BEGIN
                    UPDATE batches SET allocated = allocated - OLD.qty WHERE id = OLD.batch_id;
                    UPDATE batches SET allocated = allocated + NEW.qty WHERE id = NEW.batch_id;
                END
                """,
                // A shipped line holds no allocation; a waiting line may hold some, short of its quantity.
                """
                CREATE TRIGGER allocations_need_a_live_line BEFORE INSERT ON allocations
                WHEN (SELECT shipped_at IS NOT NULL FROM order_lines WHERE id = NEW.orderline_id)
                BEGIN
                    SELECT RAISE(ABORT, 'a shipped order line cannot be allocated');
                END
                """,
                // A line's allocations add up to its quantity at most, and to less while it waits. The checks
                // run after the row is written, so that they count it once, whether an upsert inserts or updates.
                """
                CREATE TRIGGER allocations_fit_their_line_on_insert AFTER INSERT ON allocations BEGIN
                    SELECT RAISE(ABORT, 'an order line''s pieces cannot add up to more than its quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) > l.qty;
                    SELECT RAISE(ABORT, 'a waiting order line''s pieces must add up to less than its quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id AND l.waiting_since IS NOT NULL
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) >= l.qty;
                END
                """,
                """
                CREATE TRIGGER allocations_fit_their_line_on_update AFTER UPDATE OF orderline_id, qty ON allocations
                BEGIN
                    SELECT RAISE(ABORT, 'a shipped order line cannot be allocated')
                    FROM order_lines WHERE id = NEW.orderline_id AND shipped_at IS NOT NULL;
                    SELECT RAISE(ABORT, 'an order line''s pieces cannot add up to more than its quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) > l.qty;
                    SELECT RAISE(ABORT, 'a waiting order line''s pieces must add up to less than its quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id AND l.waiting_since IS NOT NULL
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) >= l.qty;
                END
                """,
                // A line with allocations cannot be shipped, and a line whose allocations hold all of it cannot wait.
                """
                CREATE TRIGGER order_lines_allocated_line_cannot_wait_or_ship
                BEFORE UPDATE OF waiting_since, shipped_at ON order_lines
                WHEN (NEW.shipped_at IS NOT NULL AND EXISTS (SELECT 1 FROM allocations WHERE orderline_id = NEW.id))
                  OR (NEW.waiting_since IS NOT NULL
                      AND (SELECT coalesce(sum(qty), 0) FROM allocations WHERE orderline_id = NEW.id) >= NEW.qty)
                BEGIN
                    SELECT RAISE(ABORT, 'an allocated order line cannot wait or be shipped');
                END
                """,
            ],
            postgres: PostgresSchema.allocationsHoldTheirQuantity),
        Migration(
            name: "partial shipments and cancelled lines",
            sqlite: [
                // The units of the line shipped so far: all of a shipped line, part of one shipped in part.
                """
                ALTER TABLE order_lines ADD COLUMN shipped_qty INTEGER NOT NULL DEFAULT 0
                  CHECK (shipped_qty >= 0 AND shipped_qty <= qty)
                """,
                // When the last part of a line still open left the warehouse, and from which batches its shipped
                // part left (joined by `, `); both nil until a part ships.
                "ALTER TABLE order_lines ADD COLUMN part_shipped_at TEXT",
                """
                ALTER TABLE order_lines ADD COLUMN part_shipped_from TEXT
                  CHECK ((part_shipped_from IS NULL) = (part_shipped_at IS NULL))
                """,
                // When the line was cancelled; a cancelled line neither waits nor ships, and holds no stock. It
                // stays listed with its order.
                """
                ALTER TABLE order_lines ADD COLUMN cancelled_at TEXT
                  CHECK (cancelled_at IS NULL OR (waiting_since IS NULL AND shipped_at IS NULL))
                """,
                "UPDATE order_lines SET shipped_qty = qty WHERE shipped_at IS NOT NULL",
                "DROP TRIGGER allocations_need_a_live_line",
                "DROP TRIGGER allocations_fit_their_line_on_insert",
                "DROP TRIGGER allocations_fit_their_line_on_update",
                "DROP TRIGGER order_lines_allocated_line_cannot_wait_or_ship",
                // A line's quantity may change now that each allocation holds its own: the rules below keep the
                // pieces within what the line has open, whatever column changes.
                "DROP TRIGGER order_lines_quantity_is_fixed",
                """
                CREATE TRIGGER allocations_need_a_live_line BEFORE INSERT ON allocations
                WHEN (SELECT shipped_at IS NOT NULL OR cancelled_at IS NOT NULL FROM order_lines
                      WHERE id = NEW.orderline_id)
                BEGIN
                    SELECT RAISE(ABORT, 'a shipped or cancelled order line cannot be allocated');
                END
                """,
                // A line's allocations add up to its open quantity (what is not shipped) at most, and to less
                // while it waits.
                """
                CREATE TRIGGER allocations_fit_their_line_on_insert AFTER INSERT ON allocations BEGIN
                    SELECT RAISE(ABORT, 'an order line''s pieces cannot add up to more than its open quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) > l.qty - l.shipped_qty;
                    SELECT RAISE(ABORT, 'a waiting order line''s pieces must add up to less than its open quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id AND l.waiting_since IS NOT NULL
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) >= l.qty - l.shipped_qty;
                END
                """,
                """
                CREATE TRIGGER allocations_fit_their_line_on_update AFTER UPDATE OF orderline_id, qty ON allocations
                BEGIN
                    SELECT RAISE(ABORT, 'a shipped or cancelled order line cannot be allocated')
                    FROM order_lines WHERE id = NEW.orderline_id
                      AND (shipped_at IS NOT NULL OR cancelled_at IS NOT NULL);
                    SELECT RAISE(ABORT, 'an order line''s pieces cannot add up to more than its open quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) > l.qty - l.shipped_qty;
                    SELECT RAISE(ABORT, 'a waiting order line''s pieces must add up to less than its open quantity')
                    FROM order_lines AS l WHERE l.id = NEW.orderline_id AND l.waiting_since IS NOT NULL
                      AND (SELECT sum(qty) FROM allocations WHERE orderline_id = l.id) >= l.qty - l.shipped_qty;
                END
                """,
                // A line with allocations cannot be shipped or cancelled, a shipped line has shipped all of it, a
                // line whose allocations hold all it has open cannot wait, and a part shipped leaves its pieces
                // first.
                """
                CREATE TRIGGER order_lines_allocated_line_cannot_wait_or_ship
                BEFORE UPDATE OF qty, waiting_since, shipped_at, shipped_qty, cancelled_at ON order_lines
                WHEN ((NEW.shipped_at IS NOT NULL OR NEW.cancelled_at IS NOT NULL)
                      AND EXISTS (SELECT 1 FROM allocations WHERE orderline_id = NEW.id))
                  OR (NEW.shipped_at IS NOT NULL AND NEW.shipped_qty <> NEW.qty)
                  OR (SELECT coalesce(sum(qty), 0) FROM allocations WHERE orderline_id = NEW.id)
                     > NEW.qty - NEW.shipped_qty
                  OR (NEW.waiting_since IS NOT NULL
                      AND (SELECT coalesce(sum(qty), 0) FROM allocations WHERE orderline_id = NEW.id)
                          >= NEW.qty - NEW.shipped_qty)
                BEGIN
                    SELECT RAISE(ABORT, 'an allocated order line cannot wait, ship or be cancelled');
                END
                """,
            ],
            postgres: PostgresSchema.partialShipmentsAndCancelledLines),
        Migration(
            name: "batches count what shipped from them",
            sqlite: [
                // What has left the warehouse from the batch: on hand is `purchased - shipped`, and its lines hold
                // at most that. The index of batches with stock keeps the rows with room; its term is written
                // `purchased > shipped + allocated` because SQLite (3.40) does not use a partial index whose term
                // is `purchased - shipped > allocated` for a query with that same term.
                """
                ALTER TABLE batches ADD COLUMN shipped INTEGER NOT NULL DEFAULT 0
                  CHECK (shipped >= 0 AND shipped + allocated <= purchased)
                """,
                // Until this version a shipment took its units off `purchased`. A shipped line names its batches
                // but not the units from each; its `Shipped` events do, one per piece, so they give each batch
                // its shipped units back to `purchased` and count them in `shipped`.
                Schema.shippedFromBatches(json: "json_extract(payload, '$.qty')"),
                "DROP INDEX batches_with_stock",
                """
                CREATE INDEX batches_with_stock ON batches (sku, eta IS NOT NULL, eta, reference)
                WHERE purchased > shipped + allocated
                """,
            ],
            postgres: PostgresSchema.batchesCountWhatShipped),
    ]

    /// The statement that counts each batch's shipped units from its `Shipped` events and adds them back to its
    /// `purchased`; `json` reads an event's units from its `payload` in the engine's words.
    static func shippedFromBatches(json: String) -> String {
        """
        UPDATE batches SET shipped = s.qty, purchased = batches.purchased + s.qty
        FROM (SELECT ref, sum(\(json)) AS qty FROM events WHERE kind = 'Shipped' GROUP BY ref) AS s
        WHERE batches.reference = s.ref
        """
    }

    /// The version a fully migrated database has, on either engine.
    public static var currentVersion: Int { migrations.count }

    /// The file's `PRAGMA user_version`, or the server's `stock_schema` version.
    static func version(of database: Database) throws -> Int {
        try database.connection.schemaVersion(of: database)
    }

    /// Checks that the file holds this stock's schema at the current version, without changing it.
    ///
    /// - Throws: `DatabaseError` saying what to do: `stock init` for a file without the schema or with an older
    ///   one, a newer `stock` for a newer one.
    static func requireCurrent(_ database: Database) throws {
        let found = try version(of: database)
        let path = database.path
        let current = currentVersion
        switch found {
        case current:
            return
        case 0:
            throw DatabaseError.needsInit(
                "\(path) is not a stock database (it has no stock schema)", path: path, action: "create one with")
        case ..<current:
            throw DatabaseError.needsInit(
                "\(path) was made by an older stock (schema version \(found))", path: path,
                action: "bring it up to date with")
        default:
            throw newerSchema(found, in: database)
        }
    }

    /// Brings the database to the current version all or nothing, as its engine does it
    /// (``Connection/migrate(_:)``): the catalog is checked against the version the database claims, every
    /// migration it has not had is applied, and a failure leaves it at its old version and content.
    ///
    /// - Throws: `DatabaseError`, also when the database was made by a newer `stock`, holds another program's
    ///   tables, or lacks what its version claims.
    static func migrate(_ database: Database) throws {
        try database.connection.migrate(database)
    }

    static func newerSchema(_ found: Int, in database: Database) -> DatabaseError {
        DatabaseError.wrongFile(
            "\(database.path) has schema version \(found), newer than this stock knows "
                + "(\(currentVersion)); use a newer stock")
    }
}

extension Database {
    /// The schema version this database has: `PRAGMA user_version`, or a server's `stock_schema` row.
    public var schemaVersion: Int {
        get throws { try Schema.version(of: self) }
    }
}
