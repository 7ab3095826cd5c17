import Foundation

/// What copying a whole database (``DatabaseCopy``) asks of the engine, so the copy need not branch on it.
extension Database {
    /// Whether the settings name a file that does not exist; a server's database is never missing here (opening
    /// it says whether it is there).
    static func isMissingFile(settings: Settings) -> Bool {
        !settings.databaseIsServer && !FileManager.default.fileExists(atPath: settings.databasePath)
    }

    /// A read-only connection to whatever the settings name, its schema unchecked: a server's database, or an
    /// existing file; nil for a missing file or a folder.
    ///
    /// - Throws: `DatabaseError` when it cannot be opened.
    static func openIfPresent(settings: Settings) throws -> Database? {
        let path = settings.databasePath
        if settings.databaseIsServer {
            return try Database(
                serverURL: path, access: .readOnly, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            return nil
        }
        return try Database(path: path, access: .readOnly, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
    }

    /// Runs `body` inside the open transaction with `trigger` on `table` disabled, and enables it again after;
    /// nil, without running `body`, where the trigger cannot be paused: on SQLite, or on a server whose session
    /// does not own the table (the failed attempt is rolled back to a savepoint, leaving the transaction usable).
    func withTriggerPaused<T>(_ trigger: String, on table: String, _ body: () throws -> T) throws -> T? {
        guard let server else { return nil }
        do {
            try server.runScript("SAVEPOINT pause_trigger; ALTER TABLE \(table) DISABLE TRIGGER \(trigger)")
        } catch {
            try server.runScript("ROLLBACK TO pause_trigger")
            return nil
        }
        let result = try body()
        try server.runScript("ALTER TABLE \(table) ENABLE TRIGGER \(trigger); RELEASE pause_trigger")
        return result
    }

    /// Sets the sequence of `table`'s identity column `id` past its largest id, so the next insert does not
    /// collide with a row written with its id; nothing on SQLite, whose next rowid always follows the largest.
    func moveIdentityPastLargestID(of table: String) throws {
        guard engine == .postgresql else { return }
        _ = try queryOne(
            """
            SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 0) + 1, false)
            FROM \(table)
            """
        ) { $0.int64(0) }
    }
}

extension Database.Engine {
    /// `column` as an `ORDER BY` or comparison term that orders text by its bytes: SQLite's default BINARY
    /// collation does; a server's column needs the "C" collation named.
    func byteOrdered(_ column: String) -> String {
        self == .postgresql ? "\(column) COLLATE \"C\"" : column
    }
}
