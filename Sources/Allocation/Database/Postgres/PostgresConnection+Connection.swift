import CPostgres

/// A connection to a PostgreSQL server as a ``Connection``: its statements are prepared on the server under a
/// name, writers' transactions run side by side at the ``Isolation`` the settings choose (each command locks its
/// product row, `FOR UPDATE`), and transactions take event ids when they insert, so they commit in any order.
extension PostgresConnection: Connection {
    static let features = EngineFeatures(
        name: "PostgreSQL", lossDetection: .reconnect, writersRunSideBySide: true, rowLockClause: " FOR UPDATE",
        rowLockNowClause: " FOR UPDATE NOWAIT",
        commitOrder: .byTransaction(
            EngineFeatures.TransactionOrder(
                horizonSQL: "SELECT pg_snapshot_xmin(pg_current_snapshot())::text",
                transactionText: "tx::text AS tx_text",
                transactionPlaceholder: "CAST(? AS xid8)",
                finishedCondition: "tx < pg_snapshot_xmin(pg_current_snapshot())")),
        sideFileSuffixes: nil, byteOrderCollation: "\"C\"")

    var features: EngineFeatures { Self.features }

    /// Numbers the placeholders (``Database/numberingPlaceholders(_:)``) and prepares the statement on the server.
    func prepare(_ sql: String) throws -> any PreparedStatement {
        let numbered = Database.numberingPlaceholders(sql)
        let name = try prepareOnServer(numbered.sql)
        return PostgresStatement(name: name, parameters: numbered.parameters, sql: sql, connection: self)
    }

    var changes: Int { lastChanges }

    /// The server reports a new row's id only when asked.
    var insertedIDClause: String { " RETURNING id" }

    /// 0 when nothing was inserted (`ON CONFLICT DO NOTHING`).
    func insertedID(returned row: Row?) -> Int64 { row?.int64(0) ?? 0 }

    /// Sends no `BEGIN` now: it goes out with the transaction's first statement (``pending``). Writers do not take
    /// turns; the product row's lock orders them.
    ///
    /// - Throws: `DatabaseError` (SQLSTATE 25006) on a standby, before any statement of the transaction is sent.
    func beginWrite(in database: Database) throws -> (any WriterTurn)? {
        if try isStandby(in: database) {
            throw DatabaseError(
                .readOnly,
                message: "the PostgreSQL server at \(hostAndPort) is a standby, a read-only copy of its primary, so "
                    + "nothing was sent to it: stock writes only to the primary; name it in the database setting, "
                    + "or list every host with target_session_attrs=read-write so that libpq picks the writable one")
        }
        let begin = try database.statement("BEGIN ISOLATION LEVEL \(database.isolation.keywords)")
        _ = sendWithNext(begin)
        return nil
    }

    func sendWithNext(_ statement: any PreparedStatement) -> Bool {
        guard let statement = statement as? PostgresStatement else {
            preconditionFailure("a statement of another connection sent to a server")
        }
        sendWithNext(statement)
        return true
    }

    func discardUnsent() {
        pending = []
    }

