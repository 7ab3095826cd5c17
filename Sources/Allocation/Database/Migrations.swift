import CSQLite

/// The schema as an ordered list of forward migrations; the version reached is kept in `PRAGMA user_version`.
///
/// Every rule SQLite can hold lives here (NOT NULL, CHECK, UNIQUE, foreign keys); the one it cannot,
/// allocated ≤ purchased per batch, is a contract in `Logic`.
public enum Schema {
    struct Migration {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(name: "create tables", statements: [
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
                eta TEXT CHECK (eta IS NULL OR eta GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]')
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
                orderline_id INTEGER PRIMARY KEY REFERENCES order_lines (id) ON DELETE CASCADE,
                batch_id INTEGER NOT NULL REFERENCES batches (id)
            )
            """,
            "CREATE INDEX allocations_by_batch ON allocations (batch_id, orderline_id)",
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                kind TEXT NOT NULL,
                payload TEXT NOT NULL
            )
            """,
        ]),
        Migration(name: "index order lines by SKU for the allocations screen", statements: [
            "CREATE INDEX order_lines_by_sku ON order_lines (sku, orderid)"
        ]),
    ]

    /// The version a fully migrated database has.
    public static var currentVersion: Int { migrations.count }

    /// The file's `PRAGMA user_version`.
    public static func version(of database: Database) throws -> Int {
        try database.queryOne("PRAGMA user_version") { $0.int(0) } ?? 0
    }

    /// Applies every migration the file has not had yet, each in its own transaction.
    ///
    /// - Throws: `DatabaseError`, also when the file was made by a newer `stock`.
    public static func migrate(_ database: Database) throws {
        let start = try version(of: database)
        guard start <= currentVersion else {
            throw DatabaseError(
                code: SQLITE_ERROR,
                message: "\(database.path) has schema version \(start), newer than this stock knows (\(currentVersion))")
        }
        for (index, migration) in migrations.enumerated() where index >= start {
            try database.transaction { db in
                for sql in migration.statements { try db.execute(sql) }
                try db.execute("PRAGMA user_version = \(index + 1)")
            }
        }
    }
}
