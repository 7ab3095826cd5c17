import Allocation
import Foundation

extension Tool {
    /// Opens an existing stock database; only `init` creates a file or changes its schema.
    ///
    /// - Throws: `DatabaseError` naming `stock init` when the file is missing, is not a stock database or has an
    ///   older schema.
    func openDatabase(access: Database.Access = .readWrite) throws -> Database {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw DatabaseError.noDatabase(at: databasePath)
        }
        let database = try Database(
            path: databasePath, access: access, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        try Schema.requireCurrent(database)
        return database
    }

    func createDatabase(at path: String) throws -> Database {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try Database(
            path: path, access: .create, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        try Schema.migrate(database)
        return database
    }

    func makeBus(_ database: Database) -> MessageBus {
        MessageBus.standard(database: database, settings: settings) { printError($0) }
    }
}
