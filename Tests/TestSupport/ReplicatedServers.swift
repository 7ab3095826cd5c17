import Allocation
import Foundation
import Testing

/// A throwaway PostgreSQL primary and a synchronous streaming hot standby of it, in one temporary folder, for
/// end-to-end tests of standby reads and failover.
///
/// Two nodes, each with its own data folder and loopback port and both with their Unix socket in the shared
/// folder. The primary is made for replication (`wal_level = replica`, `max_wal_senders = 10`,
/// `max_replication_slots = 10`, `hot_standby = on`, `wal_keep_size = '256MB'`, `max_connections = 200`, local and
/// loopback replication connections trusted); the standby is a `pg_basebackup -R -X stream` of it. Only after
/// the base backup does the primary get `synchronous_standby_names = '*'`, so that a promoted standby does not
/// carry the setting and wait for a standby of its own. The initializer returns once the standby streams and is
/// synchronous.
///
/// The two nodes keep their places and swap roles: after ``killPrimary()`` and ``promoteStandby()`` the former
/// standby is the primary and the killed node is the standby's place, down until ``rebuildStandby()`` makes a
/// fresh standby there (same port) from the new primary. ``pairURL(targetSessionAttrs:standbyFirst:)`` always
/// lists both places, so a URL taken before a failover still reaches the new primary after it.
///
/// The server refuses to run as root, so when the tests run as root every server tool runs as the `postgres`
/// user (`setpriv`), and the folder belongs to that user. The server binaries are the newest under
/// `/usr/lib/postgresql/*/bin`.
public final class ReplicatedServers {
    /// One server's place: its data folder and its port.
    private struct Node {
        let data: String
        let port: Int
    }

    /// The folder that holds both data folders, their logs and both sockets.
    public let folder: String
    private let bin: String
    private var nodes: [Node]
    private var primaryIndex = 0
    private var standbyIndex: Int { 1 - primaryIndex }
    private var stopped = false

