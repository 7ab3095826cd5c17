import CSQLite
import Foundation

/// A connection to a SQLite file: the embedded default.
///
/// Writers take turns: first among stock's own writers (``WriterQueue``), then through `BEGIN IMMEDIATE`, which
/// takes the file's write lock up front, so two writers queue instead of failing later with
/// `SQLITE_BUSY_SNAPSHOT`. One writer commits at a time, so event ids grow in commit order.
final class SQLiteConnection: Connection {
    static let features = EngineFeatures(
        name: "SQLite", lossDetection: .fileWatch, writersRunSideBySide: false, rowLockClause: "",
        rowLockNowClause: "", commitOrder: .byID, sideFileSuffixes: ["-wal", "-shm", "-journal", "-writers"],
        byteOrderCollation: nil)

    var features: EngineFeatures { Self.features }

    let handle: OpaquePointer
    let path: String
    let access: Database.Access
    let busyTimeoutMilliseconds: Int
    /// SQLite's busy handler, which also calls ``whileWaiting``; it lives as long as the connection.
    let busyWaiter: BusyWaiter
    /// The side file where this connection takes its turns to write, opened at the first write; nil until then,
    /// or when it cannot be used.
    private var writerQueue: WriterQueue?
    private var writerQueueOpened = false
    /// The `data_version` seen by the last ``changedSinceLastCheck(in:)``.
    private var checkedDataVersion: Int?

    /// Opens (or creates) the file and turns on foreign keys and the busy handler (``BusyWaiter``), then reads
    /// the schema, so that a file that is not a database fails here, not later.
    ///
    /// - Throws: `DatabaseError` when the file cannot be opened or is not a database.
    init(path: String, access: Database.Access, busyTimeoutMilliseconds: Int, synchronous: Synchronous) throws {
        self.path = path
        self.access = access
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
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
        busyWaiter = BusyWaiter(timeoutMilliseconds: busyTimeoutMilliseconds)
        sqlite3_busy_handler(handle, BusyWaiter.callback, Unmanaged.passUnretained(busyWaiter).toOpaque())
        do {
            try runScript(
                [
                    "PRAGMA foreign_keys=ON", "PRAGMA synchronous=\(synchronous.keyword)",
                    // Checkpoint after about 4 MiB of WAL, as SQLite's default of 1000 pages does with 4 KiB
                    // pages; counted in pages, that default would checkpoint (and sync) four times as often with
                    // our 1 KiB pages.
                    "PRAGMA wal_autocheckpoint=\(4 * 1024 * 1024 / Schema.pageSize)",
                    "SELECT count(*) FROM sqlite_schema",
                ].joined(separator: "; "))
            try registerFunctions()
        } catch let failure as DatabaseError {
            sqlite3_close_v2(opened)
            throw failure.explained(Self.explained(failure, path: path), path: path)
        }
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs `script` (statements without parameters) and drops any rows.
    func runScript(_ script: String) throws {
        let rc = sqlite3_exec(handle, script, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql: script) }
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

    /// Builds the error for a failed call, reading SQLite's message for this connection.
    func error(_ rc: Int32, sql: String?) -> DatabaseError {
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

    func prepare(_ sql: String) throws -> any PreparedStatement {
        var prepared: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard rc == SQLITE_OK, let prepared else { throw error(rc, sql: sql) }
        return SQLiteStatement(prepared, sql: sql, connection: self)
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    /// SQLite reports the id without a `RETURNING id` clause, which measurably slows an allocation.
    var insertedIDClause: String { "" }

    func insertedID(returned row: Row?) -> Int64 { sqlite3_last_insert_rowid(handle) }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Takes the writer's turn, then runs `BEGIN IMMEDIATE`, turning SQLite's busy answer into ``WaitAbandoned``
    /// when ``whileWaiting`` gave up.
    func beginWrite(in database: Database) throws -> (any WriterTurn)? {
        let waitStarted = monotonicNow()
        busyWaiter.waitStarted = waitStarted
        defer { busyWaiter.waitStarted = nil }
        let turn = try takeWriterTurn(waitStarted: waitStarted)
        do {
            busyWaiter.startEpisode()
            do {
                try database.execute(Self.beginSQL)
            } catch let error as DatabaseError where error.isBusy && busyWaiter.gaveUp {
                throw WaitAbandoned(seconds: monotonicNow() - waitStarted)
            }
        } catch {
            turn?.endTurn()
            throw error
        }
        LockWaitLog.record(seconds: monotonicNow() - waitStarted)
        return turn
    }

    private static let beginSQL = SQL("BEGIN IMMEDIATE")

    /// Takes this connection's turn among the file's writers and returns the queue to give it back to; nil for a
    /// read-only connection, and for `.create` (`stock init`), which leaves only the database file behind: the
    /// first writer makes the side file. The side file stays open with the connection.
    private func takeWriterTurn(waitStarted: Double) throws -> WriterQueue? {
        guard access == .readWrite else { return nil }
        if !writerQueueOpened {
            writerQueueOpened = true
            writerQueue = WriterQueue(databasePath: path)
        }
        busyWaiter.startTurnWait(at: waitStarted)
        try writerQueue?.takeTurn(busyTimeoutMilliseconds: busyTimeoutMilliseconds) { [busyWaiter] now in
            busyWaiter.call(now: now, since: waitStarted)
        }
        return writerQueue
    }

    func sendWithNext(_ statement: any PreparedStatement) -> Bool { false }

    func discardUnsent() {}

    var readSnapshotSQL: (begin: String, firstRead: String) { ("BEGIN", "SELECT count(*) FROM sqlite_schema") }

    /// `PRAGMA data_version` changes when another connection commits to the file, not on this one's commits.
    /// See https://sqlite.org/pragma.html#pragma_data_version.
    func changedSinceLastCheck(in database: Database) throws -> Bool {
        let version = try database.queryOne("PRAGMA data_version") { $0.int(0) } ?? 0
        defer { checkedDataVersion = version }
        return checkedDataVersion.map { $0 != version } ?? false
    }

    var whileWaiting: ((Double) -> Bool)? {
        get { busyWaiter.hook }
        set { busyWaiter.hook = newValue }
    }

    /// A SQLite table's triggers cannot be paused.
    func withTriggerPaused<T>(_ trigger: String, on table: String, in database: Database, _ body: () throws -> T)
        throws -> T?
    { nil }

    /// SQLite's next rowid always follows the largest.
    func moveIdentityPastLargestID(of table: String, in database: Database) throws {}

    func schemaVersion(of database: Database) throws -> Int {
        try database.queryOne("PRAGMA user_version") { $0.int(0) } ?? 0
    }

    func migrate(_ database: Database) throws {
        try Schema.migrateFile(database)
    }
}

extension WriterQueue: WriterTurn {}

/// Turns SQLite's memory statistics off once, before the process's first connection (see the shim).
private let memoryStatisticsOff: Void = {
    _ = csqlite_disable_memory_statistics()
}()
