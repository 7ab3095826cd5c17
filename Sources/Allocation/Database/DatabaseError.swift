import CSQLite
import Foundation

/// `SQLITE_CONSTRAINT_PRIMARYKEY` and `SQLITE_CONSTRAINT_UNIQUE`, macros Swift does not import.
private let constraintPrimaryKey = SQLITE_CONSTRAINT | 6 << 8
private let constraintUnique = SQLITE_CONSTRAINT | 8 << 8
/// A busy code SQLite never reports: one writer's turn (``WriterQueue``) lasted past the busy timeout.
private let turnHeldTooLongCode = SQLITE_BUSY | 200 << 8

/// A failure reported by the database engine, with what it means, the engine's message and the SQL that failed.
///
/// Callers outside this folder look at ``kind``, never at the engine's result codes. Operators see
/// ``description``; a lock held past the busy timeout reads "database busy".
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// What a failure means, whatever engine reported it.
    public enum Kind: Sendable {
        /// One writer's transaction held the write lock past the busy timeout, or a program that does not take
        /// turns held it that long.
        case busy
        /// A row would repeat a UNIQUE or PRIMARY KEY value.
        case uniqueViolation
        /// Any other rule of the schema (NOT NULL, CHECK, foreign key, trigger) refused the row.
        case constraintViolation
        /// Anything else: no such file, not a database, a wrong schema, a misuse.
        case other
    }

    /// SQLite's extended result code (`sqlite3_extended_errcode`), shown in ``description``.
    let code: Int32
    public let message: String
    public let sql: String?
    /// The file written when the failure happened, named by the disk-full and file-too-large messages.
    let path: String?
    /// The `errno` of the system call that failed (`sqlite3_system_errno`), 0 when none did.
    let systemError: Int32

    init(code: Int32, message: String, sql: String? = nil, path: String? = nil, systemError: Int32 = 0) {
        self.code = code
        self.message = message
        self.sql = sql
        self.path = path
        self.systemError = systemError
    }

    /// No file at `path`: the message names the command that makes one.
    public static func noDatabase(at path: String) -> DatabaseError {
        DatabaseError(code: SQLITE_CANTOPEN, message: "no database at \(path); create it with: stock --db \(path) init")
    }

    /// A file that is not what this stock can work on (another program's, or another schema version).
    static func wrongFile(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_ERROR, message: message)
    }

    /// A row this program cannot read back, such as an event whose kind or payload it never writes.
    static func unreadable(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_CORRUPT, message: message)
    }

    /// One writer kept its turn longer than the busy timeout while this one waited for the next.
    static func turnHeldTooLong(milliseconds: Int) -> DatabaseError {
        DatabaseError(
            code: turnHeldTooLongCode,
            message: "one transaction held the write lock for more than \(milliseconds) ms (the busy timeout)")
    }

    /// A call this connection's state does not allow, such as a nested transaction.
    static func misuse(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_MISUSE, message: message)
    }

    public var kind: Kind {
        switch (code & 0xFF, code) {
        case (SQLITE_BUSY, _), (SQLITE_LOCKED, _): .busy
        case (_, constraintPrimaryKey), (_, constraintUnique): .uniqueViolation
        case (SQLITE_CONSTRAINT, _): .constraintViolation
        default: .other
        }
    }

    public var isBusy: Bool { kind == .busy }

    public var description: String {
        if code == turnHeldTooLongCode {
            return "database busy: \(message)"
        }
        if isBusy {
            return "database busy: a program that does not take turns with stock's writers (an older stock, the "
                + "sqlite3 shell) held the write lock past the busy timeout (\(message))"
        }
        // SQLite reports a full disk as SQLITE_FULL, but a write past the file-size limit (EFBIG) as an I/O error.
        let file = path ?? "the database"
        if code & 0xFF == SQLITE_FULL || systemError == ENOSPC {
            return "disk full: the disk holding \(file) has no room left, so the command was not applied "
                + "(nothing of it was written); free some space and run it again (database error \(code): \(message))"
        }
        if systemError == EFBIG {
            return "file too large: \(file) reached this process's file-size limit (ulimit -f), so the command was "
                + "not applied (nothing of it was written); raise the limit and run it again "
                + "(database error \(code): \(message))"
        }
        return "database error \(code): \(message)"
    }
}
