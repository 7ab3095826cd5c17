import CSQLite

extension Database {
    /// Runs `body` in one write transaction: `BEGIN IMMEDIATE` … `COMMIT`, rolled back on any throw.
    ///
    /// The transaction is the unit of work. `BEGIN IMMEDIATE` takes the write lock up front, so two writers
    /// queue on the busy timeout instead of failing later with `SQLITE_BUSY_SNAPSHOT`. Nesting is refused.
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
        try execute("BEGIN IMMEDIATE")
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
        let actions = afterCommitActions
        afterCommitActions.removeAll()
        for action in actions { action() }
        return result
    }

    /// Registers work to run once the current transaction commits (never if it rolls back).
    public func afterCommit(_ action: @escaping () -> Void) {
        precondition(transactionDepth > 0, "afterCommit outside a transaction")
        afterCommitActions.append(action)
    }

    /// Whether a transaction opened by ``transaction(_:)`` is running.
    public var isInTransaction: Bool { transactionDepth > 0 }
}
