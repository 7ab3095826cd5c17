import CSQLite
import Foundation

/// Copying a whole stock database into a new or empty one, on either engine, and checking the copy row by row.
///
/// The source is read in one read snapshot, page by page in key order (keyset paging, so a million lines take the
/// memory of a page); the destination is written in one transaction, ids kept, and compared with the source
/// before that transaction commits, so a copy that does not match leaves the destination as it was. A batch's
/// `allocated` is not copied but counted again by the schema as the allocations go in (lines first, then their
/// allocations, so the triggers that guard lines see valid history); the check compares it too.
public enum DatabaseCopy {
    /// Rows per table, as copied or as held.
    public struct Counts: Equatable, Sendable {
        public var products = 0
        public var batches = 0
        public var orderLines = 0
        public var allocations = 0
        public var events = 0

        public init() {}

        /// The rows of every table together.
        public var total: Int { products + batches + orderLines + allocations + events }

        /// `12 batches, 40 order lines, 31 allocations, 97 events`; products, which batches and lines name, are
        /// left out.
        public var summary: String {
            [
                (batches, "batch", "batches"), (orderLines, "order line", "order lines"),
                (allocations, "allocation", "allocations"), (events, "event", "events"),
            ]
            .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }.joined(separator: ", ")
        }

        /// `3 products, 12 batches, …`: every table.
        var fullSummary: String {
            "\(products) \(products == 1 ? "product" : "products"), " + summary
        }

