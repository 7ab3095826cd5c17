import CSQLite
import Foundation

/// One connection, to a SQLite file or a PostgreSQL server, with its cache of prepared statements.
///
/// A `Database` belongs to the thread that opened it (it is not `Sendable`). Statements are prepared once per
/// SQL text and reused, so a hot path pays only for binding and stepping. The SQL is written once, with `?`
/// placeholders, in the subset both engines read; a server connection numbers the placeholders (`$1` …) when it
/// prepares a statement, and a ``SQL`` object may carry the server's own text where the engines differ.
public final class Database {
    /// The engine a connection talks to.
    public enum Engine: Sendable {
        /// A SQLite file, the embedded default.
        case sqlite
        /// A PostgreSQL server, named by a `postgresql://` URL.
        case postgresql
    }

    /// How a connection may touch the file.
    public enum Access: Sendable {
        /// Read and write; creates the file when missing.
        case create
        /// Read and write an existing file.
        case readWrite
        /// `SQLITE_OPEN_READONLY`: SQLite itself refuses every write.
        case readOnly
    }

    /// The file, or for a server the URL with its password hidden (``ServerAddress/shown``).
    public let path: String
    public let access: Access
    public let engine: Engine
    /// The SQLite connection; nil on a server.
    let handle: OpaquePointer?
    /// The server connection; nil on SQLite.
    let server: PostgresConnection?
    /// The rows the last statement run on a server changed.
    private var serverChanges = 0
    /// The server's transaction isolation for writes (``Settings/isolation``).
    var isolation = Isolation.readCommitted
    /// What ``changedSinceLastCheck()`` remembers on a server: whether it listens, and when it last polled.
    var serverWatch = ServerWatch()
    private var statements: [String: Statement] = [:]
    /// The same statements at the ``SQL/number`` of their ``SQL`` object, which is cheaper than hashing the text.
    private var statementsBySQL: [Statement?] = []
    var transactionDepth = 0
    /// Whether ``beginGroup()`` left a write transaction open, in which each ``transaction(_:)`` is a savepoint.
    public internal(set) var isGrouped = false
    /// Whether a command may wait for a product row another transaction holds (``Product/loadVersion(sku:in:)``);
    /// a ``CommandGroup`` sets it false for a command that runs after others in one transaction, which may hold
    /// rows: a group never waits while it holds rows, so two groups cannot deadlock.
    var waitsForRowLocks = true
    /// Whether ``beginReadSnapshot()`` left a read transaction open.
    public internal(set) var isInReadSnapshot = false
    var afterCommitActions: [() -> Void] = []
    /// How long SQLite waits for another connection's write lock, and the longest one writer's turn may last.
    let busyTimeoutMilliseconds: Int
    /// SQLite's busy handler, which also calls ``whileWaiting``; it lives as long as the connection.
    let busyWaiter: BusyWaiter
    /// The side file where this connection takes its turns to write, opened at the first write; nil until then,
    /// or when it cannot be used.
    var writerQueue: WriterQueue?
    var writerQueueOpened = false
    /// The `data_version` seen by the last ``changedSinceLastCheck()``.
    private var checkedDataVersion: Int?
    /// Called with the SQL of every statement about to run; tests use it to see and to interleave.
    var willRun: ((String) -> Void)?

