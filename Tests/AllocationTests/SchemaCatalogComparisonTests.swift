import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The one schema history makes the same catalog on both engines: a fresh file and a fresh server schema, each
/// migrated to the current version, are described as the same kind of facts (a table, a column with its type's
/// family and nullability, a CHECK's expression, a primary or unique key, a foreign key, an index with its keys
/// and partial-index predicate, a trigger), and every fact only one engine has must be one of the intended
/// differences listed below with its reason. A stale entry in those lists fails too.
@Suite(.postgresOnly) struct SchemaCatalogComparisonTests {
    /// What only the server has, on purpose.
    static let onlyOnTheServer: [String: String] = [
        "table stock_schema": "a file keeps its version in PRAGMA user_version",
        "column stock_schema.version integer not null": "a file keeps its version in PRAGMA user_version",
        "column stock_schema.one_row boolean not null": "the version table's single row",
        "check stock_schema: one_row": "the version table's single row",
        "primary key stock_schema (one_row)": "the version table's single row",
        "column events.tx other(xid8) not null":
            "events commit out of id order on a server; a follower reads by (transaction, id)",
        "index events_by_commit on events (tx,id)": "the follower's (transaction, id) order",
        "check batches: etaisnullorstock_is_dayeta":
            "a real calendar day: SQLite's date(eta, '+0 days'), the server's stock_is_day(eta)",
        "column products.sku text not null": "SQLite lets a TEXT PRIMARY KEY hold NULL (its documented quirk); "
            + "stock never writes one, and a released SQLite migration's text does not change",
        "trigger allocations_count on allocations":
            "one PL/pgSQL trigger for SQLite's allocations_add, allocations_remove and allocations_move",
        "trigger allocations_fit_their_line on allocations": "one PL/pgSQL trigger, on insert and update, for "
            + "SQLite's allocations_fit_their_line_on_insert and allocations_fit_their_line_on_update",
        "trigger order_lines_guard on order_lines": "one PL/pgSQL trigger for SQLite's "
            + "order_lines_allocated_line_cannot_wait_or_ship",
        "trigger events_announce on events": "a server announces commits with NOTIFY; a file's readers poll "
            + "PRAGMA data_version",
    ]

    /// What only a file has, on purpose.
    static let onlyInAFile: [String: String] = [
        "check batches: etaisnulloretaisdateeta,'+0days'":
            "a real calendar day: SQLite's date(eta, '+0 days'), the server's stock_is_day(eta)",
        "column products.sku text null": "SQLite lets a TEXT PRIMARY KEY hold NULL (its documented quirk)",
        "trigger allocations_add on allocations": "allocations_count on the server",
        "trigger allocations_remove on allocations": "allocations_count on the server",
        "trigger allocations_move on allocations": "allocations_count on the server",
        "trigger allocations_fit_their_line_on_insert on allocations": "allocations_fit_their_line on the server",
        "trigger allocations_fit_their_line_on_update on allocations": "allocations_fit_their_line on the server",
        "trigger order_lines_allocated_line_cannot_wait_or_ship on order_lines": "order_lines_guard on the server",
    ]