    /// The newest `/usr/lib/postgresql/*/bin` that holds `initdb`, `pg_ctl`, `pg_basebackup` and `postgres`; nil
    /// when the server is not installed.
    public static let serverBinaries: String? = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let folders = versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { "\(root)/\($0)/bin" }
        return folders.first { bin in
            ["initdb", "pg_ctl", "pg_basebackup", "postgres"].allSatisfy {
                FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)")
            }
        }
    }()

    /// Whether a pair can be made here: the server binaries exist and, when running as root, so does the
    /// `postgres` user to run them as.
    public static var isAvailable: Bool {
        serverBinaries != nil && (getuid() != 0 || getpwnam("postgres") != nil)
    }

    /// Makes and starts the primary and its synchronous standby.
    ///
    /// - Throws: `ProcessFailure` naming what is missing when the server binaries or the `postgres` user are
    ///   absent, or with the tool's output and the server's log when a step fails.
    public init() throws {
        guard let bin = Self.serverBinaries else {
            throw ProcessFailure(
                message:
                    "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup, postgres) under "
                    + "/usr/lib/postgresql/*/bin: install the postgresql package")
        }
        if getuid() == 0 && getpwnam("postgres") == nil {
            throw ProcessFailure(message: "running as root and there is no postgres user to run the server as")
        }
        self.bin = bin
        // Short, so that the socket path stays within the 107 bytes a Unix socket address holds.
        folder = "/tmp/stock-pair-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        nodes = []
        do {
            if getuid() == 0, let user = getpwnam("postgres") {
                guard chown(folder, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                    throw ProcessFailure(message: "cannot give \(folder) to the postgres user")
                }
            }
            let primary = "\(folder)/a"
            try serverTool(
                "initdb", ["-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
            try serverTool("sh", ["-c", "cat >> '\(primary)/postgresql.conf'"], input: Self.replicationSettings)
            try serverTool(
                "sh",
                [
                    "-c",
                    "cat - '\(primary)/pg_hba.conf' > '\(primary)/hba' && mv '\(primary)/hba' '\(primary)/pg_hba.conf'",
                ],
                input: "local replication postgres trust\nhost replication postgres 127.0.0.1/32 trust\n")
            let primaryPort = try start(data: primary, avoiding: [])
            nodes = [Node(data: primary, port: primaryPort)]
            let standby = "\(folder)/b"
            try baseBackup(into: standby)
            nodes.append(Node(data: standby, port: try start(data: standby, avoiding: [primaryPort])))
            try makeSynchronous()
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    /// What the primary's `postgresql.conf` gets for replication.
    private static let replicationSettings = """
        wal_level = replica
        max_wal_senders = 10
        max_replication_slots = 10
        hot_standby = on
        wal_keep_size = '256MB'

        """

    // MARK: Addresses

    /// The primary's URL: database `postgres`, user `postgres`, through its socket in ``folder``.
    public var primaryURL: String { url(nodes[primaryIndex]) }

    /// The standby's URL, as ``primaryURL``; after a promotion, the place the next standby is rebuilt in.
    public var standbyURL: String { url(nodes[standbyIndex]) }

    /// The primary as libpq's `PQhost` and `PQport` name it, `HOST:PORT`: for a socket, the host is the folder.
    public var primaryHostPort: String { "\(folder):\(nodes[primaryIndex].port)" }

    /// The standby as libpq's `PQhost` and `PQport` name it, `HOST:PORT`.
    public var standbyHostPort: String { "\(folder):\(nodes[standbyIndex].port)" }

    /// A URL that lists both places, the standby's first unless `standbyFirst` is false, with
    /// `target_session_attrs` (`read-write`, `any`, `read-only`, `primary`, `standby`, `prefer-standby`), in the form
    /// `postgresql://postgres@/postgres?host=FOLDER,FOLDER&port=P1,P2&target_session_attrs=…`.
    public func pairURL(targetSessionAttrs: String = "read-write", standbyFirst: Bool = true) -> String {
        let ordered =
            standbyFirst ? [nodes[standbyIndex], nodes[primaryIndex]] : [nodes[primaryIndex], nodes[standbyIndex]]
        return "postgresql://postgres@/postgres?host=\(ordered.map { _ in folder }.joined(separator: ","))"
            + "&port=\(ordered.map { String($0.port) }.joined(separator: ","))"
            + "&target_session_attrs=\(targetSessionAttrs)"
    }

    private func url(_ node: Node) -> String {
        "postgresql://postgres@/postgres?host=\(folder)&port=\(node.port)"
    }

    // MARK: Failover

    /// Stops the primary at once, as a crash would (`pg_ctl -m immediate stop`).
    public func killPrimary() throws {
        try serverTool("pg_ctl", ["-D", nodes[primaryIndex].data, "-m", "immediate", "-w", "stop"])
    }

    /// Promotes the standby (`pg_ctl -w promote`, which returns once it accepts writes) and makes it the
    /// primary; then switches `synchronous_standby_names` off on it, since it has no standby to wait for. The
    /// former primary's place becomes the standby's, down until ``rebuildStandby()``.
    public func promoteStandby() throws {
        try serverTool("pg_ctl", ["-D", nodes[standbyIndex].data, "-w", "promote"])
        primaryIndex = standbyIndex
        try sql(on: nodes[primaryIndex], "ALTER SYSTEM SET synchronous_standby_names = ''")
        try sql(on: nodes[primaryIndex], "SELECT pg_reload_conf()")
    }

    /// Makes a fresh standby in the standby's place: stops what runs there, removes its folder (the former
    /// primary's, after a failover), takes a base backup of the current primary, starts it on the same port,
    /// switches synchronous replication back on and returns once it streams.
    public func rebuildStandby() throws {
        let place = nodes[standbyIndex]
        stopServer(place)
        try serverTool("rm", ["-rf", place.data])
        try? FileManager.default.removeItem(atPath: place.data + ".log")
        try baseBackup(into: place.data)
        let port = try start(data: place.data, avoiding: [nodes[primaryIndex].port], preferring: place.port)
        nodes[standbyIndex] = Node(data: place.data, port: port)
        try makeSynchronous()
    }

    // MARK: Lag and outages

    /// Pauses the standby's replay (`pg_wal_replay_pause()`): it keeps receiving and acknowledging WAL, so
    /// synchronous commits still return, but its reads stay at the moment of the pause.
    public func pauseReplay() throws {
        try sql(on: nodes[standbyIndex], "SELECT pg_wal_replay_pause()")
    }

    /// Resumes the standby's replay (`pg_wal_replay_resume()`).
    public func resumeReplay() throws {
        try sql(on: nodes[standbyIndex], "SELECT pg_wal_replay_resume()")
    }

    /// Stops the standby (`pg_ctl -m fast stop`). While it is down, a synchronous commit on the primary waits
    /// for it (the commit itself is already done on the primary).
    public func stopStandby() throws {
        try serverTool("pg_ctl", ["-D", nodes[standbyIndex].data, "-m", "fast", "-w", "stop"])
    }

    /// Starts the stopped standby again on its port and returns once it streams.
    public func startStandby() throws {
        let place = nodes[standbyIndex]
        try startServer(data: place.data, port: place.port)
        try waitForStreaming()
    }

    /// Stops both servers and removes the folder; the object is of no further use. Also done when the object
    /// goes away.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        for node in nodes { stopServer(node) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    // MARK: Steps

    /// Starts the server of `data` on a free loopback port (other than `avoiding`), `preferring` one when given,
    /// and returns the port.
    private func start(data: String, avoiding: [Int], preferring: Int? = nil) throws -> Int {
        var lastError: Error?
        var candidates = (0..<10).map { _ in Int.random(in: 20000..<40000) }.filter { !avoiding.contains($0) }
        if let preferring { candidates.insert(preferring, at: 0) }
        for port in candidates {
            do {
                try startServer(data: data, port: port)
                return port
            } catch {
                lastError = error
            }
        }
        throw lastError ?? ProcessFailure(message: "no free port for the server of \(data)")
    }

    private func startServer(data: String, port: Int) throws {
        try serverTool(
            "pg_ctl",
            [
                "-D", data, "-l", data + ".log", "-w", "-o",
                "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=200", "start",
            ])
    }

    private func stopServer(_ node: Node) {
        guard FileManager.default.fileExists(atPath: node.data + "/postmaster.pid") else { return }
        _ = try? serverTool("pg_ctl", ["-D", node.data, "-m", "immediate", "-w", "stop"])
    }

    /// `pg_basebackup -R -X stream` of the current primary into `data`: `-R` writes `standby.signal` and a
    /// `primary_conninfo` that names the primary's loopback port.
    private func baseBackup(into data: String) throws {
        try serverTool(
            "pg_basebackup",
            [
                "-h", "127.0.0.1", "-p", String(nodes[primaryIndex].port), "-U", "postgres", "-D", data, "-R", "-X",
                "stream",
            ])
    }

    /// Sets `synchronous_standby_names = '*'` on the primary and waits until the standby streams as `sync`.
    private func makeSynchronous() throws {
        try sql(on: nodes[primaryIndex], "ALTER SYSTEM SET synchronous_standby_names = '*'")
        try sql(on: nodes[primaryIndex], "SELECT pg_reload_conf()")
        try waitForStreaming()
    }

    /// Polls the primary's `pg_stat_replication` every 20 ms until a standby is `streaming` and `sync`.
    private func waitForStreaming(timeout: Double = 20) throws {
        let deadline = monotonicSeconds() + timeout
        let database = try Database(serverURL: url(nodes[primaryIndex]))
        var seen: [String] = []
        while monotonicSeconds() < deadline {
            seen = try database.query("SELECT state || ' ' || sync_state FROM pg_stat_replication") { $0.text(0) }
            if seen.contains("streaming sync") { return }
            usleep(20_000)
        }
        throw ProcessFailure(
            message: "the standby did not stream synchronously in \(timeout) s (pg_stat_replication: \(seen)); "
                + "its log: \(log(of: nodes[standbyIndex]))")
    }

    /// Runs one statement on `node` through its socket; any rows it returns are read and dropped.
    private func sql(on node: Node, _ statement: String) throws {
        let database = try Database(serverURL: url(node))
        _ = try database.query(statement) { _ in () }
    }

    private func log(of node: Node) -> String {
        (try? String(contentsOfFile: node.data + ".log", encoding: .utf8)) ?? "(no log)"
    }

    /// Closes every file descriptor above 2, then runs the command its arguments name. Foundation's `Process`
    /// learns of a child's exit when a socket the child inherits is closed; a server that `pg_ctl start` leaves
    /// running would inherit it too and hold it open, so that `pg_ctl` would never be seen to finish, and it would
    /// also keep any descriptor another test's child was being given at that moment.
    private static let closingDescriptors =
        "for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
        + "exec \"$@\""

    /// Runs `tool` (a server binary by name, else a program on the path) to its end with no descriptor but
    /// standard input, output and error, as the `postgres` user when running as root.
    @discardableResult
    private func serverTool(_ tool: String, _ arguments: [String], input: String? = nil) throws -> ProcessResult {
        let executable = FileManager.default.isExecutableFile(atPath: "\(bin)/\(tool)") ? "\(bin)/\(tool)" : tool
        let user = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"] : []
        let result = try runProcess(
            "/bin/bash", ["-c", Self.closingDescriptors, "bash"] + user + [executable] + arguments, input: input,
            timeout: 60)
        guard result.status == 0 else {
            throw ProcessFailure(
                message: "\(([tool] + arguments).joined(separator: " ")) exited \(result.status): "
                    + "\(result.stdout)\(result.stderr)")
        }
        return result
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test that makes its own primary and standby (``ReplicatedServers``): enabled only when the suite runs
    /// on PostgreSQL (`STOCK_TEST_POSTGRES`), the server binaries are installed, and `STOCK_TEST_REPLICATION` is
    /// set. `.ci/run` runs these suites in a pass of their own, after the others: their servers, consoles and
    /// writers would otherwise run beside the whole suite's tmux sessions on a machine of two cores.
    public static var replicationAvailable: Self {
        .enabled(
            if: TestEngine.isPostgres && ReplicatedServers.isAvailable
                && !(ProcessInfo.processInfo.environment["STOCK_TEST_REPLICATION"] ?? "").isEmpty,
            "needs STOCK_TEST_REPLICATION, STOCK_TEST_POSTGRES and the PostgreSQL server binaries")
    }
}
