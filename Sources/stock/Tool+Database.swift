import Allocation

extension Tool {
    /// Opens the settings' database: `.create` (only `stock init` and `stock demo`) makes the file or brings its
    /// schema up to date; the other kinds of access open an existing, current stock database and change nothing.
    ///
    /// - Throws: `DatabaseError` naming `stock init` when the file is missing, is not a stock database or has an
    ///   older schema.
    func openDatabase(access: Database.Access = .readWrite) throws -> Database {
        try Database.open(settings: settings, access: access)
    }

    /// The production bus, logging to standard error; call ``MessageBus/finishNotifications()`` before exiting,
    /// so its notifications are delivered.
    func makeBus(_ database: Database) -> MessageBus {
        MessageBus.standard(database: database, settings: settings) { printError($0) }
    }
}
