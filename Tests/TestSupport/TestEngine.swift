import Allocation
import Foundation
import Testing

/// The engine the suite runs on: SQLite files by default, or fresh schemas on the PostgreSQL server that
/// `STOCK_TEST_POSTGRES` names (a database the tests may create schemas in, in any form `--db` takes: a
/// `postgresql://` URL or libpq's keyword/value string; ``TestServer`` reads its host, port and database).
///
/// The same tests run on either engine: every database a test makes comes from ``freshDatabaseLocation(in:)``.
/// `.ci/run` runs the suite once per engine.
public enum TestEngine {
    /// The test server's URL, nil when the suite runs on SQLite.
    public static let serverURL: String? = {
        let url = ProcessInfo.processInfo.environment["STOCK_TEST_POSTGRES"] ?? ""
        return url.isEmpty ? nil : url
    }()

    public static var isPostgres: Bool { serverURL != nil }

    /// The engine's name, for messages.
    public static var name: String { isPostgres ? "PostgreSQL" : "SQLite" }

    /// A connection to the test server's database itself, for creating and dropping schemas.
    static func administration() throws -> Database {
        guard let serverURL else { preconditionFailure("no test server") }
        return try Database(serverURL: serverURL)
    }
}

/// Where a test's database lives: a file in a temporary folder, or a schema of its own on the test server,
/// dropped with everything in it when the object goes away.
public final class TestDatabaseLocation: Sendable {
    /// The file's path, or the server URL that selects the schema (`options=-csearch_path=…`).
    public let path: String
    private let schema: String?

    /// A new location in `folder`, named `name` when it is a file.
    public init(in folder: TemporaryFolder, name: String = "stock.sqlite") throws {
        guard let serverURL = TestEngine.serverURL else {
            path = folder.appendingPathComponent(name).path
            schema = nil
            return
        }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try TestEngine.administration().execute("CREATE SCHEMA \(schema)")
        self.schema = schema
        let url = addingServerParameter("options", "-csearch_path=\(schema)", to: serverURL)
        // stock's messages name a server as ServerAddress.shown rebuilds it, its parameters in libpq's order: a
        // test URL whose parameters come in another order (target_session_attrs before the options added here)
        // is used in that form, so that what tests expect of messages matches. A URL with a password keeps its
        // own form, since the rebuilt one hides the password.
        let shown = ServerAddress(url: url).shown
        path = shown.contains(":***@") ? url : shown
    }

    deinit {
        if let schema { try? TestEngine.administration().execute("DROP SCHEMA \(schema) CASCADE") }
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test of what only SQLite has (its file, its write lock, its side files): skipped on a server.
    public static var sqliteOnly: Self {
        .enabled(if: !TestEngine.isPostgres, "checks what only a SQLite file has")
    }

    /// For a test of what only a PostgreSQL server has: skipped unless the suite runs on one.
    public static var postgresOnly: Self {
        .enabled(if: TestEngine.isPostgres, "needs the PostgreSQL test server (STOCK_TEST_POSTGRES)")
    }
}
