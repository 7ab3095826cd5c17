import Foundation

/// A server's transaction isolation for the writers' transactions, chosen by the `isolation` setting.
///
/// `read committed` (the default) with the product row locked by every command (``Product``'s `FOR UPDATE`)
/// makes two commands on one SKU take turns, as the version check demands, without failing; `repeatable read`
/// and `serializable` make the server refuse a transaction that read what a concurrent one changed (SQLSTATE
/// 40001), which the bus runs again. SQLite ignores the setting: its writers never run side by side.
public enum Isolation: String, CaseIterable, Sendable {
    case readCommitted = "read committed"
    case repeatableRead = "repeatable read"
    case serializable

    /// The words after `BEGIN ISOLATION LEVEL`.
    var keywords: String { rawValue.uppercased() }
}

/// What ``Database/changedSinceLastCheck()`` keeps on a server connection.
struct ServerWatch {
    /// Whether the connection has run `LISTEN` on the database's channel.
    var listening = false
    /// When the fallback poll last read the event log's high-water mark, and what it read.
    var lastPoll = 0.0
    var lastMark: String?
    /// How often the fallback poll runs, in case a notification was missed.
    static let pollSeconds = 2.0
}

extension Database {
    /// `sql` with its `?` placeholders numbered `$1`, `$2` … for a server, and how many parameters it takes; a
    /// numbered `?NNN` (SQLite's spelling) becomes `$NNN`, and a plain `?` after it takes the next number, as in
    /// SQLite. Quoted text, quoted names and comments are left as they are.
    static func numberingPlaceholders(_ sql: String) -> (sql: String, parameters: Int) {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 8)
        var parameters = 0
        var quote: Character?
        var inComment = false
        /// The digits after the `?` being read, nil outside a placeholder.
        var placeholder: String?
        func endPlaceholder(_ digits: String) {
            let number = Int(digits) ?? parameters + 1
            parameters = max(parameters, number)
            result += "$\(number)"
        }
        for character in sql {
            if let digits = placeholder {
                if character.isASCII, character.isNumber {
                    placeholder = digits + String(character)
                    continue
                }
                endPlaceholder(digits)
                placeholder = nil
            }
            if inComment {
                if character == "\n" { inComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "-", result.last == "-" {
                inComment = true
            } else if character == "?" {
                placeholder = ""
                continue
            }
            result.append(character)
        }
        if let digits = placeholder { endPlaceholder(digits) }
        return (result, parameters)
    }

    /// The statement that opens a writers' transaction on this engine.
    var beginWriteSQL: String {
        server == nil ? "BEGIN IMMEDIATE" : "BEGIN ISOLATION LEVEL \(isolation.keywords)"
    }

    /// Whether the engine holds an open (or failed) transaction on this connection.
    var engineInTransaction: Bool {
        if let server { return server.isInTransaction }
        return !sqliteAutocommit
    }

    /// The channel a server's commits are announced on, as a SQL expression: one per schema, so several stock
    /// databases in one PostgreSQL database do not wake each other. The schema's trigger on `events` sends on the
    /// channel this expression names, and listeners listen on it.
    ///
    /// `stock_changes_` and the schema's name, unless that passes PostgreSQL's 63-byte limit on a channel's name
    /// (a schema of 50 bytes or more): then `stock_changes_` and the MD5 of the schema's name, which fits and
    /// still differs between schemas that share a long prefix.
    static let changesChannelSQL = """
        CASE WHEN octet_length('stock_changes_' || current_schema()) <= 63
        THEN 'stock_changes_' || current_schema() ELSE 'stock_changes_' || md5(current_schema()) END
        """

    /// ``changedSinceLastCheck()`` on a server: `LISTEN` on the first call, then true when another session's
    /// commit was announced (`NOTIFY`, sent inside the committing transaction, so delivered only on commit), or,
    /// every ``ServerWatch/pollSeconds``, when the event log's newest id moved since the last poll.
    ///
    /// Each call makes one round trip (an empty query) before it reads the notifications: the server sends a
    /// listener the notifications of the commits made before the query, so a commit that another connection saw
    /// end is never reported late. This connection's own notifications move the mark the poll compares with.
    func serverChangedSinceLastCheck() throws -> Bool {
        guard let server else { return false }
        if !serverWatch.listening {
            let channel = try queryOne("SELECT \(Database.changesChannelSQL)") { $0.text(0) } ?? "stock_changes_public"
            try server.runScript("LISTEN \"\(channel.replacingOccurrences(of: "\"", with: "\"\""))\"")
            serverWatch.listening = true
            serverWatch.lastMark = try eventMark()
            serverWatch.lastPoll = monotonicNow()
            return false
        }
        try server.runScript("")
        let senders = try server.takeNotifications()
        let own = server.backendProcessID
        let announced = senders.contains { $0 != own }
        let now = monotonicNow()
        guard !senders.isEmpty || now - serverWatch.lastPoll >= ServerWatch.pollSeconds else { return false }
        serverWatch.lastPoll = now
        let mark = try eventMark()
        defer { serverWatch.lastMark = mark }
        return announced || (senders.isEmpty && mark != serverWatch.lastMark)
    }

    /// The event log's newest id: every command that changes anything records an event.
    private func eventMark() throws -> String? {
        try queryOne("SELECT coalesce(max(id), 0) FROM events") { String($0.int64(0)) }
    }
}
