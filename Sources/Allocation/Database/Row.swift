import CPostgres
import CSQLite

/// The current row of a stepping statement, read by column index.
///
/// A `Row` is only valid inside the closure it is handed to: it reads the statement's current step. A server's
/// values arrive as text: numbers are parsed, and a boolean (`t` or `f`) reads as 1 or 0, as SQLite gives it.
public struct Row {
    enum Source {
        case sqlite(OpaquePointer)
        case postgres(result: OpaquePointer, row: Int32)
    }

    let source: Source

    public var columnCount: Int32 {
        switch source {
        case .sqlite(let handle): sqlite3_column_count(handle)
        case .postgres(let result, _): PQnfields(result)
        }
    }

    public func int(_ column: Int32) -> Int {
        Int(int64(column))
    }

    public func int64(_ column: Int32) -> Int64 {
        switch source {
        case .sqlite(let handle):
            return sqlite3_column_int64(handle, column)
        case .postgres(let result, let row):
            guard let value = PQgetvalue(result, row, column) else { return 0 }
            return Row.parseInteger(value)
        }
    }

    /// A server's text as SQLite reads text as an integer: the leading sign and digits, 0 when there are none;
    /// `t` is 1.
    private static func parseInteger(_ text: UnsafePointer<CChar>) -> Int64 {
        var index = 0
        var negative = false
        if text[0] == 0x74 { return 1 }  // "t", a true boolean
        if text[0] == 0x2D {
            negative = true
            index = 1
        }
        var value: Int64 = 0
        while text[index] >= 0x30 && text[index] <= 0x39 {
            value = value &* 10 &+ Int64(text[index] - 0x30)
            index += 1
        }
        return negative ? -value : value
    }

    public func isNull(_ column: Int32) -> Bool {
        switch source {
        case .sqlite(let handle): sqlite3_column_type(handle, column) == SQLITE_NULL
        case .postgres(let result, let row): PQgetisnull(result, row, column) == 1
        }
    }

    public func text(_ column: Int32) -> String {
        switch source {
        case .sqlite(let handle):
            guard let bytes = sqlite3_column_text(handle, column) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        case .postgres(let result, let row):
            guard let value = PQgetvalue(result, row, column) else { return "" }
            let count = Int(PQgetlength(result, row, column))
            return value.withMemoryRebound(to: UInt8.self, capacity: count) {
                String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
            }
        }
    }

    public func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }
}