        fileprivate subscript(table: CopiedTable) -> Int {
            get {
                switch table.name {
                case "products": products
                case "batches": batches
                case "order_lines": orderLines
                case "allocations": allocations
                default: events
                }
            }
            set {
                switch table.name {
                case "products": products = newValue
                case "batches": batches = newValue
                case "order_lines": orderLines = newValue
                case "allocations": allocations = newValue
                default: events = newValue
                }
            }
        }
    }

    /// The check after a copy found the destination different from the source; the destination's transaction
    /// was rolled back, so it holds nothing of the copy.
    public struct Mismatch: Error, CustomStringConvertible, Sendable {
        /// Where it was copied from and to, as messages show them (passwords hidden).
        public let source: String
        public let destination: String
        /// What differs, one sentence each, the first few of them.
        public let differences: [String]

        public var description: String {
            "copied from \(source) to \(destination), but the check found them different: "
                + differences.joined(separator: "; ") + "; nothing was kept: \(destination) is as it was"
        }
    }

    /// How many differences a check reports before it stops looking.
    static let reportedDifferences = 10

    /// Opens the database to copy from, read-only, as every reader opens it (its current schema required).
    ///
    /// - Throws: `DatabaseError` saying there is no database to copy from when a file is missing, or what
    ///   ``Database/open(settings:access:)`` says.
    public static func openSource(settings: Settings) throws -> Database {
        let path = settings.databasePath
        if !settings.databaseIsServer, !FileManager.default.fileExists(atPath: path) {
            throw DatabaseError(.notFound, message: "nothing to copy: there is no database at \(path)")
        }
        return try Database.open(settings: settings, access: .readOnly)
    }

    /// Refuses a destination that already holds stock data, before anything is created or migrated in it: a
    /// missing file, a file or schema without stock's tables, and stock's empty tables pass.
    ///
    /// - Throws: `InputError` naming what the destination holds; `DatabaseError` when it cannot be read.
    public static func requireNoStockData(settings: Settings) throws {
        let path = settings.databasePath
        let probe: Database
        if settings.databaseIsServer {
            probe = try Database(
                serverURL: path, access: .readOnly, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
        } else {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                return
            }
            probe = try Database(
                path: path, access: .readOnly, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
        }
        guard try Schema.version(of: probe) > 0 else { return }
        try requireEmpty(probe)
    }

    /// Refuses `database` when any of stock's tables holds a row.
    private static func requireEmpty(_ database: Database) throws {
        let held = try rowCounts(in: database)
        guard held.total == 0 else {
            throw InputError(
                message: "\(database.path) already holds stock data (\(held.fullSummary)); stock copy writes only "
                    + "into a new or empty database, and changed nothing")
        }
    }

    /// The rows each of stock's tables holds.
    private static func rowCounts(in database: Database) throws -> Counts {
        var counts = Counts()
        for table in CopiedTable.all {
            counts[table] = try database.queryOne("SELECT count(*) FROM \(table.name)") { $0.int(0) } ?? 0
        }
        return counts
    }

    /// Copies every row of `source` into `destination` in one transaction and compares the two before it
    /// commits; on a server, the identity sequences are then set past the largest ids, so the next insert does
    /// not collide with a copied row.
    ///
    /// `source` is read in one snapshot (``Database/beginReadSnapshot()``), begun here unless already open.
    /// `destination` must hold stock's current schema with no rows (``Database/open(settings:access:)`` with
    /// `.create` makes one).
    ///
    /// `progress`, when given, is called every few hundred rows with the rows written and checked so far and the
    /// rows there are to write and check (each source row twice).
    ///
    /// - Returns: the rows copied per table.
    /// - Throws: ``Mismatch`` when the check finds a difference (nothing is kept); `InputError` when the
    ///   destination holds stock data; `DatabaseError` from either database (nothing is kept).
    public static func copy(
        from source: Database, to destination: Database, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> Counts {
        let ownSnapshot = !source.isInReadSnapshot
        if ownSnapshot { try source.beginReadSnapshot() }
        defer { if ownSnapshot { try? source.endReadSnapshot() } }
        let meter = try progress.map { report in
            ProgressMeter(total: 2 * (try rowCounts(in: source).total), report: report)
        }
        return try destination.transaction { db in
            try requireEmpty(db)
            var counts = Counts()
            for table in CopiedTable.all {
                counts[table] =
                    if table.name == "allocations", let server = db.server {
                        try copyAllocations(table, from: source, to: db, server: server, meter: meter)
                    } else {
                        try copy(table, from: source, to: db, meter: meter)
                    }
            }
            let differences = try self.differences(between: source, and: db, meter: meter)
            guard differences.isEmpty else {
                throw Mismatch(source: source.path, destination: db.path, differences: differences)
            }
            if db.engine == .postgresql {
                for table in CopiedTable.all where table.hasIdentity {
                    _ = try db.queryOne(
                        """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), coalesce(max(id), 0) + 1, false)
                        FROM \(table.name)
                        """
                    ) { $0.int64(0) }
                }
            }
            return counts
        }
    }

    /// Copies the allocations into a server's database with its per-row count paused, then counts each batch's
    /// `allocated` in one statement: each row's update would leave one more version of its batch in the
    /// transaction for the next row's lookups to step over, which made a batch with many lines quadratic. Where
    /// the session may not pause the trigger (it does not own the table), the rows are counted one by one.
    private static func copyAllocations(
        _ table: CopiedTable, from source: Database, to destination: Database, server: PostgresConnection,
        meter: ProgressMeter?
    ) throws -> Int {
        do {
            try server.runScript("SAVEPOINT pause_count; ALTER TABLE allocations DISABLE TRIGGER allocations_count")
        } catch {
            try server.runScript("ROLLBACK TO pause_count")
            return try copy(table, from: source, to: destination, meter: meter)
        }
        let count = try copy(table, from: source, to: destination, meter: meter)
        try destination.execute(
            """
            UPDATE batches AS b SET allocated = counted.total
            FROM (SELECT a.batch_id, sum(l.qty) AS total FROM allocations AS a
                  JOIN order_lines AS l ON l.id = a.orderline_id GROUP BY a.batch_id) AS counted
            WHERE b.id = counted.batch_id
            """)
        try server.runScript("ALTER TABLE allocations ENABLE TRIGGER allocations_count; RELEASE pause_count")
        return count
    }

    /// Copies one table, page by page, each page inserted a few rows per statement.
    private static func copy(
        _ table: CopiedTable, from source: Database, to destination: Database, meter: ProgressMeter?
    ) throws -> Int {
        var rows = PagedRows(table: table, database: source)
        var count = 0
        var chunk: [[SQLValue]] = []
        chunk.reserveCapacity(CopiedTable.rowsPerInsert)
        func flush() throws {
            guard !chunk.isEmpty else { return }
            try destination.execute(table.insertSQL(rows: chunk.count), arguments: chunk.flatMap { $0 })
            count += chunk.count
            meter?.advance(by: chunk.count)
            chunk.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            chunk.append(Array(row.prefix(table.copiedColumns)))
            if chunk.count == CopiedTable.rowsPerInsert { try flush() }
        }
        try flush()
        return count
    }

    /// What differs between the two databases' rows, table by table in key order: a row only one of them has,
    /// or a row whose columns differ (each shown `column=value`); empty when they are identical. Stops after
    /// the first few differences.
    ///
    /// - Throws: `DatabaseError`.
    public static func differences(between source: Database, and destination: Database) throws -> [String] {
        try differences(between: source, and: destination, meter: nil)
    }

    private static func differences(between source: Database, and destination: Database, meter: ProgressMeter?)
        throws -> [String]
    {
        var found: [String] = []
        for table in CopiedTable.all {
            var left = PagedRows(table: table, database: source)
            var right = PagedRows(table: table, database: destination)
            var a = try left.next()
            var b = try right.next()
            while let row = a ?? b, found.count < reportedDifferences {
                switch table.order(a, b) {
                case .orderedAscending:
                    found.append("\(table.name) \(table.keyText(row)) is missing from \(destination.path)")
                    a = try left.next()
                case .orderedDescending:
                    found.append("\(table.name) \(table.keyText(b ?? row)) is only in \(destination.path)")
                    b = try right.next()
                case .orderedSame:
                    meter?.advance(by: 1)
                    if a != b, let one = a, let other = b {
                        found.append(
                            "\(table.name) \(table.keyText(one)) differs: \(source.path) has \(table.shown(one)), "
                                + "\(destination.path) has \(table.shown(other))")
                    }
                    a = try left.next()
                    b = try right.next()
                }
            }
        }
        return found
    }
}

/// One of stock's tables as the copy reads and writes it: its columns, the first of them its key.
struct CopiedTable {
    enum Column {
        case integer(String)
        case text(String)

        var name: String {
            switch self {
            case .integer(let name), .text(let name): name
            }
        }
    }

    let name: String
    let columns: [Column]
    /// How many of the columns, from the first, are written; the rest are counted by triggers.
    let copiedColumns: Int

    /// The tables in the order they are written: each row's references are already there.
    static let all = [
        CopiedTable(name: "products", columns: [.text("sku"), .integer("version")]),
        CopiedTable(
            name: "batches",
            columns: [
                .integer("id"), .text("reference"), .text("sku"), .integer("purchased"), .text("eta"),
                .integer("allocated"),
            ], copiedColumns: 5),
        CopiedTable(
            name: "order_lines",
            columns: [
                .integer("id"), .text("orderid"), .text("sku"), .integer("qty"), .text("waiting_since"),
                .text("shipped_at"), .text("shipped_from"),
            ]),
        CopiedTable(name: "allocations", columns: [.integer("orderline_id"), .integer("batch_id")]),
        CopiedTable(
            name: "events",
            columns: [
                .integer("id"), .text("at"), .text("kind"), .text("payload"), .text("operator"), .text("orderid"),
                .text("ref"),
            ]),
    ]

    /// Rows read per query, and written per `INSERT`.
    static let pageSize = 5000
    static let rowsPerInsert = 500

    init(name: String, columns: [Column], copiedColumns: Int? = nil) {
        self.name = name
        self.columns = columns
        self.copiedColumns = copiedColumns ?? columns.count
    }

    private var key: String { columns[0].name }

    /// Whether the key is an id the engine numbers (a server's identity column, whose sequence the copy sets).
    var hasIdentity: Bool { key == "id" }

    /// `SELECT` of one page in key order: the first, or the one after a key. Text keys are ordered by their
    /// bytes on both engines (SQLite's BINARY, the server's "C" collation), so two engines list rows alike.
    func pageSQL(after: Bool, engine: Database.Engine) -> String {
        let ordered = if case .text = columns[0], engine == .postgresql { "\(key) COLLATE \"C\"" } else { key }
        return "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(name)"
            + (after ? " WHERE \(ordered) > ?" : "") + " ORDER BY \(ordered) LIMIT ?"
    }

    /// `INSERT` of `rows` rows of the copied columns.
    func insertSQL(rows: Int) -> String {
        let one = "(" + Array(repeating: "?", count: copiedColumns).joined(separator: ", ") + ")"
        return "INSERT INTO \(name) (\(columns.prefix(copiedColumns).map(\.name).joined(separator: ", "))) VALUES "
            + Array(repeating: one, count: rows).joined(separator: ", ")
    }

    /// The row's values, read by each column's type.
    func values(of row: Row) -> [SQLValue] {
        columns.indices.map { index in
            let column = Int32(index)
            if row.isNull(column) { return .null }
            return switch columns[index] {
            case .integer: .integer(row.int64(column))
            case .text: .text(row.text(column))
            }
        }
    }

    /// Which of two rows comes first in the order pages are read in, by their keys; a missing row comes after
    /// every row.
    func order(_ a: [SQLValue]?, _ b: [SQLValue]?) -> ComparisonResult {
        guard let a else { return b == nil ? .orderedSame : .orderedDescending }
        guard let b else { return .orderedAscending }
        let less: Bool
        let greater: Bool
        switch (a[0], b[0]) {
        case (.integer(let x), .integer(let y)):
            (less, greater) = (x < y, x > y)
        case (.text(let x), .text(let y)):
            (less, greater) = (x.utf8.lexicographicallyPrecedes(y.utf8), y.utf8.lexicographicallyPrecedes(x.utf8))
        default:
            (less, greater) = (false, false)
        }
        return less ? .orderedAscending : greater ? .orderedDescending : .orderedSame
    }

    /// `id 7`, `sku LAMP`: the row named by its key.
    func keyText(_ row: [SQLValue]) -> String {
        "\(key) \(Self.shown(row[0]))"
    }

    /// Every column of the row as `name=value`.
    func shown(_ row: [SQLValue]) -> String {
        zip(columns, row).map { "\($0.name)=\(Self.shown($1))" }.joined(separator: " ")
    }

    private static func shown(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let number): String(number)
        case .text(let text): Validation.shown(text)
        }
    }
}

