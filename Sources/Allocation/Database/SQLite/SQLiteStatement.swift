import CSQLite

/// A `sqlite3_stmt`, stepped row by row.
final class SQLiteStatement: PreparedStatement {
    private let handle: OpaquePointer
    let sql: String
    private let connection: SQLiteConnection

    init(_ handle: OpaquePointer, sql: String, connection: SQLiteConnection) {
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Each parameter is bound anew, so no `sqlite3_clear_bindings` (whose frees cost as much as the binds); text
    /// is bound from the string's UTF-8 bytes with their length, copied by SQLite.
    func bind(_ arguments: [any SQLBindable]) throws {
        sqlite3_reset(handle)
        let count = Int(sqlite3_bind_parameter_count(handle))
        for offset in 0..<max(count, arguments.count) {
            let index = Int32(offset + 1)
            let rc: Int32
            switch offset < arguments.count ? arguments[offset].sqlValue : .null {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let number): rc = sqlite3_bind_int64(handle, index, number)
            case .text(var string):
                rc = string.withUTF8 { bytes in
                    guard let start = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                    }
                    return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(bytes.count), csqlite_transient())
                    }
                }
            }
            guard rc == SQLITE_OK else { throw connection.error(rc, sql: sql) }
        }
    }

    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = connection.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw failure
        }
    }

    var row: Row { Row(cursor: SQLiteRow(handle: handle)) }

    func reset() {
        sqlite3_reset(handle)
    }
}

/// The row a SQLite statement stands on.
struct SQLiteRow: RowCursor {
    let handle: OpaquePointer

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        String(decoding: utf8(column), as: UTF8.self)
    }

    func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let bytes = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }
}
