import CSQLite

extension Database {
    /// Runs `body` in one write transaction: `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any throw.
    ///
    /// The transaction is the unit of work. A writer first takes its turn (``WriterQueue``), then `BEGIN IMMEDIATE`
    /// takes the write lock up front, so two writers queue instead of failing later with `SQLITE_BUSY_SNAPSHOT`;
    /// the turn is given back after COMMIT or ROLLBACK, before any ``afterCommit(_:)`` action. Nesting is refused.
    /// If the rollback itself fails, the error from `body` is still the one thrown. Actions registered with
    /// ``afterCommit(_:)`` run after `COMMIT` succeeds, and are dropped on rollback.
    ///
    /// - Throws: what `body` throws, or `DatabaseError` from BEGIN or COMMIT.
    public func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        guard transactionDepth == 0 else {
            throw DatabaseError.misuse("nested transactions are not supported")
        }
        guard !isInReadSnapshot else {
            throw DatabaseError.misuse("cannot write while a read snapshot is open")
        }
        let waitStarted = monotonicNow()
        busyWaiter.waitStarted = waitStarted
        defer { busyWaiter.waitStarted = nil }
        let turn = try takeWriterTurn(waitStarted: waitStarted)
        defer { turn?.endTurn() }
        try beginImmediate(waitStarted: waitStarted)
        busyWaiter.waitStarted = nil
        LockWaitLog.record(seconds: monotonicNow() - waitStarted)
        transactionDepth = 1
        afterCommitActions.removeAll()
        let result: T
        do {
            result = try body(self)
            try execute("COMMIT")
        } catch {
            transactionDepth = 0
            afterCommitActions.removeAll()
            if sqlite3_get_autocommit(handle) == 0 {
                try? execute("ROLLBACK")
            }
            throw error
        }
        transactionDepth = 0
        turn?.endTurn()
        let actions = afterCommitActions
        afterCommitActions.removeAll()
        for action in actions { action() }
        return result
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

    /// Whether a transaction opened by ``transaction(_:)`` is running.
    public var isInTransaction: Bool { transactionDepth > 0 }
}