    /// Opens (or creates) the file and turns on foreign keys and the busy handler (``BusyWaiter``);
    /// ``Schema/migrate(_:)`` puts a stock database in WAL mode, so opening someone else's file by mistake changes
    /// nothing in it.
    ///
    /// This opens any SQLite file and checks nothing of its schema; a stock database is opened with
    /// ``open(settings:access:)``.
    ///
    /// - Throws: `DatabaseError` when the file cannot be opened or is not a database.
    public init(
        path: String, access: Access = .readWrite, busyTimeoutMilliseconds: Int = 5000,
        synchronous: Synchronous = .full
    ) throws {
        self.path = path
        self.access = access
        engine = .sqlite
        server = nil
        var flags = SQLITE_OPEN_NOMUTEX
        switch access {
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        _ = memoryStatisticsOff
        var opened: OpaquePointer?
        let rc = sqlite3_open_v2(path, &opened, flags, nil)
        guard rc == SQLITE_OK, let opened else {
            let message = opened.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(opened)
            throw DatabaseError(sqliteCode: rc, message: "cannot open \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        busyWaiter = BusyWaiter(timeoutMilliseconds: busyTimeoutMilliseconds)
        sqlite3_busy_handler(handle, BusyWaiter.callback, Unmanaged.passUnretained(busyWaiter).toOpaque())
        do {
            try execute("PRAGMA foreign_keys=ON")
            try registerFunctions()
            try execute("PRAGMA synchronous=\(synchronous.keyword)")
            // Checkpoint after about 4 MiB of WAL, as SQLite's default of 1000 pages does with 4 KiB pages; counted
            // in pages, that default would checkpoint (and sync) four times as often with our 1 KiB pages.
            try execute("PRAGMA wal_autocheckpoint=\(4 * 1024 * 1024 / Schema.pageSize)")
            // Reading the schema fails here, not later, when the file is not a database.
            _ = try queryOne("SELECT count(*) FROM sqlite_schema") { $0.int(0) }
        } catch let failure as DatabaseError {
            statementsBySQL.removeAll()
            statements.removeAll()
            sqlite3_close_v2(opened)
            throw failure.explained(Database.explained(failure, path: path), path: path)
        }
    }

    /// The message of a failure to open `path`, saying what is wrong when the file's folder is read-only: a
    /// database in WAL mode needs its `-wal` and `-shm` side files beside it even to be read, and SQLite then
    /// reports "attempt to write a readonly database" or "unable to open database file".
    private static func explained(_ failure: DatabaseError, path: String) -> String {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard [SQLITE_READONLY, SQLITE_CANTOPEN].contains(failure.sqlitePrimaryCode ?? 0),
            Foundation.access(folder, W_OK) != 0
        else {
            return "\(path): \(failure.message)"
        }
        return "cannot read \(path): its folder \(folder) is read-only to this user, and SQLite's write-ahead log "
            + "must create \(path)-wal and \(path)-shm beside the database even to read it; copy the database "
            + "(with any -wal file) to a folder you can write and open the copy, or ask for write permission on "
            + "the folder (\(failure.message))"
    }

    /// Connects to a PostgreSQL server (``PostgresConnection``) and sets the session up: the lock timeout is
    /// the busy timeout, `synchronous` `normal` (or `off`) turns `synchronous_commit` off, and a `.readOnly`
    /// session is read-only on the server itself (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`). A
    /// statement that hears nothing from the server for the busy timeout plus `serverTimeoutMilliseconds` gives
    /// the connection up (``PostgresConnection/answerTimeout``).
    ///
    /// - Throws: `DatabaseError` when the server cannot be reached or refuses the login; `SettingsError` for a
    ///   URL that cannot be read.
    init(
        server address: ServerAddress, access: Access, busyTimeoutMilliseconds: Int, synchronous: Synchronous,
        serverTimeoutMilliseconds: Int = Settings().serverTimeoutMilliseconds
    ) throws {
        path = address.shown
        self.access = access
        engine = .postgresql
        handle = nil
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        busyWaiter = BusyWaiter(timeoutMilliseconds: busyTimeoutMilliseconds)
        let connection = try PostgresConnection(
            address: address, timeoutSeconds: max(2, (busyTimeoutMilliseconds + 999) / 1000),
            answerTimeoutMilliseconds: busyTimeoutMilliseconds + serverTimeoutMilliseconds)
        server = connection
        var session = [
            "SET lock_timeout = \(busyTimeoutMilliseconds)",
            "SET synchronous_commit = \(synchronous == .normal || synchronous == .off ? "off" : "on")",
            "SET client_encoding = 'UTF8'",
        ]
        if access == .readOnly { session.append("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY") }
        try connection.runScript(session.joined(separator: "; "))
    }

    /// A connection to the PostgreSQL database `serverURL` names, whatever its schema holds: for administration
    /// (creating schemas, copying), where ``open(settings:access:)`` would require stock's schema.
    ///
    /// - Throws: `DatabaseError` when the server cannot be reached or refuses the login.
    public convenience init(serverURL: String, access: Access = .readWrite, busyTimeoutMilliseconds: Int = 5000)
        throws
    {
        try self.init(
            server: ServerAddress(url: serverURL), access: access, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
            synchronous: .full)
    }

    deinit {
        statementsBySQL.removeAll()
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
    }

    /// Builds the error for a failed call, reading SQLite's message for this connection.
    func error(_ rc: Int32, sql: String?) -> DatabaseError {
        guard let handle else { return DatabaseError(sqliteCode: rc, message: "SQLite error \(rc)", sql: sql) }
        let extended = sqlite3_extended_errcode(handle)
        let code = (extended & 0xFF) == (rc & 0xFF) ? extended : rc
        var systemError = sqlite3_system_errno(handle)
        if code & 0xFF == SQLITE_IOERR, systemError != EFBIG, reachedFileSizeLimit() { systemError = EFBIG }
        return DatabaseError(
            sqliteCode: code, message: String(cString: sqlite3_errmsg(handle)), sql: sql, path: path,
            systemError: systemError)
    }

    /// Whether the database or its WAL is within 64 KiB of the process's file-size limit (`ulimit -f`).
    ///
    /// SQLite reports the `errno` of the last system call, which after a refused write (EFBIG) is often that of a
    /// later call made while rolling back; the files' sizes say what happened.
    private func reachedFileSizeLimit() -> Bool {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return false
        }
        let largest =
            [path, path + "-wal"].compactMap { file in
                (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int).flatMap { $0 }
            }.max() ?? 0
        return UInt64(largest) + 65536 >= UInt64(limit.rlim_cur)
    }

    /// The cached statement for `sql`, prepared on first use.
    func statement(_ sql: String) throws -> Statement {
        willRun?(sql)
        return try prepared(sql)
    }

    /// The cached statement for `sql`, found at its number.
    func statement(_ sql: SQL) throws -> Statement {
        let text = engine == .postgresql ? sql.serverText : sql.text
        willRun?(text)
        if sql.number < statementsBySQL.count, let cached = statementsBySQL[sql.number] { return cached }
        let statement = try prepared(text)
        if sql.number >= statementsBySQL.count {
            statementsBySQL += Array(repeating: nil, count: sql.number + 1 - statementsBySQL.count)
        }
        statementsBySQL[sql.number] = statement
        return statement
    }

    private func prepared(_ sql: String) throws -> Statement {
        if let cached = statements[sql] { return cached }
        if let server {
            let numbered = Database.numberingPlaceholders(sql)
            let name = try server.prepare(numbered.sql)
            let statement = Statement(prepared: .postgres(name: name, parameters: numbered.parameters), sql: sql)
            statements[sql] = statement
            return statement
        }
        var prepared: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard rc == SQLITE_OK, let prepared else { throw error(rc, sql: sql) }
        let statement = Statement(prepared: .sqlite(prepared), sql: sql)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement that returns no rows.
    ///
    /// - Throws: `DatabaseError`.
    public func execute(_ sql: String, _ arguments: SQLBindable...) throws {
        try run(statement(sql), arguments)
    }

    public func execute(_ sql: String, arguments: [SQLValue]) throws {
        try run(statement(sql), arguments)
    }

    /// Runs one statement of the hot path that returns no rows, as ``execute(_:_:)-(String,_)`` does.
    func execute(_ sql: SQL, _ arguments: SQLBindable...) throws {
        try run(statement(sql), arguments)
    }

    private func run(_ statement: Statement, _ arguments: [any SQLBindable]) throws {
        try statement.bind(arguments, in: self)
        defer { statement.reset() }
        while try statement.step(in: self) {}
        if server != nil { serverChanges = statement.serverChanges }
    }

    /// Runs one plain `INSERT` of one row and returns the id of the row it inserted (its INTEGER PRIMARY KEY).
    ///
    /// SQLite reports the id without a `RETURNING id` clause, which measurably slows an allocation; an engine
    /// without that report adds the clause here, so the callers' SQL stays the same on every engine.
    ///
    /// - Throws: `DatabaseError`.
    func insert(_ sql: String, _ arguments: SQLBindable...) throws -> Int64 {
        if server != nil { return try insertReturningID(sql, arguments) }
        try run(statement(sql), arguments)
        return sqlite3_last_insert_rowid(handle)
    }

    func insert(_ sql: SQL, _ arguments: SQLBindable...) throws -> Int64 {
        if server != nil { return try insertReturningID(sql.serverText, arguments) }
        try run(statement(sql), arguments)
        return sqlite3_last_insert_rowid(handle)
    }

    /// A server's insert: the same SQL with `RETURNING id`; 0 when it inserted nothing (`ON CONFLICT DO NOTHING`).
    private func insertReturningID(_ sql: String, _ arguments: [any SQLBindable]) throws -> Int64 {
        let statement = try statement(sql + " RETURNING id")
        try statement.bind(arguments, in: self)
        defer { statement.reset() }
        let id = try statement.step(in: self) ? statement.row.int64(0) : 0
        serverChanges = statement.serverChanges
        return id
    }

    /// Runs a query and maps every row.
    ///
    /// - Throws: `DatabaseError`, or what `map` throws.
    public func query<T>(_ sql: String, _ arguments: SQLBindable..., map: (Row) throws -> T) throws -> [T] {
        try rows(of: statement(sql), arguments, map: map)
    }

    public func query<T>(_ sql: String, arguments: [SQLValue], map: (Row) throws -> T) throws -> [T] {
        try rows(of: statement(sql), arguments, map: map)
    }

    func query<T>(_ sql: SQL, _ arguments: SQLBindable..., map: (Row) throws -> T) throws -> [T] {
        try rows(of: statement(sql), arguments, map: map)
    }

    private func rows<T>(of statement: Statement, _ arguments: [any SQLBindable], map: (Row) throws -> T) throws
        -> [T]
    {
        try statement.bind(arguments, in: self)
        defer { statement.reset() }
        var rows: [T] = []
        while try statement.step(in: self) {
            rows.append(try map(statement.row))
        }
        return rows
    }

    /// Runs a query and maps its first row, or returns nil when there is none.
    public func queryOne<T>(_ sql: String, _ arguments: SQLBindable..., map: (Row) throws -> T) throws -> T? {
        try firstRow(of: statement(sql), arguments, map: map)
    }

    public func queryOne<T>(_ sql: String, arguments: [SQLValue], map: (Row) throws -> T) throws -> T? {
        try firstRow(of: statement(sql), arguments, map: map)
    }

    func queryOne<T>(_ sql: SQL, _ arguments: SQLBindable..., map: (Row) throws -> T) throws -> T? {
        try firstRow(of: statement(sql), arguments, map: map)
    }

    private func firstRow<T>(of statement: Statement, _ arguments: [any SQLBindable], map: (Row) throws -> T) throws
        -> T?
    {
        try statement.bind(arguments, in: self)
        defer { statement.reset() }
        return try statement.step(in: self) ? map(statement.row) : nil
    }

    /// Whether SQLite is outside any transaction on this connection.
    var sqliteAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { server == nil ? Int(sqlite3_changes(handle)) : serverChanges }

    /// `PRAGMA data_version`: changes when another connection commits to the file, not on this one's commits.
    ///
    /// See https://sqlite.org/pragma.html#pragma_data_version.
    func dataVersion() throws -> Int {
        try queryOne("PRAGMA data_version") { $0.int(0) } ?? 0
    }

    /// Whether another connection committed since the previous call: how a screen or a follower knows to re-read.
    ///
    /// The first call only remembers where the database is and returns false; this connection's own commits
    /// never count. A call that throws remembers nothing.
    public func changedSinceLastCheck() throws -> Bool {
        if server != nil { return try serverChangedSinceLastCheck() }
        let version = try dataVersion()
        defer { checkedDataVersion = version }
        return checkedDataVersion.map { $0 != version } ?? false
    }
}

/// Turns SQLite's memory statistics off once, before the process's first connection (see the shim).
private let memoryStatisticsOff: Void = {
    _ = csqlite_disable_memory_statistics()
}()
