/// One kind of connection to a database: what ``Database`` asks of an engine.
///
/// ``Database`` keeps what every engine shares (the statement cache, the transaction's state, the actions run
/// after commit) and reaches the engine only through this protocol; a conformance lives in a folder of its own
/// (`SQLite/`, `Postgres/`), and callers outside this folder ask its ``features`` instead of its name.
protocol Connection: AnyObject {
    var features: EngineFeatures { get }

    /// Prepares `sql`, written with `?` placeholders, for reuse.
    func prepare(_ sql: String) throws -> any PreparedStatement

    /// Runs `script`, statements without parameters whose rows are dropped, inside the open transaction if any.
    func runScript(_ script: String) throws

    /// Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
    var changes: Int { get }

    /// What an `INSERT` of one row adds to its text so that ``insertedID(returned:)`` can read the new id.
    var insertedIDClause: String { get }

    /// The id of the row the last `INSERT` added, given the first row it returned (nil when it returned none); 0
    /// when it inserted nothing.
    func insertedID(returned row: Row?) -> Int64

    /// Whether the engine holds an open (or failed) transaction on this connection.
    var isInTransaction: Bool { get }

    /// Starts the writers' transaction for `database`: waits for the turn where writers take turns, then sends
    /// the engine's `BEGIN` (now, or with the transaction's first statement). Returns the turn to give back after
    /// the transaction ends, if any.
    func beginWrite(in database: Database) throws -> (any WriterTurn)?

    /// Sends `statement`, which takes no arguments and returns no rows, with the next statement instead of now,
    /// and returns true; false where the engine runs each statement as it comes (the caller runs it now).
    func sendWithNext(_ statement: any PreparedStatement) -> Bool

    /// Forgets what ``sendWithNext(_:)`` held and was not sent yet.
    func discardUnsent()

    /// The statement that begins a read snapshot and a query that takes it (``Database/beginReadSnapshot()``).
    var readSnapshotSQL: (begin: String, firstRead: String) { get }

    /// Whether another connection committed since the previous call (``Database/changedSinceLastCheck()``).
    func changedSinceLastCheck(in database: Database) throws -> Bool

    /// Called about every 100 ms while this connection waits for another's lock, with the seconds waited;
    /// returning false gives up.
    var whileWaiting: ((Double) -> Bool)? { get set }

    /// Runs `body` with `trigger` on `table` paused, inside the open transaction; nil, without running `body`,
    /// where it cannot be paused.
    func withTriggerPaused<T>(_ trigger: String, on table: String, in database: Database, _ body: () throws -> T)
        throws -> T?

    /// Sets the identity of `table`'s column `id` past its largest value, where the engine keeps one apart.
    func moveIdentityPastLargestID(of table: String, in database: Database) throws

    /// The version of stock's schema the database holds; 0 when it has none.
    func schemaVersion(of database: Database) throws -> Int

    /// Brings the database to the current schema version (``Schema/migrations``), all or nothing.
    func migrate(_ database: Database) throws

    /// The server the connection reached, as `HOST:PORT`; nil for a file.
    var placement: String? { get }

    /// How far a standby is behind its primary; nil where the connection is not to a standby.
    func replicaStatus(in database: Database) throws -> ReplicaStatus?

    /// What the server warned of as the last `COMMIT` succeeded, once; nil when it did not.
    func takeCommitWarning() -> String?
}

extension Connection {
    var placement: String? { nil }
    func replicaStatus(in database: Database) throws -> ReplicaStatus? { nil }
    func takeCommitWarning() -> String? { nil }
}

/// The turn a writer took among the database's writers, given back when its transaction ends.
protocol WriterTurn: AnyObject {
    func endTurn()
}

/// A statement prepared once and reused: bound, stepped, then reset.
protocol PreparedStatement: AnyObject {
    /// The text it was prepared from.
    var sql: String { get }
    /// Binds `arguments` to the parameters in order, and NULL to any parameter after them.
    func bind(_ arguments: [any SQLBindable]) throws
    /// Steps once: `true` when a row is ready, `false` when done.
    func step() throws -> Bool
    /// The current row, valid until the next step or reset.
    var row: Row { get }
    func reset()
}

/// Reads the columns of the row a statement stands on; see ``Row``.
protocol RowCursor {
    var columnCount: Int32 { get }
    func int64(_ column: Int32) -> Int64
    func isNull(_ column: Int32) -> Bool
    func text(_ column: Int32) -> String
    /// The column's text as the engine holds it, valid until the statement steps again or is reset.
    func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8>
}
