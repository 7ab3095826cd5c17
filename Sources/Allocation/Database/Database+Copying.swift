import Foundation

/// What copying a whole database (``DatabaseCopy``) asks of the engine, so the copy need not branch on it.
extension Database {
    /// Whether the settings name a file that does not exist; a server's database is never missing here (opening
    /// it says whether it is there).
    static func isMissingFile(settings: Settings) -> Bool {
        settings.databaseLocation.filePath.map { !FileManager.default.fileExists(atPath: $0) } ?? false
    }

    /// A read-only connection to whatever the settings name, its schema unchecked: a server's database, or an
    /// existing file; nil for a missing file or a folder.
    ///
    /// - Throws: `DatabaseError` when it cannot be opened.
    static func openIfPresent(settings: Settings) throws -> Database? {
        guard let path = settings.databaseLocation.filePath else {
            return try Database(
                serverURL: settings.databasePath, access: .readOnly,
                busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            return nil
        }
        return try Database(path: path, access: .readOnly, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds)
    }

    /// Runs `body` inside the open transaction with `trigger` on `table` disabled, and enables it again after;
    /// nil, without running `body`, where the trigger cannot be paused.
    func withTriggerPaused<T>(_ trigger: String, on table: String, _ body: () throws -> T) throws -> T? {
        try connection.withTriggerPaused(trigger, on: table, in: self, body)
    }

    /// Sets the sequence of `table`'s identity column `id` past its largest id, so the next insert does not
    /// collide with a row written with its id; nothing where the next id always follows the largest.
    func moveIdentityPastLargestID(of table: String) throws {
        try connection.moveIdentityPastLargestID(of: table, in: self)
    }
}
