import Foundation
import Glibc
import TestSupport
import Testing

@testable import Allocation

/// What a PostgreSQL server can do to `stock` that a file cannot: refuse the login, be down or silent, drop a
/// session mid-transaction, refuse a transaction for a conflict with a concurrent one.
@Suite(.serialized) struct ServerFailureTests {
    /// `url` with a parameter `keyword=value` added.
    static func adding(_ parameter: String, to url: String) -> String {
        let keyword = parameter.prefix { $0 != "=" }
        return addingServerParameter(String(keyword), String(parameter.dropFirst(keyword.count + 1)), to: url)
    }

    /// Runs `stock --db URL ARGUMENTS` and returns what it did with the seconds it took.
    static func timed(_ url: String, _ arguments: String..., timeoutMs: Int = 5000) throws -> (ProcessResult, Double) {
        let started = monotonicSeconds()
        let result = try StockProcess.run(
            ["--db", url] + arguments, environment: ["STOCK_BUSY_TIMEOUT_MS": String(timeoutMs)])
        return (result, monotonicSeconds() - started)
    }

    /// A loopback TCP port nobody listens on (bound for a moment by this process, then closed).
    static func closedPort() throws -> UInt16 {
        let listener = try SilentListener()
        return listener.port
    }

    /// Over TCP to the test server's host, port and database, as its own user.
    @Test(.postgresOnly, .refusesWrongPasswords) func aWrongPasswordIsRefusedWithExit3AndNeverShown() throws {
        let server = try #require(TestServer.current)
        let url = server.tcpURL(password: "wrong-secret", parameters: "passfile=/dev/null")
        for arguments in [["batches"], ["init"], ["allocate", "o1", "LAMP", "1"]] {
            let started = monotonicSeconds()
            let result = try StockProcess.run(["--db", url] + arguments)
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("refused the login"), "\(result.stderr)")
            #expect(result.stderr.contains("postgresql://\(server.user):***@\(server.tcpHost)"), "\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("wrong-secret"))
            #expect(monotonicSeconds() - started < 5)
        }
    }

    /// Nothing listening at the address (a TCP port, or a socket folder with no server): exit 3 at once.
    @Test func aServerThatIsDownIsSaidSoAtOnceWithExit3() throws {
        let port = try Self.closedPort()
        let folder = try TemporaryFolder()
        for url in [
            "postgresql://postgres:hidden-secret@127.0.0.1:\(port)/stocktest",
            "postgresql://postgres@/stocktest?host=\(folder.path)&port=\(port)",
        ] {
            let (result, seconds) = try Self.timed(url, "batches")
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("nothing is listening there; is the server running?"), "\(result.stderr)")
            #expect(!result.stderr.contains("hidden-secret"))
            #expect(seconds < 2, "returned after \(seconds) s")
        }
    }

    /// A server that accepts the connection and never answers (what a blackholed address does): the command
    /// gives up after the connect timeout, which follows the busy timeout (at least 2 s), with exit 3.
    @Test func aServerThatNeverAnswersTimesOutWithExit3() throws {
        let listener = try SilentListener()
        let (result, seconds) = try Self.timed(
            "postgresql://postgres@127.0.0.1:\(listener.port)/stocktest", "allocate", "o1", "LAMP", "1",
            timeoutMs: 1000)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("did not answer in time"), "\(result.stderr)")
        #expect(seconds < 2 + 2, "returned after \(seconds) s")
    }

    /// `stock apply` whose session the server terminates mid-run: a clear error, exit 3, and every command
    /// committed before it whole.
    @Test(.postgresOnly) func aConnectionDroppedMidRunLeavesOnlyWholeCommands() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "100000")
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let input = (0..<5_000).map { #"{"command":"Allocate","orderid":"o\#($0)","sku":"LAMP","qty":1}"# }
            .joined(separator: "\n")
        let writer = try StockProcess.start(
            ["--db", Self.adding("application_name=\(name)", to: cli.path), "apply"], input: input,
            environment: cli.environment)
        let admin = try rawConnection(to: cli.path)
        let deadline = monotonicSeconds() + 20
        while try Views.batches(in: admin).first?.allocated ?? 0 < 50, monotonicSeconds() < deadline {
            usleep(2_000)
        }
        let terminated = try admin.queryOne(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", name
        ) { $0.int(0) }
        #expect(terminated == 1)
        let result = try writer.wait()
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("lost the connection to the PostgreSQL server"), "\(result.stderr)")
        // The session may go during a COMMIT, whose outcome the client then cannot know.
        #expect(
            result.stderr.contains("was not committed") || result.stderr.contains("the outcome is unknown"),
            "\(result.stderr)")

        let answered = result.stdout.split(separator: "\n").filter { $0.hasPrefix(#"{"ok":true"#) }.count
        let contents = try cli.contents()
        let allocated = contents["allocations"]?.count ?? 0
        #expect(allocated >= 50 && allocated < 5_000)
        // Every answered command was committed; the one under way when the session went may have been.
        #expect(allocated == answered || allocated == answered + 1, "\(allocated) stored, \(answered) answered")
        #expect(contents["order_lines"]?.count == allocated)
        #expect(contents["events"]?.filter { $0.contains("|Allocated|") }.count == allocated)
        #expect(contents["products"] == ["LAMP|\(1 + allocated)"])
        #expect(try Views.batches(in: admin).first?.allocated == allocated)
        #expect(try TestDatabase.miscountedBatches(in: admin).isEmpty)
    }

    /// `events --follow` whose session the server terminates says so on standard error, opens a new session by
    /// itself and goes on from where it was: nothing is printed twice or missed.
    @Test(.postgresOnly) func eventsFollowReconnectsAfterItsSessionIsTerminated() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let follower = try StockProcess.start(
            ["--db", Self.adding("application_name=\(name)", to: cli.path), "events", "--follow", "--json"],
            environment: cli.environment)
        try follower.waitForOutput { $0.contains("b1") }
        let admin = try rawConnection(to: cli.path)
        let terminated = try admin.queryOne(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", name
        ) { $0.int(0) }
        #expect(terminated == 1)
        try cli.stock("allocate", "o1", "LAMP", "2")
        try follower.waitForOutput(timeout: 30) { $0.contains(#""kind":"Allocated""#) }
        let errors = follower.errorsSoFar
        kill(follower.processIdentifier, SIGTERM)
        let result = try follower.wait()
        #expect(errors.contains("lost the connection to the PostgreSQL server"), "\(errors)")
        #expect(errors.contains("; reconnecting"), "\(errors)")
        #expect(errors.contains("reconnected: now on "), "\(errors)")
        // A reader had no transaction to lose.
        #expect(!errors.contains("not committed"), "\(errors)")
        let kinds = result.stdout.split(separator: "\n").compactMap {
            (try? cli.decodeJSON(String($0)) as? [String: Any])?["kind"] as? String
        }
        #expect(kinds == ["BatchCreated", "Allocated"], "\(result.stdout)")
    }

    /// The monitor and the operator console whose session the server terminates say so, open a new session by
    /// themselves, and go on showing other sessions' commits.
    @Test(.postgresOnly, arguments: ["monitor", ""])
    func aConsoleWhoseSessionIsTerminatedReconnects(mode: String) throws {
        let name = "stock-e2e-\(UUID().uuidString.prefix(8))"
        let run = try ConsoleRun(mode, width: 120, parameters: "&application_name=\(name)")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("B-CHAIR-9")
        let server = TestServer(url: run.db.path, environment: ProcessInfo.processInfo.environment)
        #expect(!server.database.isEmpty)
        // The status line names the database and the host it is on: a local socket as `local`.
        let host = "\(server.host.hasPrefix("/") ? "local" : server.host):\(server.port)"
        try s.waitFor(" \(server.database)@\(host)")
        let admin = try rawConnection(to: run.db.path)
        let terminated = try admin.queryOne(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = ?", name
        ) { $0.int(0) }
        #expect(terminated == 1)
        try s.waitFor("reconnected: now on \(host)", timeout: 10)
        let added = try StockProcess.run(["--db", run.db.path, "add-batch", "B-NEW-1", "NEW-SKU", "5"])
        #expect(added.status == 0, "\(added.stderr)")
        try s.waitFor("B-NEW-1", timeout: 5)
        try s.send("M")
        let overlay = try s.waitFor("Messages, newest first")
        #expect(overlay.contains("lost the connection to the PostgreSQL"), "\(overlay)")
    }

    /// At `serializable`, several processes allocating on one SKU at once conflict, and the bus runs the losers
    /// again: every command is answered and allocated, what was answered is what is stored, and nothing is
    /// over-allocated.
    @Test(.postgresOnly) func serializableWritersOnOneSKUAllSucceed() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "HOT-SKU", "1000")
        var environment = cli.environment
        environment["STOCK_ISOLATION"] = "serializable"
        let processes = try (0..<4).map { writer in
            let input = (0..<30).map {
                #"{"command":"Allocate","orderid":"w\#(writer)-o\#($0)","sku":"HOT-SKU","qty":2}"#
            }.joined(separator: "\n")
            return try StockProcess.start(["--db", cli.path, "apply"], input: input, environment: environment)
        }
        var allocated = 0
        for result in try processes.map({ try $0.wait() }) {
            let answers = result.stdout.split(separator: "\n")
            allocated += answers.filter { $0.contains(#""status":"allocated""#) }.count
            // A transaction waiting for the product row's lock at serializable is refused when it gets it (its
            // snapshot is older than the holder's commit); the bus runs it again within the busy timeout, so every
            // command ends allocated.
            #expect(result.status == 0, "\(result.stderr)")
            #expect(answers.count == 30)
            #expect(answers.allSatisfy { $0.contains(#""status":"allocated""#) }, "\(result.stdout)")
        }
        #expect(allocated == 120)
        let contents = try cli.contents()
        #expect(allocated > 0)
        #expect(contents["allocations"]?.count == allocated)
        #expect(contents["products"] == ["HOT-SKU|\(1 + allocated)"])
        let admin = try rawConnection(to: cli.path, access: .readOnly)
        #expect(try Views.batches(in: admin).first?.allocated == 2 * allocated)
        #expect(try TestDatabase.miscountedBatches(in: admin).isEmpty)
    }

    /// Two sessions forced to conflict: at `repeatable read`, one transaction has taken its snapshot when the other
    /// commits an allocation on the same SKU; its lock on the product row then fails (40001), and the bus runs it
    /// again, which sees the other's allocation and ends correct.
    @Test(.postgresOnly, arguments: [Isolation.repeatableRead, .serializable])
    func aTransactionThatLostTheRaceIsRunAgain(isolation: Isolation) throws {
        let store = try TestDatabase()
        var settings = store.settings
        settings.isolation = isolation
        let first = try Database.open(settings: settings, access: .readWrite)
        let second = try Database.open(settings: settings, access: .readWrite)
        let setup = MessageBus.standard(database: second, settings: settings) { _ in }
        try setup.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 3)))
        let bus = MessageBus.standard(database: first, settings: settings) { _ in }
        var locks = 0
        var interleaving = false
        first.willRun = { sql in
            guard !interleaving, sql.contains("FOR UPDATE") else { return }
            locks += 1
            guard locks == 1 else { return }
            interleaving = true
            defer { interleaving = false }
            // The first statement takes the transaction's snapshot; the other session then commits.
            _ = try? first.queryOne("SELECT 1") { $0.int(0) }
            _ = try? setup.handle(.allocate(Allocate(orderid: "o-other", sku: "LAMP", qty: 2)))
        }
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o-first", sku: "LAMP", qty: 2)))
        #expect(locks == 2, "the first attempt was refused and the command run again")
        #expect(outcome == .waiting(orderid: "o-first", sku: "LAMP", qty: 2))
        #expect(try store.lines(matching: "o-") == ["o-first LAMP 2 waiting", "o-other LAMP 2 b1"])
        #expect(try store.overAllocatedBatches().isEmpty)
        #expect(try store.contents()["products"] == ["LAMP|3"])
    }
}

/// A loopback TCP socket that listens and never answers: the kernel completes the connection, and the client's
/// first message goes unanswered, as with a server that hangs or an address whose packets are dropped.
final class SilentListener {
    let port: UInt16
    private let descriptor: Int32

    init() throws {
        let opened = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(opened, generic, length) == 0 && listen(opened, 8) == 0
                    && getsockname(opened, generic, &length) == 0
            }
        }
        guard opened >= 0, bound else {
            close(opened)
            throw FixtureError(message: "cannot listen on a loopback port")
        }
        descriptor = opened
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(descriptor)
    }
}
