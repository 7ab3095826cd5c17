import CPostgres
import CPostgresLoader
import Foundation

/// A `postgresql://` URL or libpq keyword/value string naming a server database (one host or several), read the
/// way libpq reads it (`PQconninfoParse`), and shown in messages as a URL rebuilt from those parts with the
/// password replaced by `***`: never by searching the text, so a password holding `?`, `%` or `/` (raw or
/// percent-encoded) is hidden wherever it was written.
///
/// A URL libpq cannot read, or reads in a way that cannot be what was meant (a port that is not a number, an `@`
/// in the host or database name: a password holding a raw `/` or `@`), is refused before connecting and never
/// echoed (``problem``).
public struct ServerAddress: Sendable, Equatable {
    /// One connection parameter as libpq read it, e.g. `host` = `/tmp`.
    struct Part: Sendable, Equatable {
        let keyword: String
        let value: String
    }

    /// The text handed to libpq: as given, a URL's scheme in lower case, since libpq takes only a lower-case
    /// `postgresql://` or `postgres://` for a URL and would send anything else to the server as a database name.
    public let url: String
    /// The parameters the URL sets, in libpq's order; empty when it cannot be read.
    let parts: [Part]
    /// Why the URL cannot be used, in words that quote nothing of it; nil when it can.
    public let problem: String?

    /// Whether `location` (a `database` setting or `--db`) names a PostgreSQL server rather than a file: a
    /// `postgresql://` or `postgres://` URL, or libpq's keyword/value string (`host=h1,h2 port=5432 dbname=stock`),
    /// which starts with one of libpq's keywords and `=`.
    public static func isServer(_ location: String) -> Bool {
        let lowered = location.lowercased()
        if lowered.hasPrefix("postgresql:") || lowered.hasPrefix("postgres:") { return true }
        return isKeywordValueString(location)
    }

    /// Whether `text` is written as libpq's keyword/value string: its first word is one of libpq's connection
    /// keywords followed by `=` (spaces allowed around it). A file whose name starts so is written `./host=…`.
    static func isKeywordValueString(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        let keyword = trimmed.prefix { $0.isASCII && ($0.isLetter || $0 == "_") }
        guard connectionKeywords.contains(String(keyword)) else { return false }
        return trimmed.dropFirst(keyword.count).drop { $0 == " " || $0 == "\t" }.first == "="
    }