    @Test func aFreshFileAndAFreshServerSchemaHaveTheSameCatalog() throws {
        let folder = try TemporaryFolder()
        let file = try Database(path: folder.appendingPathComponent("catalog.sqlite").path, access: .create)
        try Schema.migrate(file)
        let location = try TestDatabaseLocation(in: folder)
        let server = try Database.open(settings: try testSettings(database: location.path), access: .create)
        #expect(try file.schemaVersion == Schema.currentVersion)
        #expect(try server.schemaVersion == Schema.currentVersion)

        let fileFacts = try Self.facts(ofFile: file)
        let serverFacts = try Self.facts(ofServer: server)
        #expect(
            fileFacts.contains(
                "index batches_with_stock on batches (sku,etaisnotnull,eta,reference) where purchased>shipped+allocated"
            ))
        #expect(fileFacts.contains("foreign key allocations (batch_id) -> batches (id)"))
        #expect(fileFacts.contains("primary key allocations (orderline_id, batch_id)"))
        #expect(fileFacts.contains("check allocations: qty>0"))
        #expect(fileFacts.contains("unique order_lines (orderid, sku)"))
        #expect(fileFacts.contains("check order_lines: shipped_fromisnull=shipped_atisnull"))
        #expect(fileFacts.contains("check order_lines: shipped_qty>=0andshipped_qty<=qty"))
        #expect(fileFacts.count >= 50, "\(fileFacts.count) facts")
        let onlyInAFile = fileFacts.subtracting(serverFacts)
        let onlyOnTheServer = serverFacts.subtracting(fileFacts)
        #expect(onlyInAFile.subtracting(Self.onlyInAFile.keys).sorted() == [], "only in a file, and not listed")
        #expect(Set(Self.onlyInAFile.keys).subtracting(onlyInAFile).sorted() == [], "listed, but no longer differ")
        #expect(
            onlyOnTheServer.subtracting(Self.onlyOnTheServer.keys).sorted() == [], "only on the server, and not listed")
        #expect(
            Set(Self.onlyOnTheServer.keys).subtracting(onlyOnTheServer).sorted() == [], "listed, but no longer differ")
    }

    /// A type's family: SQLite's declared type or PostgreSQL's, as the other engine would hold the same values.
    static func family(_ type: String) -> String {
        switch type.lowercased() {
        case "integer", "bigint", "smallint": "integer"
        case "text": "text"
        case "boolean": "boolean"
        default: "other(\(type.lowercased()))"
        }
    }

    /// An SQL expression without case, white space or parentheses, so that each engine's spelling of the same
    /// rule compares equal (PostgreSQL prints `((a >= 0) AND (a <= b))` for `a >= 0 AND a <= b`).
    static func normalized(_ expression: some StringProtocol) -> String {
        String(expression.lowercased().filter { !$0.isWhitespace && $0 != "(" && $0 != ")" })
    }

    /// The text inside the balanced parentheses that `text` starts with, and what follows them; nil when `text`
    /// does not start with a parenthesis.
    static func parenthesized(_ text: Substring) -> (inside: Substring, rest: Substring)? {
        guard text.first == "(" else { return nil }
        var depth = 0
        for index in text.indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" { depth -= 1 }
            if depth == 0 { return (text[text.index(after: text.startIndex)..<index], text[index...]) }
        }
        return nil
    }

    /// The expressions of the CHECK constraints in a SQLite `CREATE TABLE` text (with the columns `ALTER TABLE`
    /// added).
    static func checks(inTableSQL sql: String) -> [String] {
        var found: [String] = []
        var rest = sql[...]
        while let keyword = rest.range(of: "CHECK", options: .caseInsensitive) {
            rest = rest[keyword.upperBound...].drop { $0.isWhitespace }
            guard let (inside, after) = parenthesized(rest) else { continue }
            found.append(String(inside))
            rest = after
        }
        return found
    }

    static func facts(ofFile db: Database) throws -> Set<String> {
        var facts: Set<String> = []
        let tables = try db.query(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ) { ($0.text(0), $0.text(1)) }
        for (table, sql) in tables {
            facts.insert("table \(table)")
            let columns = try db.query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", table) {
                (name: $0.text(0), type: $0.text(1), notNull: $0.int(2) == 1, key: $0.int(3))
            }
            let key = columns.filter { $0.key > 0 }.sorted { $0.key < $1.key }
            if !key.isEmpty { facts.insert("primary key \(table) (\(key.map(\.name).joined(separator: ", ")))") }
            for column in columns {
                // An INTEGER PRIMARY KEY is the rowid, which is never NULL whatever the catalog says.
                let rowid = key.count == 1 && column.key == 1 && column.type.uppercased() == "INTEGER"
                let nullability = column.notNull || rowid ? "not null" : "null"
                facts.insert("column \(table).\(column.name) \(family(column.type)) \(nullability)")
            }
            for check in checks(inTableSQL: sql) { facts.insert("check \(table): \(normalized(check))") }
            let uniques = try db.query("SELECT name FROM pragma_index_list(?) WHERE origin = 'u'", table) {
                $0.text(0)
            }
            for index in uniques {
                let names = try db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", index) { $0.text(0) }
                facts.insert("unique \(table) (\(names.joined(separator: ", ")))")
            }
            let references = try db.query(
                "SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq", table
            ) { (id: $0.int(0), table: $0.text(1), from: $0.text(2), to: $0.text(3)) }
            for id in Set(references.map(\.id)) {
                let parts = references.filter { $0.id == id }
                let from = parts.map(\.from).joined(separator: ", ")
                let to = parts.map(\.to).joined(separator: ", ")
                facts.insert("foreign key \(table) (\(from)) -> \(parts[0].table) (\(to))")
            }
        }
        let objects = try db.query(
            "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
        ) { (type: $0.text(0), name: $0.text(1), table: $0.text(2), sql: $0.text(3)) }
        for object in objects {
            if object.type == "trigger" {
                facts.insert("trigger \(object.name) on \(object.table)")
                continue
            }
            let keys = object.sql.firstIndex(of: "(").flatMap { parenthesized(object.sql[$0...])?.inside } ?? ""
            let predicate = object.sql.range(of: "WHERE", options: [.caseInsensitive, .backwards]).map {
                " where " + normalized(object.sql[$0.upperBound...])
            }
            facts.insert("index \(object.name) on \(object.table) (\(normalized(keys)))\(predicate ?? "")")
        }
        return facts
    }

    static func facts(ofServer db: Database) throws -> Set<String> {
        var facts: Set<String> = []
        let inSchema = "relnamespace = current_schema()::regnamespace"
        for table in try db.query(
            "SELECT relname::text FROM pg_class WHERE \(inSchema) AND relkind = 'r'",
            map: {
                $0.text(0)
            })
        {
            facts.insert("table \(table)")
        }
        let columns = try db.query(
            """
            SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod),
              CASE WHEN a.attnotnull THEN 1 ELSE 0 END
            FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
            WHERE c.\(inSchema) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            """
        ) { (table: $0.text(0), name: $0.text(1), type: $0.text(2), notNull: $0.int(3) == 1) }
        for column in columns {
            facts.insert(
                "column \(column.table).\(column.name) \(family(column.type)) \(column.notNull ? "not null" : "null")")
        }
        let constraints = try db.query(
            """
            SELECT t.relname::text, k.contype::text, coalesce(pg_get_expr(k.conbin, k.conrelid), ''),
              (SELECT string_agg(a.attname::text, ', ' ORDER BY u.o) FROM unnest(k.conkey) WITH ORDINALITY AS u(n, o)
               JOIN pg_attribute AS a ON a.attrelid = k.conrelid AND a.attnum = u.n),
              coalesce(r.relname::text, ''),
              coalesce((SELECT string_agg(a.attname::text, ', ' ORDER BY u.o)
               FROM unnest(k.confkey) WITH ORDINALITY AS u(n, o)
               JOIN pg_attribute AS a ON a.attrelid = k.confrelid AND a.attnum = u.n), '')
            FROM pg_constraint AS k JOIN pg_class AS t ON t.oid = k.conrelid
            LEFT JOIN pg_class AS r ON r.oid = k.confrelid
            WHERE t.\(inSchema) AND k.contype IN ('c', 'p', 'u', 'f')
            """
        ) {
            (
                table: $0.text(0), kind: $0.text(1), check: $0.text(2), columns: $0.text(3), to: $0.text(4),
                toColumns: $0.text(5)
            )
        }
        for constraint in constraints {
            switch constraint.kind {
            case "c": facts.insert("check \(constraint.table): \(normalized(constraint.check))")
            case "p": facts.insert("primary key \(constraint.table) (\(constraint.columns))")
            case "u": facts.insert("unique \(constraint.table) (\(constraint.columns))")
            default:
                facts.insert(
                    "foreign key \(constraint.table) (\(constraint.columns)) -> \(constraint.to) (\(constraint.toColumns))"
                )
            }
        }
        let indexes = try db.query(
            """
            SELECT i.relname::text, t.relname::text, coalesce(pg_get_expr(x.indpred, x.indrelid), ''),
              (SELECT string_agg(pg_get_indexdef(x.indexrelid, k, true), ', ' ORDER BY k)
               FROM generate_series(1, x.indnkeyatts) AS k)
            FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid
            WHERE t.\(inSchema)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))
            """
        ) { (name: $0.text(0), table: $0.text(1), predicate: $0.text(2), keys: $0.text(3)) }
        for index in indexes {
            let predicate = index.predicate.isEmpty ? "" : " where " + normalized(index.predicate)
            facts.insert("index \(index.name) on \(index.table) (\(normalized(index.keys)))\(predicate)")
        }
        let triggers = try db.query(
            """
            SELECT g.tgname::text, t.relname::text FROM pg_trigger AS g JOIN pg_class AS t ON t.oid = g.tgrelid
            WHERE t.\(inSchema) AND NOT g.tgisinternal
            """
        ) { "trigger \($0.text(0)) on \($0.text(1))" }
        facts.formUnion(triggers)
        return facts
    }
}
