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
        groupTurn = try begin()
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
        finishCommit(groupTurn)
        groupTurn = nil
    }

    /// Rolls the group's transaction back whole, drops its ``afterCommit(_:)`` actions and gives the turn back; does
    /// nothing outside a group.
    public func rollbackGroup() {
        guard isGrouped else { return }
        isGrouped = false
        rollBack()
        groupTurn?.endTurn()
        groupTurn = nil
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
            if connection.isInTransaction,
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

    /// Checks that no transaction or read snapshot is open and begins one (``Connection/beginWrite(in:)``);
    /// returns the turn to give back, if the engine's writers take turns.
    private func begin() throws -> (any WriterTurn)? {
        guard transactionDepth == 0 else {
            throw DatabaseError.misuse("nested transactions are not supported")
        }
        guard !isInReadSnapshot else {
            throw DatabaseError.misuse("cannot write while a read snapshot is open")
        }
        let turn = try connection.beginWrite(in: self)
        transactionDepth = 1
        afterCommitActions.removeAll()
        return turn
    }

    /// Ends the open transaction with ROLLBACK when the engine still has one, dropping its actions.
    private func rollBack() {
        transactionDepth = 0
        afterCommitActions.removeAll()
        // What was not sent yet needs no undoing: with its `BEGIN` unsent, the engine has no transaction at all.
        connection.discardUnsent()
        if connection.isInTransaction {
            try? execute("ROLLBACK")
        }
    }

    /// After COMMIT: gives the turn back, then runs the actions registered meanwhile.
    private func finishCommit(_ turn: (any WriterTurn)?) {
        transactionDepth = 0
        turn?.endTurn()
        let actions = afterCommitActions
        afterCommitActions.removeAll()
        for action in actions { action() }
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
    /// Sends `sql` (no parameters, no rows) with the next statement where the engine can (saving a round trip:
    /// its answer tells nothing the caller needs before then, and an error it meets is thrown by that next
    /// statement), or runs it now.
    func executeWithNext(_ sql: SQL) throws {
        if !connection.sendWithNext(try statement(sql)) { try execute(sql) }
    }
}
