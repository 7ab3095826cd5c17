import Allocation
import Foundation
import TestSupport

/// A temporary database driven only through the real `stock` binary, with the test settings.
final class CommandLineFixture {
    let folder: TemporaryFolder
    let location: TestDatabaseLocation
    var path: String { location.path }
    let notificationsPath: String

    init(initialize: Bool = true) throws {
        folder = try TemporaryFolder()
        location = try TestDatabaseLocation(in: folder)
        notificationsPath = folder.appendingPathComponent("notifications.log").path
        if initialize {
            let result = try stock("init")
            guard result.status == 0 else { throw FixtureError(message: "stock init failed: \(result.stderr)") }
        }
    }

    var environment: [String: String] {
        [
            "STOCK_SETTINGS": repositoryRoot + "/assets/settings/test.json",
            "STOCK_NOTIFIER": "file:" + notificationsPath,
            // Times are shown in the local zone: the expected text is written for UTC.
            "TZ": "UTC",
        ]
    }

    /// Runs `stock --db <this database> ARGUMENTS`.
    @discardableResult
    func stock(_ arguments: String..., input: String? = nil) throws -> ProcessResult {
        try stock(arguments, input: input)
    }

    /// Runs `stock --db <this database> ARGUMENTS`, the arguments in an array.
    @discardableResult
    func stock(_ arguments: [String], input: String? = nil) throws -> ProcessResult {
        try StockProcess.run(["--db", path] + arguments, input: input, environment: environment)
    }

    func start(_ arguments: String...) throws -> RunningProcess {
        try StockProcess.start(["--db", path] + arguments, environment: environment)
    }

    /// Every row of every table, read through a read-only connection.
    func contents() throws -> [String: [String]] {
        var settings = try testSettings(database: path)
        settings.busyTimeoutMilliseconds = 5000
        return try TestDatabase.contents(of: try Database.open(settings: settings, access: .readOnly))
    }

    func decodeJSON(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A connection to the database at `path` that checks nothing of its schema, as another program's would be: a
/// SQLite file, or the test server's schema when `path` is a server URL (``TestDatabaseLocation``).
func rawConnection(to path: String, access: Database.Access = .readWrite) throws -> Database {
    ServerAddress.isServer(path)
        ? try Database(serverURL: path, access: access) : try Database(path: path, access: access)
}
