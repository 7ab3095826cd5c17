import Foundation

/// One of stock's tables as the copy reads and writes it: its columns, the first of them its key (the first two
/// for `allocations`, keyed by line and batch).
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
    /// How many of the columns, from the first, make the key.
    let keyColumns: Int

    /// The tables in the order they are written: each row's references are already there.
    static let all = [
        CopiedTable(name: "products", columns: [.text("sku"), .integer("version")]),
        CopiedTable(
            name: "batches",
            columns: [
                .integer("id"), .text("reference"), .text("sku"), .integer("purchased"), .text("eta"),
                .integer("shipped"), .integer("allocated"),
            ], copiedColumns: 6),
        CopiedTable(
            name: "order_lines",
            columns: [
                .integer("id"), .text("orderid"), .text("sku"), .integer("qty"), .text("waiting_since"),
                .text("shipped_at"), .text("shipped_from"), .integer("shipped_qty"), .text("part_shipped_at"),
                .text("part_shipped_from"), .text("cancelled_at"),
            ]),
        CopiedTable(
            name: "allocations", columns: [.integer("orderline_id"), .integer("batch_id"), .integer("qty")],
            keyColumns: 2),
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

    init(name: String, columns: [Column], copiedColumns: Int? = nil, keyColumns: Int = 1) {
        self.name = name
        self.columns = columns
        self.copiedColumns = copiedColumns ?? columns.count
        self.keyColumns = keyColumns
    }

    private var key: String { columns[0].name }

    /// Whether the key is an id the engine numbers (a server's identity column, whose sequence the copy sets).
    var hasIdentity: Bool { key == "id" }

    /// `SELECT` of one page in key order: the first, or the one after a key (given as its ``keyColumns``
    /// values). Text keys are ordered by their bytes on both engines (SQLite's BINARY, the server's "C"
    /// collation), so two engines list rows alike; a key of several columns is made of integers and compared as a
    /// row value.
    func pageSQL(after: Bool, features: EngineFeatures) -> String {
        let ordered = if case .text = columns[0] { features.byteOrdered(key) } else { key }
        let keys = keyColumns == 1 ? ordered : columns.prefix(keyColumns).map(\.name).joined(separator: ", ")
        let compared =
            keyColumns == 1
            ? "\(ordered) > ?"
            : "(\(keys)) > (" + Array(repeating: "?", count: keyColumns).joined(separator: ", ") + ")"
        return "SELECT \(columns.map(\.name).joined(separator: ", ")) FROM \(name)"
            + (after ? " WHERE \(compared)" : "") + " ORDER BY \(keys) LIMIT ?"
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
        for index in 0..<keyColumns {
            let less: Bool
            let greater: Bool
            switch (a[index], b[index]) {
            case (.integer(let x), .integer(let y)):
                (less, greater) = (x < y, x > y)
            case (.text(let x), .text(let y)):
                (less, greater) = (x.utf8.lexicographicallyPrecedes(y.utf8), y.utf8.lexicographicallyPrecedes(x.utf8))
            default:
                (less, greater) = (false, false)
            }
            if less { return .orderedAscending }
            if greater { return .orderedDescending }
        }
        return .orderedSame
    }

    /// `id 7`, `sku LAMP`, `orderline_id 3 batch_id 1`: the row named by its key.
    func keyText(_ row: [SQLValue]) -> String {
        zip(columns.prefix(keyColumns), row).map { "\($0.name) \(Self.shown($1))" }.joined(separator: " ")
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
