import Foundation
import Glibc
import TestSupport
import Testing

@testable import Allocation

/// What a server does under faults that a file cannot have: a password that must never be shown whatever it
/// holds, a backend that stops answering, a COMMIT whose answer is lost, a schema whose name is long.
@Suite(.postgresOnly) struct ServerFaultTests {
    /// The password of ``PasswordRole``, with a `?`, a `%` and a `/` in it, and the same percent-encoded.
    static let password = "sekr?QQq%ZZz/WWw"
    static let encoded = "sekr%3FQQq%25ZZz%2FWWw"
    /// Pieces of the password: none may appear in any output, raw or encoded.
    static let pieces = ["sekr", "QQq", "ZZz", "WWw"]

    /// Whether `text` shows any piece of the password.
    static func showsPassword(_ text: String) -> Bool {
        pieces.contains { text.contains($0) }
    }

    /// The test server's log: `server.log` in the socket folder `STOCK_TEST_POSTGRES` names (as `.ci/postgres.sh`
    /// keeps it); empty for a server reached otherwise.
    static var serverLog: String {
        guard let folder = TestServer.current?.host, folder.hasPrefix("/") else { return "" }
        return (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
    }

    /// The host the password tests log in at over TCP.
    static var host: String { TestServer.current?.tcpHost ?? "127.0.0.1" }

    /// The test server's own database, for creating roles and schemas.
    static func administration() throws -> Database {
        try Database(serverURL: try #require(TestEngine.serverURL))
    }

    /// A login role whose password is ``password``, owning a schema of its own; both dropped afterwards.
    final class PasswordRole {
        let name = "stock_pw_" + UUID().uuidString.prefix(8).lowercased()
        var schema: String { name + "_s" }

        init() throws {
            let admin = try ServerFaultTests.administration()
            try admin.execute("CREATE ROLE \(name) LOGIN PASSWORD '\(ServerFaultTests.password)'")
            try admin.execute("CREATE SCHEMA \(schema) AUTHORIZATION \(name)")
        }

        deinit {
            let admin = try? ServerFaultTests.administration()
            try? admin?.execute("DROP SCHEMA \(schema) CASCADE")
            try? admin?.execute("DROP ROLE \(name)")
        }

        /// The URL logging in over TCP as this role with `password` as written in the URL.
        func url(password: String, scheme: String = "postgresql") -> String {
            let server = TestServer.current
            return "\(scheme)://\(name):\(password)@\(ServerFaultTests.host):\(server?.port ?? "5432")/"
                + "\(server?.database ?? "postgres")?options=-csearch_path%3D\(schema)"
        }
    }

    static func stock(_ url: String, _ arguments: String..., debug: Bool = false) throws -> ProcessResult {
        var environment = ["STOCK_SETTINGS": repositoryRoot + "/assets/settings/test.json", "TZ": "UTC"]
        if debug { environment["STOCK_DEBUG"] = "1" }
        return try StockProcess.run(["--db", url] + arguments, environment: environment)
    }

    /// A password with `?`, `%` and `/` in it, percent-encoded, or with its `?` raw, works and never shows: not in
    /// `init`'s, a listing's or `copy`'s words, nor with `STOCK_DEBUG`; an upper-case scheme is read as a URL,
    /// so the password does not reach the server as a database name (nor its log).
    @Test(.reachableOverTCP) func aPasswordWithSpecialCharactersWorksAndIsNeverShown() throws {
        let role = try PasswordRole()
        let url = role.url(password: Self.encoded)
        let uninitialized = try Self.stock(url, "batches", debug: true)
        #expect(uninitialized.status == 3, "\(uninitialized.stderr)")
        #expect(!uninitialized.stderr.contains("SQLite"), "\(uninitialized.stderr)")
        #expect(uninitialized.stderr.contains("found by stock's own check"), "\(uninitialized.stderr)")

        let initialized = try Self.stock(url, "init")
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stderr.contains("database ready at postgresql://\(role.name):***@\(Self.host):"))
        let folder = try TemporaryFolder()
        let copy = folder.appendingPathComponent("copy.sqlite").path
        let runs = [
            initialized,
            try Self.stock(url, "add-batch", "b1", "LAMP", "10"),
            try Self.stock(role.url(password: "sekr?QQq%25ZZz%2FWWw"), "batches"),
            try Self.stock(role.url(password: Self.encoded, scheme: "POSTGRESQL"), "allocate", "o1", "LAMP", "2"),
            try Self.stock(role.url(password: Self.encoded, scheme: "Postgres"), "batches", debug: true),
            try Self.stock(url, "copy", "--to", copy),
        ]
        for run in runs {
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!Self.showsPassword(run.stdout + run.stderr), "\(run.stdout)\(run.stderr)")
        }
        #expect(runs[2].stdout.contains("b1"))
        #expect(runs[5].stdout.contains("from postgresql://\(role.name):***@\(Self.host):"), "\(runs[5].stdout)")
        #expect(!Self.showsPassword(Self.serverLog))
    }

