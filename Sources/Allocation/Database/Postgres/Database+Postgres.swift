extension Database {
    /// Connects to a PostgreSQL server (``PostgresConnection``) and sets the session up: the lock timeout is
    /// the busy timeout, `synchronous` `normal` (or `off`) turns `synchronous_commit` off, and a `.readOnly`
    /// session is read-only on the server itself (`SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`). A
    /// statement that hears nothing from the server for the busy timeout plus `serverTimeoutMilliseconds` gives
    /// the connection up (``PostgresConnection/answerTimeout``).
    ///
    /// - Throws: `DatabaseError` when the server cannot be reached or refuses the login; `SettingsError` for a
    ///   URL that cannot be read.
    convenience init(
        server address: ServerAddress, access: Access, busyTimeoutMilliseconds: Int, synchronous: Synchronous,
        serverTimeoutMilliseconds: Int = Settings().serverTimeoutMilliseconds
    ) throws {
        let connection = try PostgresConnection(
            address: address, timeoutSeconds: max(2, (busyTimeoutMilliseconds + 999) / 1000),
            answerTimeoutMilliseconds: busyTimeoutMilliseconds + serverTimeoutMilliseconds)
        self.init(
            connection: connection, path: address.shown, access: access,
            busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        var session = [
            "SET lock_timeout = \(busyTimeoutMilliseconds)",
            "SET synchronous_commit = \(synchronous == .normal || synchronous == .off ? "off" : "on")",
            "SET client_encoding = 'UTF8'",
        ]
        if access == .readOnly {
            session.append("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            connection.sessionReadsOnly = true
        }
        try connection.runScript(session.joined(separator: "; "))
    }

    /// A connection to the PostgreSQL database `serverURL` names, whatever its schema holds: for administration
    /// (creating schemas, copying), where ``open(settings:access:)`` would require stock's schema.
    ///
    /// - Throws: `DatabaseError` when the server cannot be reached or refuses the login.
    public convenience init(serverURL: String, access: Access = .readWrite, busyTimeoutMilliseconds: Int = 5000)
        throws
    {
        try self.init(
            server: ServerAddress(url: serverURL), access: access, busyTimeoutMilliseconds: busyTimeoutMilliseconds,
            synchronous: .full)
    }
}
