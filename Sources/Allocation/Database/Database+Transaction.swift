import CSQLite

extension Database {
    /// Runs `body` in one write transaction: `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any throw; inside a group
    /// (``beginGroup()``), in one savepoint of the group's transaction instead (``savepoint(_:)``).
    ///
    /// The transaction is the unit of work. A writer first takes its turn (``WriterQueue``), then `BEGIN IMMEDIATE`
    /// takes the write lock up front, so two writers queue instead of failing later with `SQLITE_BUSY_SNAPSHOT`;
    /// the turn is given back after COMMIT or ROLLBACK, before any ``afterCommit(_:)`` action. Nesting is refused.
    /// If the rollback itself fails, the error from `body` is still the one thrown. Actions registered with
    /// ``afterCommit(_:)`` run after `COMMIT` succeeds, and are dropped on rollback.
    ///
    /// - Throws: what `body` throws, or `DatabaseError` from BEGIN or COMMIT.
    public func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        if isGrouped { return try savepoint(body) }
        let turn = try begin()
        defer { turn?.endTurn() }
        let result: T
        do {
            result = try body(self)
            try execute(Database.commitSQL)
        } catch {
            rollBack()
            throw error
        }
        finishCommit(turn)
        return result
    }

    /// Opens a group: takes the writer's turn and runs `BEGIN IMMEDIATE`, and until ``commitGroup()`` or
    /// ``rollbackGroup()`` every ``transaction(_:)`` is a savepoint of this one transaction.
    ///
    /// The caller commits often (stock's ``CommandGroup`` does every few milliseconds), since other writers wait
    /// for the turn meanwhile.
    ///
    /// - Throws: `DatabaseError` (busy) or ``WaitAbandoned`` as ``transaction(_:)`` does; `DatabaseError` (misuse)
    ///   when a transaction is already open.
    public func beginGroup() throws {
        _ = try begin()
        isGrouped = true
    }

    /// Commits the group's transaction, gives the turn back, then runs the ``afterCommit(_:)`` actions of its
    /// savepoints, in the order they were registered.
    ///
    /// - Throws: `DatabaseError` from COMMIT, after which the group is rolled back whole and nothing is run.
    public func commitGroup() throws {
        precondition(isGrouped, "commitGroup outside a group")
        do {
            try execute(Database.commitSQL)
        } catch {
            rollbackGroup()
            throw error
        }
        isGrouped = false
        finishCommit(writerQueue)
    }

    /// Rolls the group's transaction back whole, drops its ``afterCommit(_:)`` actions and gives the turn back; does
    /// nothing outside a group.
    public func rollbackGroup() {
        guard isGrouped else { return }
        isGrouped = false
        rollBack()
        writerQueue?.endTurn()
    }

    /// Runs `body` between `SAVEPOINT command` and `RELEASE command`; on a throw `ROLLBACK TO command` undoes its
    /// changes and drops the ``afterCommit(_:)`` actions it registered, so the group goes on as if it never ran.
    ///
    /// SQLite rolls a whole transaction back by itself on some errors (a full disk, an I/O error): then the group
    /// is over, ``isGrouped`` is false, the turn is given back and the error is thrown.
    private func savepoint<T>(_ body: (Database) throws -> T) throws -> T {
        guard transactionDepth == 1 else { throw DatabaseError.misuse("nested transactions are not supported") }
        let registered = afterCommitActions.count
        try executeWithNext(Database.savepointSQL)
        transactionDepth = 2
        defer { transactionDepth = isGrouped ? 1 : 0 }
        do {
            let result = try body(self)
            try executeWithNext(Database.releaseSQL)
            return result
        } catch {
            afterCommitActions.removeSubrange(registered...)
            if engineInTransaction,
                (try? execute("ROLLBACK TO command")) != nil, (try? execute(Database.releaseSQL)) != nil
            {
                throw error
            }
            rollbackGroup()
            throw error
        }
    }

    private static let commitSQL = SQL("COMMIT")
    private static let savepointSQL = SQL("SAVEPOINT command")
    private static let releaseSQL = SQL("RELEASE command")

    /// Checks that no transaction or read snapshot is open and begins one: on SQLite, takes the writer's turn and
    /// runs `BEGIN IMMEDIATE`; on a server, its `BEGIN` goes out with the transaction's first statement. Returns
    /// the queue to give the turn back to (nil on a server).
    private func begin() throws -> WriterQueue? {
        guard transactionDepth == 0 else {
            throw DatabaseError.misuse("nested transactions are not supported")
        }
        guard !isInReadSnapshot else {
            throw DatabaseError.misuse("cannot write while a read snapshot is open")
        }
        let turn: WriterQueue?
        if let server {
            try server.sendWithNext(statement(beginWriteSQL))
            turn = nil
        } else {
            turn = try beginImmediately()
        }
        transactionDepth = 1
        afterCommitActions.removeAll()
        return turn
    }

    /// SQLite's beginning: takes the writer's turn, then `BEGIN IMMEDIATE`; returns the queue to give the turn
    /// back to.
    private func beginImmediately() throws -> WriterQueue? {
        let waitStarted = monotonicNow()
        busyWaiter.waitStarted = waitStarted
        defer { busyWaiter.waitStarted = nil }
        let turn = try takeWriterTurn(waitStarted: waitStarted)
        do {
            try beginImmediate(waitStarted: waitStarted)
        } catch {
            turn?.endTurn()
            throw error
        }
        LockWaitLog.record(seconds: monotonicNow() - waitStarted)
        return turn
    }

    /// Ends the open transaction with ROLLBACK when the engine still has one, dropping its actions.
    private func rollBack() {
        transactionDepth = 0
        afterCommitActions.removeAll()
        // What a server was not sent yet needs no undoing: with its `BEGIN` unsent, it has no transaction at all.
        server?.pending = []
        if engineInTransaction {
            try? execute("ROLLBACK")
        }
    }

    /// After COMMIT: gives the turn back, then runs the actions registered meanwhile.
    private func finishCommit(_ turn: WriterQueue?) {
        transactionDepth = 0
        turn?.endTurn()
        let actions = afterCommitActions
        afterCommitActions.removeAll()
        for action in actions { action() }
    }

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

    /// Registers work to run once the current transaction commits (never if it rolls back).
    public func afterCommit(_ action: @escaping () -> Void) {
        precondition(transactionDepth > 0, "afterCommit outside a transaction")
        afterCommitActions.append(action)
    }

    /// Whether a transaction opened by ``transaction(_:)`` or ``beginGroup()`` is running.
    public var isInTransaction: Bool { transactionDepth > 0 }
}

extension Database {
    /// Runs `sql` (no parameters, no rows) now on SQLite; on a server, sends it with the next statement
    /// (``PostgresConnection/pending``), saving a round trip: its answer tells nothing the caller needs before
    /// then, and an error it meets is thrown by that next statement.
    func executeWithNext(_ sql: SQL) throws {
        guard let server else { return try execute(sql) }
        try server.sendWithNext(statement(sql))
    }
}
