import Allocation
import Foundation
import Testing

/// The test server `STOCK_TEST_POSTGRES` names, read from whichever form the URL has (`postgresql://USER@HOST:PORT/DB`,
/// `postgresql://USER@/DB?host=FOLDER&port=PORT`, or libpq's `host=… port=… dbname=…`), with libpq's fallbacks
/// (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, then its defaults) for what it leaves out.
public struct TestServer: Sendable {
    /// The first host the URL names: a name, an address, or a socket folder (starting with `/`).
    public let host: String
    public let port: String
    public let database: String
    public let user: String

    /// The host to reach over TCP: the URL's own when it is not a socket folder, else the loopback address, where
    /// a server whose socket the URL names is expected to listen too (as `.ci/postgres.sh` starts it).
    public var tcpHost: String {
        host.hasPrefix("/") || host.hasPrefix("@") || host.isEmpty ? "127.0.0.1" : host
    }

    /// The server of `STOCK_TEST_POSTGRES`, nil when the suite runs on SQLite.
    public static let current: TestServer? = TestEngine.serverURL.map {
        TestServer(url: $0, environment: ProcessInfo.processInfo.environment)
    }

    /// What `url` names, with `environment`'s `PG…` variables for what it leaves out.
    public init(url: String, environment: [String: String]) {
        let address = ServerAddress(url: url)
        func first(_ keyword: String, _ variable: String) -> String? {
            let given = address.value(keyword) ?? environment[variable]
            return given?.split(separator: ",", omittingEmptySubsequences: false).first.map(String.init)
                .flatMap { $0.isEmpty ? nil : $0 }
        }
        let systemUser = getpwuid(geteuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "postgres"
        host = first("host", "PGHOST") ?? first("hostaddr", "PGHOSTADDR") ?? "/var/run/postgresql"
        port = first("port", "PGPORT") ?? "5432"
        user = first("user", "PGUSER") ?? systemUser
        database = first("dbname", "PGDATABASE") ?? user
    }

    /// A `postgresql://` URL logging in over TCP (``tcpHost``, ``port``) as `user` with `password` to ``database``.
    public func tcpURL(user: String? = nil, password: String? = nil, parameters: String = "") -> String {
        func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
                ?? text
        }
        let login = encoded(user ?? self.user) + (password.map { ":" + encoded($0) } ?? "")
        let host = tcpHost.contains(":") ? "[\(tcpHost)]" : tcpHost
        return "postgresql://\(login)@\(host):\(port)/\(encoded(database))"
            + (parameters.isEmpty ? "" : "?" + parameters)
    }

    /// How the server answers a TCP login with a wrong password.
    public enum TCPLogin: Sendable, Equatable {
        /// It refuses it: the server asks for passwords over TCP.
        case asksForPassword
        /// It lets it in: the server trusts TCP connections (or this user).
        case trusts
        /// It cannot be reached over TCP, for this reason.
        case unreachable(String)
    }

    /// How the test server answers a TCP login with a wrong password, tried once.
    public static let tcpLogin: TCPLogin = {
        guard let server = current else { return .unreachable("the suite runs on SQLite") }
        let probe = server.tcpURL(password: "stock-test-probe-" + UUID().uuidString, parameters: "passfile=/dev/null")
        do {
            _ = try Database(serverURL: probe, access: .readOnly, busyTimeoutMilliseconds: 2000)
            return .trusts
        } catch {
            let message = "\(error)"
            return message.contains("refused the login") ? .asksForPassword : .unreachable(message)
        }
    }()

    /// Why a test of a refused login cannot run on the test server; nil when it can.
    public static var whyNoRefusedLogin: String? {
        guard let server = current else { return "needs the PostgreSQL test server (STOCK_TEST_POSTGRES)" }
        switch tcpLogin {
        case .asksForPassword: return nil
        case .trusts:
            return "the test server at \(server.tcpHost):\(server.port) lets a wrong password in over TCP (trust), "
                + "so a refused login cannot be tested"
        case .unreachable(let reason):
            return "the test server cannot be reached over TCP at \(server.tcpHost):\(server.port): \(reason)"
        }
    }

    /// Why a test that logs in over TCP cannot run on the test server; nil when it can.
    public static var whyNoTCPLogin: String? {
        guard let server = current else { return "needs the PostgreSQL test server (STOCK_TEST_POSTGRES)" }
        guard case .unreachable(let reason) = tcpLogin else { return nil }
        return "the test server cannot be reached over TCP at \(server.tcpHost):\(server.port): \(reason)"
    }
}

extension Trait where Self == ConditionTrait {
    /// For a test of a login the server refuses for its password: skipped, with the reason, on a server that
    /// trusts TCP connections or cannot be reached over TCP.
    public static var refusesWrongPasswords: Self {
        .enabled(if: TestServer.whyNoRefusedLogin == nil, Comment(rawValue: TestServer.whyNoRefusedLogin ?? ""))
    }

    /// For a test that logs in over TCP (host, port and database of the test server): skipped, with the reason,
    /// when the server cannot be reached that way.
    public static var reachableOverTCP: Self {
        .enabled(if: TestServer.whyNoTCPLogin == nil, Comment(rawValue: TestServer.whyNoTCPLogin ?? ""))
    }
}

/// `url` with the libpq parameter `keyword=value` added, in the URL's own form: a query parameter of a
/// `postgresql://` URL, or one more pair of a keyword/value string.
public func addingServerParameter(_ keyword: String, _ value: String, to url: String) -> String {
    let lowered = url.lowercased()
    guard lowered.hasPrefix("postgresql://") || lowered.hasPrefix("postgres://") else {
        return url + " \(keyword)='"
            + value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "'", with: "\\'") + "'"
    }
    let encoded =
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
        ?? value
    return url + (url.contains("?") ? "&" : "?") + keyword + "=" + encoded
}
