import Foundation

extension Database {
    /// Opens the stock database the settings name, the one way every program opens it: the settings give the
    /// path (``Settings/databasePath``), the busy timeout and the `synchronous` level.
    ///
    /// - `.create` is `stock init`: makes the folder and the file when missing, then migrates it to the current
    ///   schema (``Schema/migrate(_:)``), refusing a file that holds another program's tables.
    /// - `.readWrite` and `.readOnly` open an existing file holding the current schema and change nothing in it;
    ///   only `.create` makes a file or changes its schema.
    ///
    /// - Throws: `DatabaseError`: ``DatabaseError/noDatabase(at:)`` for a missing file, or one naming `stock init`
    ///   when the file is not a stock database or has an older schema.
    public static func open(settings: Settings, access: Access) throws -> Database {
        let path = settings.databasePath
        if access == .create {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw DatabaseError.noDatabase(at: path)
        }
        let database = try Database(
            path: path, access: access, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        if access == .create {
            try Schema.migrate(database)
        } else {
            try Schema.requireCurrent(database)
        }
        return database
    }
}
