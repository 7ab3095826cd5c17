extension Database {
    /// Freezes what this connection reads: until ``endReadSnapshot()``, every query sees the database as it was
    /// when the snapshot began, whatever other processes commit meanwhile.
    ///
    /// It is a read transaction (`BEGIN` and a first read), which WAL mode keeps consistent for as long as it is
    /// open (on a server, a `REPEATABLE READ READ ONLY` transaction, whose snapshot is taken at that first read);
    /// while it is open, other writers still commit but the WAL cannot be checkpointed past it.
    /// See https://sqlite.org/isolation.html.
    ///
    /// - Throws: `DatabaseError` when a transaction is already open.
    public func beginReadSnapshot() throws {
        guard !isInTransaction, !isInReadSnapshot else {
            throw DatabaseError.misuse("a transaction or snapshot is already open")
        }
        let snapshot = connection.readSnapshotSQL
        try execute(snapshot.begin)
        do {
            _ = try queryOne(snapshot.firstRead) { $0.int(0) }
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        isInReadSnapshot = true
    }

    /// Ends the snapshot started by ``beginReadSnapshot()``; later reads see the latest commits again.
    public func endReadSnapshot() throws {
        guard isInReadSnapshot else { return }
        isInReadSnapshot = false
        try execute("COMMIT")
    }
}
