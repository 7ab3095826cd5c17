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

    func bind(_ arguments: [SQLValue], in database: Database) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in arguments.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let number): rc = sqlite3_bind_int64(handle, index, number)
            case .text(let string): rc = sqlite3_bind_text(handle, index, string, -1, csqlite_transient())
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
