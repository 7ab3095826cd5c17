import CSQLite

/// A prepared statement, kept in its database's cache and reused: bound, stepped, then reset.
final class Statement {
    let handle: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `arguments` to the parameters in order, and NULL to any parameter after them.
    ///
    /// Each parameter is bound anew, so no `sqlite3_clear_bindings` (whose frees cost as much as the binds);
    /// text is bound from the string's UTF-8 bytes with their length, copied by SQLite.
    func bind(_ arguments: [any SQLBindable], in database: Database) throws {
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
            guard rc == SQLITE_OK else { throw database.error(rc, sql: sql) }
        }
    }

    /// Steps once: `true` when a row is ready, `false` when done.
    func step(in database: Database) throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let failure = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw failure
        }
    }

    func reset() {
        sqlite3_reset(handle)
    }
}
