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
/// ``description``, a sentence without result codes (a lock held past the busy timeout reads "database busy");
/// ``debugDetails`` keeps the codes and the SQL for whoever debugs.
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
        /// A server engine refused the transaction because a concurrent one conflicted with it (serialization
        /// failure or deadlock, SQLSTATE 40001 or 40P01): running it again from the start can succeed.
        case conflict
        /// The connection to a database server failed or was lost; nothing of the open transaction was committed.
        case connection
        /// The connection to a database server was lost while it committed (SQLSTATE 08007): the transaction may
        /// or may not have been committed, and only reading the database tells.
        case commitUnknown
        /// Anything else: no such file, not a database, a wrong schema, a misuse.
        case other
    }

    /// The `stock init` that makes the file usable, told after the message, e.g. `create it with: stock init`.
    struct InitAdvice: Sendable {
        /// What running it does, e.g. `create it with`.
        let action: String
        /// The words to run: `stock --db PATH init` unless the caller knows that plain `stock init` opens PATH.
        var command: String
    }

    /// SQLite's extended result code (`sqlite3_extended_errcode`), shown only in ``debugDetails``; 0 for a server.
    let code: Int32
    /// PostgreSQL's SQLSTATE (e.g. `23505`), nil for SQLite; shown only in ``debugDetails``.
    let sqlState: String?
    /// What went wrong, without the advice.
    private let reason: String
    public let sql: String?
    /// The file written when the failure happened, named by the messages about the file itself.
    let path: String?
    /// The `errno` of the system call that failed (`sqlite3_system_errno`), 0 when none did.
    let systemError: Int32
    private var advice: InitAdvice?
    /// Whether stock's own check found the problem (a missing file, a wrong schema, a misuse), not an engine:
    /// ``code`` then only classifies it, and ``debugDetails`` does not show it as SQLite's.
    private var isOwnCheck = false

    init(
        code: Int32, message: String, sql: String? = nil, path: String? = nil, systemError: Int32 = 0,
        advice: InitAdvice? = nil, sqlState: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.reason = message
        self.sql = sql
        self.path = path
        self.systemError = systemError
        self.advice = advice
    }

    /// What went wrong, followed by the `stock init` that helps when one does.
    public var message: String {
        advice.map { "\(reason); \($0.action): \($0.command)" } ?? reason
    }

    /// The same error advising `command` (e.g. `stock init`, when the caller knows that it opens this file) in
    /// place of `stock --db PATH init`; an error that advises nothing is returned as it is.
    public func advising(initCommand command: String) -> DatabaseError {
        var advised = self
        advised.advice?.command = command
        return advised
    }

    /// No file at `path`: the message names the command that makes one.
    public static func noDatabase(at path: String) -> DatabaseError {
        DatabaseError(
            code: SQLITE_CANTOPEN, message: "no database at \(path)", advice: .initialize(path, "create it with")
        ).ownCheck
    }

    /// The same error marked as found by stock's own check (``isOwnCheck``).
    private var ownCheck: DatabaseError {
        var marked = self
        marked.isOwnCheck = true
        return marked
    }

    /// A folder where the database file should be.
    static func folder(at path: String) -> DatabaseError {
        DatabaseError(code: SQLITE_CANTOPEN, message: "\(path) is a folder, not a database file").ownCheck
    }

    /// A file that is not what this stock can work on (another program's, or another schema version).
    static func wrongFile(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_ERROR, message: message).ownCheck
    }

    /// A file that `stock init` makes usable: `action` says what it does, e.g. `bring it up to date with`.
    static func needsInit(_ message: String, path: String, action: String) -> DatabaseError {
        DatabaseError(code: SQLITE_ERROR, message: message, advice: .initialize(path, action)).ownCheck
    }

    /// A row this program cannot read back, such as an event whose kind or payload it never writes.
    static func unreadable(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_CORRUPT, message: message).ownCheck
    }

    /// One writer kept its turn longer than the busy timeout while this one waited for the next.
    static func turnHeldTooLong(milliseconds: Int) -> DatabaseError {
        DatabaseError(
            code: turnHeldTooLongCode,
            message: "one transaction held the write lock for more than \(milliseconds) ms (the busy timeout)"
        ).ownCheck
    }

    /// A call this connection's state does not allow, such as a nested transaction.
    static func misuse(_ message: String) -> DatabaseError {
        DatabaseError(code: SQLITE_MISUSE, message: message).ownCheck
    }

    /// A failure a PostgreSQL server reported (or libpq, for the connection), with its SQLSTATE.
    static func server(message: String, state: String, sql: String? = nil, path: String? = nil) -> DatabaseError {
        DatabaseError(code: 0, message: message, sql: sql, path: path, sqlState: state)
    }

    public var kind: Kind {
        if let sqlState { return Self.kind(ofState: sqlState) }
        return switch (code & 0xFF, code) {
        case (SQLITE_BUSY, _), (SQLITE_LOCKED, _): .busy
        case (_, constraintPrimaryKey), (_, constraintUnique): .uniqueViolation
        case (SQLITE_CONSTRAINT, _): .constraintViolation
        default: .other
        }
    }

    /// The kind of a PostgreSQL SQLSTATE: `55P03` (lock_timeout) and `57014` (a cancelled statement) are a
    /// lock held too long; class 23 is a constraint, `P0001` a trigger's `RAISE`.
    private static func kind(ofState state: String) -> Kind {
        switch state {
        case "55P03", "57014": .busy
        case "23505": .uniqueViolation
        case "P0001": .constraintViolation
        case "40001", "40P01": .conflict
        case "08007": .commitUnknown
        case _ where state.hasPrefix("23"): .constraintViolation
        case _ where state.hasPrefix("08"): .connection
        default: .other
        }
    }

    public var isBusy: Bool { kind == .busy }

    /// Whether the connection to a server is gone (``Kind/connection`` or ``Kind/commitUnknown``): a new one
    /// must be opened.
    public var lostConnection: Bool { kind == .connection || kind == .commitUnknown }

    public var description: String {
        if code == turnHeldTooLongCode {
            return "database busy: \(message)"
        }
        if sqlState == "25006" {
            return "this session is read-only: the monitor's connection cannot write (\(message))"
        }
        if sqlState == "42501" {
            return "the server refused this user: its role may not do this (\(message)); a read-only role can "
                + "run the monitor and the listings only"
        }
        if sqlState != nil, isBusy {
            return "database busy: another session held a lock this command needs past the busy timeout (\(message))"
        }
        if sqlState == nil, isBusy {
            return "database busy: a program that does not take turns with stock's writers (an older stock, the "
                + "sqlite3 shell) held the write lock past the busy timeout (\(message))"
        }
        // SQLite reports a full disk as SQLITE_FULL, but a write past the file-size limit (EFBIG) as an I/O error.
        let file = path ?? "the database"
        if code & 0xFF == SQLITE_FULL || systemError == ENOSPC {
            return "disk full: the disk holding \(file) has no room left, so the command was not applied "
                + "(nothing of it was written); free some space and run it again"
        }
        if systemError == EFBIG {
            return "file too large: \(file) reached this process's file-size limit (ulimit -f), so the command was "
                + "not applied (nothing of it was written); raise the limit and run it again"
        }
        if code & 0xFF == SQLITE_NOTADB {
            return "\(file) is not a stock database (file is not a database)"
        }
        // The engines' own messages ("disk I/O error", "relation … does not exist") do not say which database; the
        // ones written here do. The path goes last, so a message cut to a narrow status line still shows what went
        // wrong.
        guard let path, !message.contains(path) else { return message }
        return "\(message) (\(path))"
    }

    /// The engine's code (a server's SQLSTATE, SQLite's result code), the system's `errno` and the SQL that
    /// failed, for whoever debugs (`STOCK_DEBUG`); an error stock's own check found has no engine code.
    public var debugDetails: String {
        var details =
            if let sqlState {
                "PostgreSQL SQLSTATE \(sqlState.isEmpty ? "none (a libpq failure)" : sqlState)"
            } else if isOwnCheck {
                "found by stock's own check, not reported by the database engine"
            } else {
                "SQLite result code \(code)"
            }
        if systemError != 0 { details += ", errno \(systemError) (\(String(cString: strerror(systemError))))" }
        if let sql { details += ", SQL: \(sql)" }
        return details
    }
}

extension DatabaseError.InitAdvice {
    /// `stock --db PATH init`, with what it does.
    static func initialize(_ path: String, _ action: String) -> Self {
        Self(action: action, command: "stock --db \(path) init")
    }
}
