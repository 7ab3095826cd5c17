import Foundation

/// A failure of the database, with what it means, the message and the SQL that failed.
///
/// Callers look at ``kind``, never at an engine's codes. An error an engine reported keeps its code
/// (``engineReport``) for ``debugDetails`` alone; one stock's own check found (a missing file, a wrong schema, a
/// misuse) has no code at all, only its kind. Operators see ``description``, a sentence without codes (a lock held
/// past the busy timeout reads "database busy").
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// What a failure means, whatever engine reported it or whichever check found it.
    public enum Kind: Sendable {
        /// A lock was held past the busy timeout: SQLite's write lock by a program that does not take turns, a
        /// server's row lock by another session, or one writer's turn (``WriterQueue``) by that writer.
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
        /// There is no database where one was named, or it cannot be made there (a folder in its place, a missing
        /// group, a folder that refuses a new file).
        case notFound
        /// The file or schema is not one this stock works on as it is: another program's, another schema
        /// version, or a catalog that does not match its version; `stock init` says whether it can help.
        case wrongSchema
        /// The file is not a database at all.
        case notADatabase
        /// A row this program cannot read back, or a file SQLite found damaged.
        case unreadable
        /// The disk holding the database has no room left.
        case diskFull
        /// A write passed the process's file-size limit (`ulimit -f`).
        case fileTooLarge
        /// The session may not write: a read-only session (the monitor's), or a role the server refuses.
        case readOnly
        /// A call this connection's state does not allow, such as a nested transaction: a defect in stock.
        case misuse
        /// Anything else an engine reported.
        case other
    }

    /// What the engine itself said, kept for ``debugDetails``: which code (e.g. `SQLite result code`,
    /// `PostgreSQL SQLSTATE`) and its value.
    struct EngineReport: Sendable, Equatable {
        let codeName: String
        let code: String
    }

    /// The `stock init` that makes the file usable, told after the message, e.g. `create it with: stock init`.
    struct InitAdvice: Sendable {
        /// What running it does, e.g. `create it with`.
        let action: String
        /// The words to run: `stock --db PATH init` unless the caller knows that plain `stock init` opens PATH.
        var command: String
    }

    public let kind: Kind
    /// The engine's own report; nil when stock's own check found the problem.
    let engineReport: EngineReport?
    /// What went wrong, without the advice.
    private let reason: String
    public let sql: String?
    /// The file written when the failure happened, named by the messages about the file itself.
    let path: String?
    /// The `errno` of the system call that failed (`sqlite3_system_errno`), 0 when none did.
    let systemError: Int32
    private var advice: InitAdvice?
    /// Whether a busy failure was one writer keeping its turn, not a lock another program held.
    private var turnHeldTooLong = false

    /// An error stock's own check found: it has a kind and no engine code.
    init(_ kind: Kind, message: String, sql: String? = nil, path: String? = nil, advice: InitAdvice? = nil) {
        self.init(kind: kind, engineReport: nil, message: message, sql: sql, path: path, systemError: 0)
        self.advice = advice
    }

    init(
        kind: Kind, engineReport: EngineReport?, message: String, sql: String?, path: String?, systemError: Int32
    ) {
        self.kind = kind
        self.engineReport = engineReport
        self.reason = message
        self.sql = sql
        self.path = path
        self.systemError = systemError
    }

    /// The same failure told with another message and path, as a failure to open a file is explained.
    func explained(_ message: String, path: String) -> DatabaseError {
        DatabaseError(
            kind: kind, engineReport: engineReport, message: message, sql: sql, path: path, systemError: systemError)
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
        DatabaseError(.notFound, message: "no database at \(path)", advice: .initialize(path, "create it with"))
    }

    /// A folder where the database file should be.
    static func folder(at path: String) -> DatabaseError {
        DatabaseError(.notFound, message: "\(path) is a folder, not a database file")
    }

    /// A file that is not what this stock can work on (another program's, or another schema version).
    static func wrongFile(_ message: String) -> DatabaseError {
        DatabaseError(.wrongSchema, message: message)
    }

    /// A file that `stock init` makes usable: `action` says what it does, e.g. `bring it up to date with`.
    static func needsInit(_ message: String, path: String, action: String) -> DatabaseError {
        DatabaseError(.wrongSchema, message: message, advice: .initialize(path, action))
    }

    /// A row this program cannot read back, such as an event whose kind or payload it never writes.
    static func unreadable(_ message: String) -> DatabaseError {
        DatabaseError(.unreadable, message: message)
    }

    /// One writer kept its turn longer than the busy timeout while this one waited for the next.
    static func turnHeldTooLong(milliseconds: Int) -> DatabaseError {
        var error = DatabaseError(
            .busy, message: "one transaction held the write lock for more than \(milliseconds) ms (the busy timeout)")
        error.turnHeldTooLong = true
        return error
    }

    /// A call this connection's state does not allow, such as a nested transaction.
    static func misuse(_ message: String) -> DatabaseError {
        DatabaseError(.misuse, message: message)
    }

    public var isBusy: Bool { kind == .busy }

    /// Whether the connection to a server is gone (``Kind/connection`` or ``Kind/commitUnknown``): a new one
    /// must be opened.
    public var lostConnection: Bool { kind == .connection || kind == .commitUnknown }

    public var description: String {
        let file = path ?? "the database"
        switch kind {
        case .busy where turnHeldTooLong:
            return "database busy: \(message)"
        case .busy where sqlState != nil:
            return "database busy: another session held a lock this command needs past the busy timeout (\(message))"
        case .busy:
            return "database busy: a program that does not take turns with stock's writers (an older stock, the "
                + "sqlite3 shell) held the write lock past the busy timeout (\(message))"
        case .readOnly where sqlState == "25006":
            return "this session is read-only: the monitor's connection cannot write (\(message))"
        case .readOnly where sqlState == "42501":
            return "the server refused this user: its role may not do this (\(message)); a read-only role can "
                + "run the monitor and the listings only"
        case .diskFull:
            return "disk full: the disk holding \(file) has no room left, so the command was not applied "
                + "(nothing of it was written); free some space and run it again"
        case .fileTooLarge:
            return "file too large: \(file) reached this process's file-size limit (ulimit -f), so the command was "
                + "not applied (nothing of it was written); raise the limit and run it again"
        case .notADatabase where engineReport != nil:
            return "\(file) is not a stock database (file is not a database)"
        default:
            // The engines' own messages ("disk I/O error", "relation … does not exist") do not say which database;
            // the ones written here do. The path goes last, so a message cut to a narrow status line still shows
            // what went wrong.
            guard let path, !message.contains(path) else { return message }
            return "\(message) (\(path))"
        }
    }

    /// The engine's code (a server's SQLSTATE, SQLite's result code), the system's `errno` and the SQL that
    /// failed, for whoever debugs (`STOCK_DEBUG`); an error stock's own check found has no engine code.
    public var debugDetails: String {
        var details =
            engineReport.map { "\($0.codeName) \($0.code)" }
            ?? "found by stock's own check, not reported by the database engine"
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
