import Foundation

/// One connection, to a SQLite file or a PostgreSQL server, with its cache of prepared statements.
///
/// A `Database` belongs to the thread that opened it (it is not `Sendable`). Statements are prepared once per
/// SQL text and reused, so a hot path pays only for binding and stepping. The SQL is written once, with `?`
/// placeholders, in the subset both engines read. The engine is reached through a ``Connection`` (SQLite's in
/// `SQLite/`, PostgreSQL's in `Postgres/`); callers ask its ``features``, never its name.
public final class Database {
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
    /// The engine, reached only through what every kind of connection does.
    let connection: any Connection
    /// The server's transaction isolation for writes (``Settings/isolation``); an engine whose writers take turns
    /// ignores it.
    var isolation = Isolation.readCommitted
    private var statements: [String: any PreparedStatement] = [:]
    /// The same statements at the ``SQL/number`` of their ``SQL`` object, which is cheaper than hashing the text.
    private var statementsBySQL: [(any PreparedStatement)?] = []
    var transactionDepth = 0
    /// Whether ``beginGroup()`` left a write transaction open, in which each ``transaction(_:)`` is a savepoint.
    public internal(set) var isGrouped = false
    /// The writer's turn a group holds until it commits or rolls back.
    var groupTurn: (any WriterTurn)?
    /// Whether a command may wait for a product row another transaction holds (``Product/loadVersion(sku:in:)``);
    /// a ``CommandGroup`` sets it false for a command that runs after others in one transaction, which may hold
    /// rows: a group never waits while it holds rows, so two groups cannot deadlock.
    var waitsForRowLocks = true
    /// Whether ``beginReadSnapshot()`` left a read transaction open.
    public internal(set) var isInReadSnapshot = false
    var afterCommitActions: [() -> Void] = []
    /// How long a writer waits for another's lock, and the longest one writer's turn may last.
    let busyTimeoutMilliseconds: Int
    /// Called with the SQL of every statement about to run; tests use it to see and to interleave.
    var willRun: ((String) -> Void)?

    /// What this connection's engine does differently from others.
    public var features: EngineFeatures { connection.features }

    /// A database reached through `connection`; each kind of connection has its own initializer that makes it.
    init(connection: any Connection, path: String, access: Access, busyTimeoutMilliseconds: Int) {
        self.connection = connection
        self.path = path
        self.access = access
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
    }

    deinit {
        statementsBySQL.removeAll()
        statements.removeAll()
    }

    /// The cached statement for `sql`, prepared on first use.
    func statement(_ sql: String) throws -> any PreparedStatement {
        willRun?(sql)
        return try prepared(sql)
    }

    /// The cached statement for `sql`, found at its number; `inserting` adds what the engine needs to report the
    /// id of the row an `INSERT` adds (an SQL object is always run the same way).
    func statement(_ sql: SQL, inserting: Bool = false) throws -> any PreparedStatement {
        if sql.number < statementsBySQL.count, let cached = statementsBySQL[sql.number] {
            willRun?(cached.sql)
            return cached
        }
        let statement = try self.statement(text(of: sql) + (inserting ? connection.insertedIDClause : ""))
        if sql.number >= statementsBySQL.count {
            statementsBySQL += Array(repeating: nil, count: sql.number + 1 - statementsBySQL.count)
        }
        statementsBySQL[sql.number] = statement
        return statement
    }

    /// The text the engine runs for `sql`, with its row lock's clause.
    private func text(of sql: SQL) -> String {
        switch sql.rowLock {
        case .none: sql.text
        case .wait: sql.text + connection.features.rowLockClause
        case .now: sql.text + connection.features.rowLockNowClause
        }
    }

    private func prepared(_ sql: String) throws -> any PreparedStatement {
        if let cached = statements[sql] { return cached }
        let statement = try connection.prepare(sql)
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

    private func run(_ statement: any PreparedStatement, _ arguments: [any SQLBindable]) throws {
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() {}
    }

    /// Runs one plain `INSERT` of one row and returns the id of the row it inserted (its INTEGER PRIMARY KEY), 0
    /// when it inserted nothing (`ON CONFLICT DO NOTHING`).
    ///
    /// The callers' SQL is the same on every engine; the connection adds what it needs to report the id
    /// (``Connection/insertedIDClause``).
    ///
    /// - Throws: `DatabaseError`.
    func insert(_ sql: String, _ arguments: SQLBindable...) throws -> Int64 {
        try insertedID(statement(sql + connection.insertedIDClause), arguments)
    }

    func insert(_ sql: SQL, _ arguments: SQLBindable...) throws -> Int64 {
        try insertedID(statement(sql, inserting: true), arguments)
    }

    private func insertedID(_ statement: any PreparedStatement, _ arguments: [any SQLBindable]) throws -> Int64 {
        try statement.bind(arguments)
        defer { statement.reset() }
        // A statement stepped again after its last row would run again.
        return connection.insertedID(returned: try statement.step() ? statement.row : nil)
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

    /// Runs a query and hands `body` every row in turn, keeping none.
    ///
    /// - Throws: `DatabaseError`, or what `body` throws.
    func eachRow(_ sql: String, arguments: [SQLValue], _ body: (Row) throws -> Void) throws {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { statement.reset() }
        while try statement.step() { try body(statement.row) }
    }

    private func rows<T>(
        of statement: any PreparedStatement, _ arguments: [any SQLBindable], map: (Row) throws -> T
    ) throws -> [T] {
        try statement.bind(arguments)
        defer { statement.reset() }
        var rows: [T] = []
        while try statement.step() {
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

    private func firstRow<T>(
        of statement: any PreparedStatement, _ arguments: [any SQLBindable], map: (Row) throws -> T
    ) throws -> T? {
        try statement.bind(arguments)
        defer { statement.reset() }
        return try statement.step() ? map(statement.row) : nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { connection.changes }

    /// Whether another connection committed since the previous call: how a screen or a follower knows to re-read.
    ///
    /// The first call only remembers where the database is and returns false; this connection's own commits
    /// never count. A call that throws remembers nothing.
    public func changedSinceLastCheck() throws -> Bool {
        try connection.changedSinceLastCheck(in: self)
    }

    /// The server this database is on, as `HOST:PORT` (with several hosts in the address, the one reached); nil
    /// for a file.
    public var serverPlacement: String? { connection.placement }

    /// What the server warned of as the last transaction committed, once: on a server whose synchronous standby
    /// did not confirm a commit before waiting for it was stopped, that the commit is made on the primary only.
    public func takeCommitWarning() -> String? {
        connection.takeCommitWarning()
    }

    /// Whether it replicates a primary, and how far behind; nil when the database is not a standby.
    public func replicaStatus() throws -> ReplicaStatus? {
        try connection.replicaStatus(in: self)
    }
}

/// A standby's replication, as the status line shows it.
public struct ReplicaStatus: Sendable, Equatable {
    /// Whether it receives the primary's changes as they are made (`pg_stat_wal_receiver` streaming).
    public let streaming: Bool
    /// How long ago the last change it has not replayed yet was made on the primary: 0 when it has replayed all
    /// it received (an idle primary sends nothing, so the time since the last replayed change says nothing of
    /// lag); nil when it cannot tell.
    public let lagSeconds: Double?

    public init(streaming: Bool, lagSeconds: Double?) {
        self.streaming = streaming
        self.lagSeconds = lagSeconds
    }
}
