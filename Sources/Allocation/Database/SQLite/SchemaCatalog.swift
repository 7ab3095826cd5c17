/// What a SQLite file's schema holds, as `sqlite_schema` and `pragma_table_info` say: each table's columns, and
/// each index and trigger with the SQL that made it.
///
/// `stock init` compares a file's catalog with the one its migrations make at the version the file claims
/// (``expected(atVersion:)``) before it migrates anything: a version number alone does not tell apart the
/// schemas that once were edited in place under one number.
struct SchemaCatalog {
    /// The SQL that made an index or a trigger, and the same with its white space collapsed, for comparing.
    struct Definition {
        let sql: String
        var normalized: String { sql.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
    }

    /// Column names by table name.
    var columns: [String: [String]] = [:]
    var indexes: [String: Definition] = [:]
    var triggers: [String: Definition] = [:]

    /// An empty catalog, for a caller that fills it from another engine's catalog.
    init() {}

    /// Reads `database`'s catalog, leaving out SQLite's own objects and the indexes it makes for UNIQUE.
    init(reading database: Database) throws {
        let objects = try database.query(
            "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        ) { ($0.text(0), $0.text(1), $0.optionalText(2)) }
        for (type, name, sql) in objects {
            switch type {
            case "table":
                columns[name] = try database.query("SELECT name FROM pragma_table_info(?)", name) { $0.text(0) }
            case "index":
                if let sql { indexes[name] = Definition(sql: sql) }
            case "trigger":
                if let sql { triggers[name] = Definition(sql: sql) }
            default:
                continue
            }
        }
    }

    /// The catalog the first `version` migrations make, built in a private in-memory database.
    static func expected(atVersion version: Int) throws -> SchemaCatalog {
        let reference = try Database(path: ":memory:", access: .create)
        for migration in Schema.migrations.prefix(version) {
            for sql in migration.sqlite { try reference.execute(sql) }
        }
        return try SchemaCatalog(reading: reference)
    }

    /// What `self` lacks of `expected`'s tables and columns, in words (`it has no table events`, `its batches
    /// table has no column allocated`); empty when it has them all. Tables and columns it has beyond them are
    /// not counted.
    func missingData(comparedWith expected: SchemaCatalog) -> [String] {
        expected.columns.keys.sorted().compactMap { table in
            guard let found = columns[table] else { return "it has no table \(table)" }
            let missing = expected.columns[table, default: []].filter { !found.contains($0) }
            guard !missing.isEmpty else { return nil }
            return "its \(table) table has no column\(missing.count == 1 ? "" : "s") "
                + missing.joined(separator: ", ")
        }
    }
}

extension Schema {
    /// Checks a file that says it has schema `version` against the catalog that version's migrations make, and
    /// brings what holds no data in line with it, inside the caller's transaction.
    ///
    /// - The first landed stock wrote version 2 without `batches.allocated` and the triggers that keep it: the
    ///   column is added here and counted from the allocations.
    /// - An index or trigger of stock's that is missing or was made by other SQL (an earlier edit of the same
    ///   version, such as `order_lines_by_sku` on `(sku, orderid)`) is made again as the migrations make it, and
    ///   when a trigger was, each batch's `allocated` is counted again (from version 5 as the sum of its
    ///   allocations' quantities, before it as the sum of their lines' quantities).
    /// - Objects the file has beyond the catalog are left as they are.
    ///
    /// - Throws: `DatabaseError` naming every table or column the file lacks, when it lacks any other than the
    ///   first landed version's: such a file was not made by a released stock, and nothing here can rebuild its
    ///   rows.
    static func bringCatalogInLine(_ db: Database, claimedVersion version: Int) throws {
        let expected = try SchemaCatalog.expected(atVersion: version)
        var found = try SchemaCatalog(reading: db)
        var recount = false
        if version == 2, let batches = found.columns["batches"], !batches.contains("allocated") {
            try db.execute(
                """
                ALTER TABLE batches ADD COLUMN allocated INTEGER NOT NULL DEFAULT 0
                  CHECK (allocated >= 0 AND allocated <= purchased)
                """)
            found = try SchemaCatalog(reading: db)
            recount = true
        }
        let missing = found.missingData(comparedWith: expected)
        guard missing.isEmpty else {
            throw DatabaseError.wrongFile(
                "\(db.path) says schema version \(version), but \(missing.joined(separator: "; ")): it was not made "
                    + "by a released stock at that version (perhaps by a development build), so stock init "
                    + "cannot bring it up to date and changed nothing in it; make a new database with stock init "
                    + "and enter its batches and order lines there, or restore a copy made by a released stock")
        }
        for (name, definition) in expected.indexes.sorted(by: { $0.key < $1.key })
        where found.indexes[name]?.normalized != definition.normalized {
            try db.execute("DROP INDEX IF EXISTS \"\(name)\"")
            try db.execute(definition.sql)
        }
        for (name, definition) in expected.triggers.sorted(by: { $0.key < $1.key })
        where found.triggers[name]?.normalized != definition.normalized {
            try db.execute("DROP TRIGGER IF EXISTS \"\(name)\"")
            try db.execute(definition.sql)
            recount = true
        }
        if recount {
            // From version 5 each allocation holds its own quantity; before, it held its line's whole quantity.
            let quantity = version >= 5 ? "a.qty" : "l.qty"
            try db.execute(
                """
                UPDATE batches SET allocated = (
                  SELECT coalesce(sum(\(quantity)), 0)
                  FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id
                  WHERE a.batch_id = batches.id)
                """)
        }
    }
}