    /// A `REPEATABLE READ READ ONLY` transaction, whose snapshot is taken at its first read.
    var readSnapshotSQL: (begin: String, firstRead: String) {
        ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "SELECT count(*) FROM products")
    }

    /// `LISTEN` on the first call, then true when another session's commit was announced (`NOTIFY`, sent inside
    /// the committing transaction, so delivered only on commit), or, every ``ServerWatch/pollSeconds``, when the
    /// event log's newest id moved since the last poll.
    ///
    /// Each call makes one round trip (an empty query) before it reads the notifications: the server sends a
    /// listener the notifications of the commits made before the query, so a commit that another connection saw
    /// end is never reported late. This connection's own notifications move the mark the poll compares with.
    func changedSinceLastCheck(in database: Database) throws -> Bool {
        if saysStandby { return try replayMoved(in: database) }
        if !watch.listening {
            let channel =
                try database.queryOne("SELECT \(Database.changesChannelSQL)") { $0.text(0) } ?? "stock_changes_public"
            try runScript("LISTEN \"\(channel.replacingOccurrences(of: "\"", with: "\"\""))\"")
            watch.listening = true
            watch.lastMark = try Self.eventMark(in: database)
            watch.lastPoll = monotonicNow()
            return false
        }
        try runScript("")
        let senders = try takeNotifications()
        let own = backendProcessID
        let announced = senders.contains { $0 != own }
        let now = monotonicNow()
        guard !senders.isEmpty || now - watch.lastPoll >= ServerWatch.pollSeconds else { return false }
        watch.lastPoll = now
        let mark = try Self.eventMark(in: database)
        defer { watch.lastMark = mark }
        return announced || (senders.isEmpty && mark != watch.lastMark)
    }

    /// On a standby, which refuses `LISTEN` and gets no `NOTIFY`: whether it replayed anything of its primary's
    /// since the last call (`pg_last_wal_replay_lsn()`), asked at every call. Every commit on the primary moves
    /// it, so none is missed, whatever order the transactions committed in; other work of the primary (vacuum,
    /// checkpoints) moves it too, which costs a needless re-read.
    private func replayMoved(in database: Database) throws -> Bool {
        let mark = try database.queryOne("SELECT pg_last_wal_replay_lsn()::text") { $0.text(0) }
        defer { watch.lastReplay = .some(mark) }
        guard let last = watch.lastReplay else { return false }
        return mark != last
    }

    /// How far behind the primary this standby is (``ReplicaStatus``); nil on a primary.
    ///
    /// While it has received changes it has not replayed, its lag is the time since the last change it replayed
    /// was made, but no longer than this connection has seen it behind: after an idle spell on the primary, the
    /// last change replayed is old while the first one waiting is new.
    func replicaStatus(in database: Database) throws -> ReplicaStatus? {
        guard saysStandby else { return nil }
        let read = try database.queryOne(
            """
            SELECT pg_is_in_recovery(),
                   coalesce((SELECT status FROM pg_stat_wal_receiver), '') = 'streaming',
                   pg_last_wal_receive_lsn() IS NOT NULL,
                   coalesce(pg_last_wal_replay_lsn() < pg_last_wal_receive_lsn(), false),
                   coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)::text
            """
        ) { row in
            (
                recovering: row.text(0) == "t", streaming: row.text(1) == "t", receives: row.text(2) == "t",
                behind: row.text(3) == "t", sinceReplay: Double(row.text(4)) ?? 0
            )
        }
        guard let read, read.recovering else { return nil }
        let now = monotonicNow()
        watch.behindSince = read.behind ? watch.behindSince ?? now : nil
        let lag = watch.behindSince.map { min(read.sinceReplay, now - $0) } ?? 0
        return ReplicaStatus(streaming: read.streaming, lagSeconds: read.receives ? max(0, lag) : nil)
    }

    var placement: String? { hostAndPort }

    func takeCommitWarning() -> String? {
        defer { warnedCommit = nil }
        return warnedCommit
    }

    /// The event log's newest id: every command that changes anything records an event.
    private static func eventMark(in database: Database) throws -> String? {
        try database.queryOne("SELECT coalesce(max(id), 0) FROM events") { String($0.int64(0)) }
    }

    /// Disables the trigger inside a savepoint; when this session does not own the table, the failed attempt is
    /// rolled back to the savepoint, leaving the transaction usable, and the answer is nil.
    func withTriggerPaused<T>(_ trigger: String, on table: String, in database: Database, _ body: () throws -> T)
        throws -> T?
    {
        do {
            try runScript("SAVEPOINT pause_trigger; ALTER TABLE \(table) DISABLE TRIGGER \(trigger)")
        } catch {
            try runScript("ROLLBACK TO pause_trigger")
            return nil
        }
        let result = try body()
        try runScript("ALTER TABLE \(table) ENABLE TRIGGER \(trigger); RELEASE pause_trigger")
        return result
    }

    func moveIdentityPastLargestID(of table: String, in database: Database) throws {
        _ = try database.queryOne(
            """
            SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false)
            FROM \(table)
            """
        ) { $0.int64(0) }
    }

    func schemaVersion(of database: Database) throws -> Int {
        try PostgresSchema.version(of: database)
    }

    func migrate(_ database: Database) throws {
        try PostgresSchema.migrate(database)
    }
}

/// What ``Database/changedSinceLastCheck()`` keeps on a server connection.
struct ServerWatch {
    /// Whether the connection has run `LISTEN` on the database's channel.
    var listening = false
    /// When the fallback poll last read the event log's high-water mark, and what it read.
    var lastPoll = 0.0
    var lastMark: String?
    /// On a standby: the replay position the last call read (itself nil when the server had none); nil before the
    /// first call.
    var lastReplay: String??
    /// On a standby: since when (monotonic seconds) it has been seen behind what it received; nil when it was not.
    var behindSince: Double?
    /// How often the fallback poll runs, in case a notification was missed.
    static let pollSeconds = 2.0
}

extension Database {
    /// `sql` with its `?` placeholders numbered `$1`, `$2` … for a server, and how many parameters it takes; a
    /// numbered `?NNN` (SQLite's spelling) becomes `$NNN`, and a plain `?` after it takes the next number, as in
    /// SQLite. Quoted text, quoted names and comments are left as they are.
    static func numberingPlaceholders(_ sql: String) -> (sql: String, parameters: Int) {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var parameters = 0
        var quote: Character?
        var inComment = false
        /// The digits after the `?` being read, nil outside a placeholder.
        var placeholder: String?
        func endPlaceholder(_ digits: String) {
            let number = Int(digits) ?? parameters + 1
            parameters = max(parameters, number)
            result += "$\(number)"
        }
        for character in sql {
            if let digits = placeholder {
                if character.isASCII, character.isNumber {
                    placeholder = digits + String(character)
                    continue
                }
                endPlaceholder(digits)
                placeholder = nil
            }
            if inComment {
                if character == "\n" { inComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-", result.last == "-" {
                inComment = true
            } else if character == "?" {
                placeholder = ""
                continue
            }
            result.append(character)
        }
        if let digits = placeholder { endPlaceholder(digits) }
        return (result, parameters)
    }

    /// The channel a server's commits are announced on, as a SQL expression: one per schema, so several stock
    /// databases in one PostgreSQL database do not wake each other. The schema's trigger on `events` sends on the
    /// channel this expression names, and listeners listen on it.
    ///
    /// `stock_changes_` and the schema's name, unless that passes PostgreSQL's 63-byte limit on a channel's name
    /// (a schema of 50 bytes or more): then `stock_changes_` and the MD5 of the schema's name, which fits and
    /// still differs between schemas that share a long prefix.
    static let changesChannelSQL = """
        CASE WHEN octet_length('stock_changes_' || current_schema()) <= 63
        THEN 'stock_changes_' || current_schema() ELSE 'stock_changes_' || md5(current_schema()) END
        """
}