/// Counts the rows a copy wrote and checked, and reports them every hundred rows or so.
private final class ProgressMeter {
    let total: Int
    let report: (_ done: Int, _ total: Int) -> Void
    private var done = 0
    private var reported = 0

    init(total: Int, report: @escaping (_ done: Int, _ total: Int) -> Void) {
        self.total = total
        self.report = report
    }

    func advance(by rows: Int) {
        done += rows
        guard done - reported >= CopiedTable.rowsPerInsert else { return }
        reported = done
        report(done, total)
    }
}

/// A table's rows in key order, read a page at a time.
private struct PagedRows {
    let table: CopiedTable
    let database: Database
    private var page: [[SQLValue]] = []
    private var index = 0
    private var finished = false

    init(table: CopiedTable, database: Database) {
        self.table = table
        self.database = database
    }

    /// The next row, or nil after the last.
    mutating func next() throws -> [SQLValue]? {
        if index == page.count {
            guard !finished else { return nil }
            let after = page.last?[0]
            var arguments = after.map { [$0] } ?? []
            arguments.append(.integer(Int64(CopiedTable.pageSize)))
            page = try database.query(
                table.pageSQL(after: after != nil, engine: database.engine), arguments: arguments, map: table.values)
            index = 0
            finished = page.count < CopiedTable.pageSize
            if page.isEmpty { return nil }
        }
        index += 1
        return page[index - 1]
    }
}
