import CSQLite

/// A failure reported by SQLite, with the result code, SQLite's message and the SQL that failed.
///
/// Operators see ``description``; `SQLITE_BUSY` past the busy timeout reads "database busy".
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`sqlite3_extended_errcode`).
    public let code: Int32
    public let message: String
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// No file at `path`: the message names the command that makes one.
    public static func noDatabase(at path: String) -> DatabaseError {
        DatabaseError(code: SQLITE_CANTOPEN, message: "no database at \(path); create it with: stock --db \(path) init")
    }

    /// The primary result code: the low byte of the extended code.
    public var primaryCode: Int32 { code & 0xFF }

    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    public var description: String {
        if isBusy {
            return "database busy: another process held the write lock past the busy timeout (\(message))"
        }
        return "database error \(code): \(message)"
    }
}
