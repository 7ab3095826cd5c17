extension Database {
    /// Opens (or creates) the file and turns on foreign keys and the busy handler; ``Schema/migrate(_:)`` puts a
    /// stock database in WAL mode, so opening someone else's file by mistake changes nothing in it.
    ///
    /// This opens any SQLite file and checks nothing of its schema; a stock database is opened with
    /// ``open(settings:access:)``.
    ///
    /// - Throws: `DatabaseError` when the file cannot be opened or is not a database.
    public convenience init(
        path: String, access: Access = .readWrite, busyTimeoutMilliseconds: Int = 5000,
        synchronous: Synchronous = .full
    ) throws {
        let connection = try SQLiteConnection(
            path: path, access: access, busyTimeoutMilliseconds: busyTimeoutMilliseconds, synchronous: synchronous)
        self.init(connection: connection, path: path, access: access, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
    }
}