    /// libpq's keyword/value string names the server in `--db` and in `STOCK_DB` as a URL does: no file of that
    /// name is made in the working folder, and the password in it (quoted, with its `?`, `%` and `/` raw) never
    /// shows.
    @Test(.reachableOverTCP) func aKeywordValueStringNamesTheServerAndItsPasswordIsNeverShown() throws {
        let role = try PasswordRole()
        let folder = try TemporaryFolder()
        let conninfo =
            "host=\(Self.host) port=\(TestServer.current?.port ?? "5432") "
            + "dbname=\(TestServer.current?.database ?? "postgres") user=\(role.name) "
            + "password='\(Self.password)' options='-csearch_path=\(role.schema)'"
        var environment = ["STOCK_SETTINGS": repositoryRoot + "/assets/settings/test.json", "TZ": "UTC"]
        let runs = [
            try StockProcess.run(["--db", conninfo, "init"], environment: environment, in: folder.path),
            try StockProcess.run(["--db", conninfo, "add-batch", "b1", "LAMP", "10"], environment: environment),
        ]
        environment["STOCK_DB"] = conninfo
        let listed = try StockProcess.run(["batches"], environment: environment, in: folder.path)
        for run in runs + [listed] {
            #expect(run.status == 0, "\(run.stderr)")
            #expect(!Self.showsPassword(run.stdout + run.stderr), "\(run.stdout)\(run.stderr)")
        }
        #expect(
            runs[0].stderr.contains("database ready at postgresql://\(role.name):***@\(Self.host):"),
            "\(runs[0].stderr)")
        #expect(listed.stdout.contains("b1"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    /// A URL libpq cannot read (a raw `%`), or reads as something else than meant (a raw `/` makes the user name
    /// the host and the password's start the port), is refused with exit 2 before connecting, quoting none of
    /// it; a wrong password with the same characters is refused by the server, and not shown either.
    @Test(.refusesWrongPasswords) func anUnreadableURLOrAWrongPasswordIsRefusedWithoutShowingIt() throws {
        let role = try PasswordRole()
        for password in ["sekr?QQq%ZZz%2FWWw", "sekr%3FQQq%25ZZz/WWw", "sekr%3FQQq%25ZZz/WWw@x"] {
            for scheme in ["postgresql", "POSTGRESQL"] {
                let result = try Self.stock(role.url(password: password, scheme: scheme), "batches", debug: true)
                #expect(result.status == 2, "\(password): \(result.stderr)")
                #expect(result.stderr.contains("cannot be read"), "\(result.stderr)")
                #expect(!Self.showsPassword(result.stdout + result.stderr), "\(result.stderr)")
            }
        }
        let wrong = try Self.stock(role.url(password: "sekr%3FQQq%25ZZz%2FWWx"), "batches", debug: true)
        #expect(wrong.status == 3, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("refused the login"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("PostgreSQL SQLSTATE 08001"), "\(wrong.stderr)")
        #expect(!Self.showsPassword(wrong.stdout + wrong.stderr), "\(wrong.stderr)")
        #expect(!Self.showsPassword(Self.serverLog))
    }