    /// libpq's connection keywords (PostgreSQL 15 and 16).
    private static let connectionKeywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
        "gssencmode", "sslmode", "requiressl", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert",
        "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version",
        "krbsrvname", "gsslib", "target_session_attrs", "service", "load_balance_hosts", "require_auth",
        "sslcertmode",
    ]

    /// Whether the address asks libpq for a standby first (`target_session_attrs` `standby`, `prefer-standby`
    /// or `read-only`): a session that lands on a primary then says so.
    public var asksForStandby: Bool {
        ["standby", "prefer-standby", "read-only"].contains(value("target_session_attrs") ?? "")
    }

    public init(url given: String) {
        url = Self.lowerCasingScheme(given)
        // Without libpq the URL cannot be read as libpq reads it; connecting says why (``PostgresConnection``).
        guard stock_libpq_failure() == nil else {
            parts = []
            problem = nil
            return
        }
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &error) else {
            let reason = error.map { Self.unquoted(String(cString: $0)) } ?? "out of memory"
            if let error { PQfreemem(error) }
            parts = []
            problem = Self.unreadable(reason, keywordValue: Self.isKeywordValueString(given))
            return
        }
        defer { PQconninfoFree(options) }
        var read: [Part] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                read.append(Part(keyword: String(cString: keyword), value: String(cString: value)))
            }
            option += 1
        }
        parts = read
        problem = Self.implausible(read).map {
            Self.unreadable($0, keywordValue: Self.isKeywordValueString(given))
        }
    }

    /// The value libpq read for `keyword` (`host`, `port`, `dbname`, `user`, ...), whichever form the URL has; nil
    /// when the URL does not set it (libpq then takes `PGHOST`, `PGPORT`, ... or its defaults).
    public func value(_ keyword: String) -> String? {
        parts.first { $0.keyword == keyword }?.value
    }

    /// The URL as every message shows it: rebuilt from its parameters, the password as `***`.
    public var shown: String {
        guard problem == nil else { return "postgresql://… (not shown)" }
        var text = "postgresql://"
        let user = value("user")
        let hasPassword = value("password") != nil
        if let user { text += user.addingPercentEncoding(withAllowedCharacters: Self.userAllowed) ?? "" }
        if hasPassword { text += ":***" }
        if user != nil || hasPassword { text += "@" }
        var query: [Part] = []
        let host = value("host") ?? ""
        let port = value("port")
        if host.contains("/") || host.contains(",") || (port ?? "").contains(",") {
            query += parts.filter { $0.keyword == "host" || $0.keyword == "port" }
        } else {
            text += host.contains(":") ? "[\(host)]" : host
            if let port { text += ":" + port }
        }
        let handled: Set = ["user", "password", "host", "port", "dbname"]
        query += parts.filter { !handled.contains($0.keyword) }
        if let name = value("dbname") {
            text += "/" + (name.addingPercentEncoding(withAllowedCharacters: Self.nameAllowed) ?? "")
        } else if !query.isEmpty {
            text += "/"
        }
        guard !query.isEmpty else { return text }
        return text + "?"
            + query.map {
                "\($0.keyword)=\($0.value.addingPercentEncoding(withAllowedCharacters: Self.valueAllowed) ?? "")"
            }.joined(separator: "&")
    }

    /// How the console's status line names a server database, as it names a file by its name alone: the
    /// database's name (`stock`), from the URL or else the `PGDATABASE` environment variable; never the
    /// password, the host or the options.
    public func label(environment: [String: String]) -> String {
        if problem != nil { return "postgresql" }
        if let name = value("dbname"), !name.isEmpty { return name }
        return environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgresql"
    }

    private static let userAllowed = CharacterSet.urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/?#%"))
    private static let nameAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#%@"))
    private static let valueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#%"))

    /// `text` with a `postgresql://` or `postgres://` scheme written in lower case, whatever case it was given in.
    private static func lowerCasingScheme(_ text: String) -> String {
        for scheme in ["postgresql://", "postgres://"] where text.lowercased().hasPrefix(scheme) {
            return scheme + text.dropFirst(scheme.count)
        }
        return text
    }

    /// libpq's complaint up to its first quotation mark: libpq quotes the offending part of the URL, which may be
    /// the password.
    private static func unquoted(_ message: String) -> String {
        let head = message.prefix { $0 != "\"" && $0 != "\n" }
        return head.trimmingCharacters(in: CharacterSet(charactersIn: " :")).trimmingCharacters(in: .whitespaces)
    }

    /// What makes libpq's reading of a URL one that cannot be what was meant, nil when nothing does: a port that
    /// is not a number, or an `@` in the host or database name (a password holding a raw `/` makes libpq read
    /// the user name as the host, the password's start as the port and its rest as the database name).
    private static func implausible(_ parts: [Part]) -> String? {
        let value = { (keyword: String) in parts.first { $0.keyword == keyword }?.value }
        let ports = (value("port") ?? "").split(separator: ",", omittingEmptySubsequences: false)
        if value("port") != nil,
            !ports.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        {
            return "its port is not a number"
        }
        if (value("host") ?? "").contains("@") || (value("dbname") ?? "").contains("@") {
            return "an @ follows the host"
        }
        return nil
    }

    /// The refusal of an unreadable URL or keyword/value string, with libpq's reason (`reason`, quoting nothing
    /// of it).
    private static func unreadable(_ reason: String, keywordValue: Bool) -> String {
        let because = reason.isEmpty ? "" : " (\(reason))"
        if keywordValue {
            return "the PostgreSQL connection string in the database setting cannot be read\(because); it is not "
                + "shown, as it may hold a password. Write it as host=HOST port=PORT dbname=DATABASE user=USER, "
                + "with a value that holds a space, a quote or a backslash in single quotes ('…', \\' and \\\\ "
                + "inside)"
        }
        return "the PostgreSQL URL in the database setting cannot be read\(because); it is not shown, as it may "
            + "hold a password. Write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE?KEY=VALUE, with any of "
            + ": / ? @ % # & in the user name or password percent-encoded (%3A %2F %3F %40 %25 %23 %26)"
    }
}