    /// A backend that stops answering mid-run (stopped with SIGSTOP, as a frozen host would be) makes `apply`
    /// give up within the busy timeout plus `serverTimeoutMs` and a little, with exit 3 and a clear message.
    @Test func aFrozenServerIsGivenUpWithExit3() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "100000")
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let input = (0..<5_000).map { #"{"command":"Allocate","orderid":"o\#($0)","sku":"LAMP","qty":1}"# }
            .joined(separator: "\n")
        var environment = cli.environment
        environment["STOCK_BUSY_TIMEOUT_MS"] = "1000"
        environment["STOCK_SERVER_TIMEOUT_MS"] = "1000"
        let writer = try StockProcess.start(
            ["--db", ServerFailureTests.adding("application_name=\(name)", to: cli.path), "apply"], input: input,
            environment: environment)
        let admin = try rawConnection(to: cli.path)
        try writer.waitForOutput { $0.split(separator: "\n").count >= 50 }
        let backend = try #require(
            try admin.queryOne("SELECT pid FROM pg_stat_activity WHERE application_name = ?", name) {
                Int32($0.int(0))
            })
        #expect(kill(backend, SIGSTOP) == 0)
        let stopped = monotonicSeconds()
        defer { kill(backend, SIGCONT) }
        let result = try writer.wait(timeout: 15)
        let seconds = result.exitedAt - stopped
        kill(backend, SIGCONT)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("lost the connection to the PostgreSQL server"), "\(result.stderr)")
        #expect(result.stderr.contains("the server sent nothing for"), "\(result.stderr)")
        #expect(seconds >= 1.5 && seconds < 2 + 3, "gave up after \(seconds) s")
        #expect(try TestDatabase.miscountedBatches(in: admin).isEmpty)
    }

    /// A connection lost while the server runs the COMMIT (here: terminated while a deferred trigger holds the
    /// COMMIT up) leaves the outcome unknown to the client: `stock` says so and how to check, never that the
    /// transaction was not committed, and `apply` advises how to go on.
    @Test(arguments: [false, true]) func aCommitWhoseAnswerIsLostIsReportedAsUnknown(bulk: Bool) throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let admin = try rawConnection(to: cli.path)
        try admin.execute(
            """
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_sleep(10); RETURN NULL; END $$
            """)
        try admin.execute(
            """
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON events DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW EXECUTE FUNCTION slow_commit()
            """)
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let url = ServerFailureTests.adding("application_name=\(name)", to: cli.path)
        let writer =
            bulk
            ? try StockProcess.start(
                ["--db", url, "apply"], input: #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":1}"#,
                environment: cli.environment)
            : try StockProcess.start(["--db", url, "allocate", "o1", "LAMP", "1"], environment: cli.environment)
        let deadline = monotonicSeconds() + 10
        var terminated = 0
        while terminated == 0, monotonicSeconds() < deadline {
            usleep(20_000)
            terminated =
                try admin.queryOne(
                    """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = ? AND query = 'COMMIT' AND wait_event = 'PgSleep'
                    """, name
                ) { $0.int(0) } ?? 0
        }
        #expect(terminated == 1)
        let result = try writer.wait(timeout: 10)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("while it committed"), "\(result.stderr)")
        #expect(result.stderr.contains("the outcome is unknown"), "\(result.stderr)")
        #expect(result.stderr.contains("stock history"), "\(result.stderr)")
        #expect(!result.stderr.contains("not committed"), "\(result.stderr)")
        if bulk {
            #expect(result.stderr.contains("stock events --since ID"), "\(result.stderr)")
            #expect(result.stderr.contains("re-run with --from-row 1"), "\(result.stderr)")
        }
    }

    /// Schemas whose names are 50 to 63 bytes long: `init` makes them, writes work, and each has a notification
    /// channel that fits PostgreSQL's limit, distinct even for two names sharing a long prefix, on which another
    /// session's commit is announced at once.
    @Test func aLongSchemaNameWorksAndKeepsItsOwnChannel() throws {
        let admin = try Self.administration()
        let serverURL = try #require(TestEngine.serverURL)
        let prefix = "s" + UUID().uuidString.prefix(8).lowercased() + String(repeating: "_long_schema", count: 3)
        let schemas = [prefix + "_number_one", prefix + "_number_two", prefix + String(repeating: "x", count: 63)]
            .map { String($0.prefix(63)) }
        for schema in schemas { try admin.execute("CREATE SCHEMA \(schema)") }
        defer { for schema in schemas { try? admin.execute("DROP SCHEMA \(schema) CASCADE") } }
        let urls = schemas.map { ServerFailureTests.adding("options=-csearch_path=\($0)", to: serverURL) }
        var listeners: [Database] = []
        for url in urls {
            let initialized = try Self.stock(url, "init")
            #expect(initialized.status == 0, "\(initialized.stderr)")
            let added = try Self.stock(url, "add-batch", "b1", "LAMP", "10")
            #expect(added.status == 0, "\(added.stderr)")
            let listener = try Database.open(settings: try testSettings(database: url), access: .readOnly)
            #expect(try listener.changedSinceLastCheck() == false)
            listeners.append(listener)
        }
        let channels = try listeners.map { try $0.queryOne("SELECT pg_listening_channels()") { $0.text(0) } ?? "" }
        #expect(Set(channels).count == 3, "\(channels)")
        #expect(channels.allSatisfy { $0.utf8.count <= 63 && $0.hasPrefix("stock_changes_") }, "\(channels)")
        let allocated = try Self.stock(urls[0], "allocate", "o1", "LAMP", "2")
        #expect(allocated.status == 0, "\(allocated.stderr)")
        let announced = try listeners.map { listener in
            let server = try #require(listener.connection as? PostgresConnection)
            try server.runScript("")
            return try server.takeNotifications().count
        }
        #expect(announced == [1, 0, 0])
    }

    /// A long-named schema made by a stock before the channel fitted (the server's old schema version 1, whose
    /// trigger named the too-long channel, so every write failed) is renumbered and mended by `init`, and writes
    /// work again.
    @Test func initMendsAVersionOneSchemaWhoseChannelWasTooLong() throws {
        let admin = try Self.administration()
        let serverURL = try #require(TestEngine.serverURL)
        let schema = String(
            ("s" + UUID().uuidString.prefix(8).lowercased() + String(repeating: "_older", count: 10)).prefix(60))
        try admin.execute("CREATE SCHEMA \(schema)")
        defer { try? admin.execute("DROP SCHEMA \(schema) CASCADE") }
        let url = ServerFailureTests.adding("options=-csearch_path=\(schema)", to: serverURL)
        // What the first version's migration made: the channel named in full, and version 1.
        try ServerSchemaUpgradeTests.makeFirstRelease(in: try Database(serverURL: url), numbered: 1)
        try admin.execute(
            """
            CREATE OR REPLACE FUNCTION \(schema).events_announce() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('stock_changes_' || current_schema(), '');
                RETURN NULL;
            END
            $$
            """)
        let refused = try Self.stock(url, "add-batch", "b1", "LAMP", "10")
        #expect(refused.status == 3, "an older schema asks for init: \(refused.stderr)")
        #expect(refused.stderr.contains("was made by an older stock (schema version 1)"), "\(refused.stderr)")
        let upgraded = try Self.stock(url, "init")
        #expect(upgraded.status == 0, "\(upgraded.stderr)")
        #expect(upgraded.stderr.contains("(schema version \(Schema.currentVersion))"), "\(upgraded.stderr)")
        let added = try Self.stock(url, "add-batch", "b1", "LAMP", "10")
        #expect(added.status == 0, "\(added.stderr)")
    }
}
