import CPostgres
import CPostgresLoader
import Foundation

/// One libpq connection to a PostgreSQL server: statements are prepared once by name and run with bound text
/// parameters (never SQL built from values), and every wait for the server goes through ``wait(for:)``, which
/// calls the caller's hook about every 100 ms and cancels the statement when the hook gives up.
///
/// No wait is endless: a server that sends nothing for ``answerTimeout`` seconds (a frozen host, a partition
/// without a reset) is given up, and TCP keepalives notice a dead peer while the connection idles.
final class PostgresConnection {
    let connection: OpaquePointer
    /// The URL as given, shown with its password hidden (``ServerAddress/shown``).
    let address: ServerAddress
    private var nextStatementNumber = 0
    /// The rows the last statement that changes rows changed (``PostgresStatement/step()``).
    var lastChanges = 0
    /// What ``changedSinceLastCheck(in:)`` keeps between calls.
    var watch = ServerWatch()
    /// Called with the seconds waited while a statement waits for the server; false cancels the statement.
    var whileWaiting: ((Double) -> Bool)?
    /// Whether the last wait was given up by ``whileWaiting``.
    private(set) var gaveUp = false
    /// When the wait of the statement being run started.
    private var waitStarted = 0.0
    /// The longest a statement waits for the next word from the server before the connection is given up: the
    /// busy timeout (the server's own `lock_timeout` ends a lock wait sooner) plus the `serverTimeoutMs` setting.
    let answerTimeout: Double
    /// Whether a transaction was open (or its `BEGIN` queued) when the last statement was sent: a connection lost
    /// outside one lost nothing uncommitted.
    private var inTransactionBeforeSend = false
    /// Whether the transaction open on this connection only reads (a read snapshot's `… READ ONLY`) or the whole
    /// session does: losing one loses nothing uncommitted, so its loss does not say so.
    private var transactionReadsOnly = false
    /// A `.readOnly` session: every transaction it opens only reads.
    var sessionReadsOnly = false
    /// Whether a `COMMIT` is under way: a connection lost meanwhile leaves its outcome unknown.
    private var committing = false
    /// The SQLSTATE of the last warning the server sent while a `COMMIT` was under way, such as `57P01` when it
    /// ended the session after committing locally, before a synchronous standby confirmed.
    private var commitWarning: (state: String, message: String)?

    /// Connects, giving up after `timeoutSeconds` when the server does not answer, with TCP keepalives on and
    /// unacknowledged data given up after `answerTimeoutMilliseconds` (`tcp_user_timeout`).
    ///
    /// libpq reads what the URL leaves out from the `PG*` environment variables (`PGHOST`, `PGPORT`, `PGUSER`,
    /// `PGPASSWORD`, `PGDATABASE`), so `postgresql://` alone connects where they say; a URL setting keepalives
    /// itself overrides these.
    ///
    /// - Throws: `SettingsError` for a URL that cannot be read (``ServerAddress/problem``); `DatabaseError`
    ///   naming the server and what went wrong (refused, no answer, login refused).
    init(address: ServerAddress, timeoutSeconds: Int, answerTimeoutMilliseconds: Int) throws {
        if let failure = stock_libpq_failure() {
            throw DatabaseError.server(
                message: "cannot connect to a PostgreSQL server: \(String(cString: failure)) (install libpq5)",
                state: "08001")
        }
        if let problem = address.problem { throw SettingsError(message: problem) }
        self.address = address
        answerTimeout = Double(answerTimeoutMilliseconds) / 1000
        let idle = max(1, answerTimeoutMilliseconds / 3000)
        let keywords = [
            "connect_timeout", "application_name", "keepalives", "keepalives_idle", "keepalives_interval",
            "keepalives_count", "tcp_user_timeout", "dbname",
        ]
        let values = [
            String(max(1, timeoutSeconds)), "stock", "1", String(idle), String(idle), "3",
            String(answerTimeoutMilliseconds), address.url,
        ]
        let opened = withCStrings(keywords) { keywordPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let opened else {
            throw DatabaseError.server(message: "cannot connect to \(address.shown): out of memory", state: "08001")
        }
        guard PQstatus(opened) == CONNECTION_OK else {
            let reason = PostgresConnection.trimmed(PQerrorMessage(opened))
            PQfinish(opened)
            throw DatabaseError.server(
                message: PostgresConnection.connectionFailure(reason, address: address), state: "08001")
        }
        connection = opened
        PQsetNoticeReceiver(connection, PostgresConnection.noticeReceiver, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Keeps the warnings a `COMMIT` draws (``commitWarning``); other notices are dropped.
    private static let noticeReceiver: PQnoticeReceiver = { context, result in
        guard let context, let result else { return }
        let connection = Unmanaged<PostgresConnection>.fromOpaque(context).takeUnretainedValue()
        guard connection.committing else { return }
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message = [UInt8(ascii: "M"), UInt8(ascii: "D")].compactMap {
            PQresultErrorField(result, Int32($0)).map { String(cString: $0) }
        }.joined(separator: " ")
        connection.commitWarning = (state, message)
    }

    deinit {
        PQfinish(connection)
    }

    /// An operator's sentence for a failed connection, from libpq's message.
    private static func connectionFailure(_ reason: String, address: ServerAddress) -> String {
        let lowered = reason.lowercased()
        if lowered.contains("password authentication failed") || lowered.contains("no password supplied") {
            return "the PostgreSQL server at \(address.shown) refused the login: \(reason)"
        }
        if lowered.contains("timeout expired") {
            return "the PostgreSQL server at \(address.shown) did not answer in time (\(reason))"
        }
        if lowered.contains("connection refused") || lowered.contains("no such file or directory") {
            return "cannot reach the PostgreSQL server at \(address.shown): nothing is listening there; is the "
                + "server running? (\(reason))"
        }
        return "cannot connect to the PostgreSQL server at \(address.shown): \(reason)"
    }

    /// libpq's message without its trailing newline and with its lines joined.
    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The server this connection reached, as `HOST:PORT` (a local socket's folder for its host): with several
    /// hosts in the address, the one libpq chose.
    var hostAndPort: String {
        let host = PQhost(connection).map { String(cString: $0) } ?? ""
        let port = PQport(connection).map { String(cString: $0) } ?? ""
        return port.isEmpty ? host : "\(host):\(port)"
    }

    /// Whether the server last said it is a hot standby (`in_hot_standby`, which PostgreSQL 14 and later report
    /// when a session starts and, after a promotion, with the session's next answer).
    var saysStandby: Bool {
        PQparameterStatus(connection, "in_hot_standby").map { String(cString: $0) } == "on"
    }

    /// Whether the server is a standby now: asked (`pg_is_in_recovery()`) only when it last said it was one, as
    /// a promotion is reported late to a session that was idle through it.
    func isStandby(in database: Database) throws -> Bool {
        guard saysStandby else { return false }
        return try database.queryOne("SELECT pg_is_in_recovery()") { $0.text(0) == "t" } ?? false
    }

    /// The process id of this connection's server process, which tells its own notifications from others'.
    var backendProcessID: Int32 { PQbackendPID(connection) }

    /// Whether a transaction is open (or failed and not yet rolled back) on this connection, or its `BEGIN` waits
    /// to be sent with the next statement.
    var isInTransaction: Bool {
        !pending.isEmpty || PQtransactionStatus(connection) != PQTRANS_IDLE
    }

    /// Whether a transaction that may write is open or queued: what a lost connection loses uncommitted. A connection
    /// already known to be lost is in no transaction (libpq's status is then unknown): it had nothing left to lose.
    private var holdsWriteTransaction: Bool {
        let status = PQtransactionStatus(connection)
        let open =
            !pending.isEmpty || status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
        return open && !transactionReadsOnly && !sessionReadsOnly
    }

    /// Whether the connection to the server is still usable.
    var isConnected: Bool { !abandoned && PQstatus(connection) == CONNECTION_OK }

    /// Prepares `sql` (with `$1` … placeholders) under a new name and returns the name.
    func prepareOnServer(_ sql: String) throws -> String {
        nextStatementNumber += 1
        let name = "stock_\(nextStatementNumber)"
        guard PQsendPrepare(connection, name, sql, 0, nil) == 1 else { throw failure(sql: sql) }
        let result = try wait(for: sql)
        PQclear(result)
        return name
    }

    /// Runs a prepared statement with `arguments` bound in order, NULL for `.null`; the caller clears the result.
    ///
    /// - Throws: `DatabaseError` (SQLSTATE 22021, as the server's own) for text holding a NUL character, which
    ///   PostgreSQL's text cannot store and a C string would silently cut short.
    func run(prepared name: String, sql: String, arguments: [SQLValue]) throws -> OpaquePointer {
        for case .text(let string) in arguments where string.utf8.contains(0) {
            throw DatabaseError.server(
                message: "PostgreSQL cannot store text holding a NUL character (U+0000)", state: "22021", sql: sql,
                path: address.shown)
        }
        let texts: [String?] = arguments.map {
            switch $0 {
            case .null: nil
            case .integer(let number): String(number)
            case .text(let string): string
            }
        }
        committing = sql == "COMMIT"
        commitWarning = nil
        if pending.isEmpty, sql.hasPrefix("BEGIN") { transactionReadsOnly = sql.hasSuffix("READ ONLY") }
        inTransactionBeforeSend = holdsWriteTransaction
        defer { committing = false }
        let result: OpaquePointer
        if !pending.isEmpty {
            let earlier = pending
            pending = []
            result = try runAfter(earlier, prepared: name, sql: sql, texts: texts)
        } else {
            guard send(prepared: name, texts: texts) else { throw failure(sql: sql) }
            result = try wait(for: sql)
        }
        if committing, let warning = commitWarning { warnedCommit = committedWithWarning(warning) }
        return result
    }

    /// What a `COMMIT` that succeeded with a warning means for the operator. Stopped while it waited for a
    /// synchronous standby (`Esc`), the server still commits, locally, and warns so.
    private func committedWithWarning(_ warning: (state: String, message: String)) -> String {
        guard gaveUp || warning.message.contains("synchronous replication") else {
            return "the server warned as it committed: \(warning.message)"
        }
        return "committed on the primary, which has not heard from its synchronous standby (waiting for it was "
            + "stopped): should the primary be lost before the standby has it, the change is lost with it"
    }

    /// The words for the last `COMMIT` that succeeded with a warning, until taken (``Database/takeCommitWarning()``).
    var warnedCommit: String?

    /// Sends a prepared statement with its parameters as text (nil for NULL), without waiting for the answer.
    private func send(prepared name: String, texts: [String?] = []) -> Bool {
        withOptionalCStrings(texts) { pointers in
            PQsendQueryPrepared(connection, name, Int32(texts.count), pointers, nil, nil, 0)
        } == 1
    }

    /// Prepared statements without parameters whose answers tell the caller nothing it needs (a transaction's
    /// `BEGIN`, a group's `SAVEPOINT` and `RELEASE`), not sent yet: they go to the server together with the next
    /// statement, in one round trip (``runAfter(_:prepared:sql:texts:)``).
    var pending: [(name: String, sql: String)] = []

    /// Queues `statement`, prepared on this connection without parameters, to go with the next one (``pending``).
    func sendWithNext(_ statement: PostgresStatement) {
        if pending.isEmpty { transactionReadsOnly = statement.sql.hasSuffix("READ ONLY") }
        pending.append((statement.name, statement.sql))
    }

    /// Sends the `earlier` statements and then this one in libpq's pipeline mode, all before reading any answer,
    /// and returns this statement's result; the first error among them is thrown once every answer up to the
    /// pipeline's sync has been read, so the connection is ready for the next statement. A statement after a
    /// failed one is not run by the server.
    private func runAfter(
        _ earlier: [(name: String, sql: String)], prepared name: String, sql: String, texts: [String?]
    ) throws -> OpaquePointer {
        guard PQenterPipelineMode(connection) == 1 else { throw failure(sql: earlier[0].sql) }
        defer { _ = PQexitPipelineMode(connection) }
        let sentEarlier = earlier.allSatisfy { send(prepared: $0.name) }
        guard sentEarlier, send(prepared: name, texts: texts), PQpipelineSync(connection) == 1,
            PQflush(connection) == 0
        else {
            throw failure(sql: sql)
        }
        var firstError: (any Error)?
        for (index, statement) in earlier.enumerated() {
            do {
                PQclear(try wait(for: statement.sql, continuing: index > 0))
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        var result: OpaquePointer?
        do {
            result = try wait(for: sql, continuing: true)
        } catch {
            if firstError == nil { firstError = error }
        }
        // The first error wins here too: after a connection given up as silent, reading the sync fails as well,
        // and that failure must not hide why.
        do {
            try waitForSync(sql: sql)
        } catch {
            if firstError == nil { firstError = error }
        }
        if let firstError {
            if let result { PQclear(result) }
            throw firstError
        }
        guard let result else { throw failure(sql: sql) }
        return result
    }

    /// Reads the pipeline's sync, the last answer to ``runAfter(_:prepared:sql:texts:)``.
    private func waitForSync(sql: String) throws {
        while true {
            try receive(sql: sql)
            guard let result = PQgetResult(connection) else {
                guard isConnected else { throw failure(sql: sql) }
                continue
            }
            let status = PQresultStatus(result)
            PQclear(result)
            if status == PGRES_PIPELINE_SYNC { return }
        }
    }

    /// Runs `script`, which may hold several statements and no parameters (the schema, session settings); a
    /// ``pending`` statement (a `BEGIN`) is sent first, so the script runs inside the transaction.
    func runScript(_ script: String) throws {
        if !pending.isEmpty {
            let first = pending.removeFirst()
            PQclear(try run(prepared: first.name, sql: first.sql, arguments: []))
        }
        inTransactionBeforeSend = holdsWriteTransaction
        guard PQsendQuery(connection, script) == 1 else { throw failure(sql: script) }
        PQclear(try wait(for: script))
    }

    /// Waits for the answer to the statement just sent and returns its result, reading every result libpq has
    /// for it; calls ``whileWaiting`` about every 100 ms, and cancels the statement when it gives up.
    ///
    /// - Throws: `DatabaseError` with the server's SQLSTATE, or one saying the connection was lost.
    ///
    /// - Parameter continuing: true for the second answer of a pipeline, whose wait goes on from the first's (the
    ///   server sends both answers together, so the hook may have given up while the first was awaited).
    private func wait(for sql: String, continuing: Bool = false) throws -> OpaquePointer {
        if !continuing {
            gaveUp = false
            waitStarted = monotonicNow()
        }
        var lastCall = monotonicNow()
        var cancelled = gaveUp
        try receive(sql: sql) {
            let now = monotonicNow()
            guard let whileWaiting, !cancelled, now - lastCall >= 0.1 else { return }
            lastCall = now
            if !whileWaiting(now - waitStarted) {
                gaveUp = true
                cancelled = true
                cancel()
            }
        }
        var last: OpaquePointer?
        var error: DatabaseError?
        while let result = PQgetResult(connection) {
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                if let last { PQclear(last) }
                last = result
            default:
                if error == nil { error = serverError(result, sql: sql) }
                PQclear(result)
            }
        }
        if let error {
            if let last { PQclear(last) }
            if gaveUp { throw WaitAbandoned(seconds: monotonicNow() - waitStarted) }
            throw error
        }
        guard let last else { throw failure(sql: sql) }
        return last
    }

    /// Reads what the server sends until libpq holds a whole answer, waiting at most 100 ms at a time and calling
    /// `tick` after each wait; gives the connection up when the server sends nothing for ``answerTimeout``.
    ///
    /// - Throws: `DatabaseError` when the connection fails or the server stops answering.
    private func receive(sql: String, tick: () -> Void = {}) throws {
        var lastHeard = monotonicNow()
        while PQisBusy(connection) == 1 {
            var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            guard PQconsumeInput(connection) == 1 else { throw failure(sql: sql) }
            let now = monotonicNow()
            if ready > 0 {
                lastHeard = now
            } else if now - lastHeard >= answerTimeout {
                throw giveUp(sql: sql, silentFor: now - lastHeard)
            }
            tick()
        }
    }

    /// Closes the socket of a server that stopped answering, so nothing more is sent or awaited on this
    /// connection (it reads as lost from now on), and returns the error saying so. No cancel request is sent:
    /// libpq makes it with a blocking connect, which a partitioned host would never answer.
    private func giveUp(sql: String, silentFor seconds: Double) -> DatabaseError {
        shutdown(PQsocket(connection), Int32(SHUT_RDWR))
        _ = PQconsumeInput(connection)
        abandoned = true
        let reason = String(
            format: "the server sent nothing for %.1f s, the busy timeout plus serverTimeoutMs: a frozen server or "
                + "host, or a network that drops packets", seconds)
        return lostConnection(reason, sql: sql)
    }

    /// Whether ``giveUp(sql:silentFor:)`` closed the connection.
    private var abandoned = false

    /// Asks the server to stop the statement running on this connection.
    private func cancel() {
        guard let canceller = PQgetCancel(connection) else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(canceller, &buffer, Int32(buffer.count))
        PQfreeCancel(canceller)
    }

    /// The error of a failed result, with its SQLSTATE.
    private func serverError(_ result: OpaquePointer, sql: String) -> DatabaseError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
        let message = primary ?? PostgresConnection.trimmed(PQresultErrorMessage(result))
        // Class 57P is the server ending the session (terminated by an administrator, shutting down).
        if state.hasPrefix("08") || state.hasPrefix("57P") || !isConnected {
            return lostConnection(message, sql: sql)
        }
        return DatabaseError.server(message: message, state: state, sql: sql, path: address.shown)
    }

    /// The error of a call that failed before the server answered: most often a lost connection.
    private func failure(sql: String) -> DatabaseError {
        let reason = PostgresConnection.trimmed(PQerrorMessage(connection))
        return isConnected
            ? DatabaseError.server(message: reason, state: "", sql: sql, path: address.shown)
            : lostConnection(reason, sql: sql)
    }

    /// The error of a lost connection: the transaction under way was not committed, except when the loss came
    /// during its `COMMIT`, whose outcome is then unknown (SQLSTATE 08007, ``DatabaseError/Kind/commitUnknown``).
    private func lostConnection(_ reason: String, sql: String) -> DatabaseError {
        let lost = "lost the connection to the PostgreSQL server at \(address.shown)"
        guard committing else {
            let uncommitted = inTransactionBeforeSend ? "; the transaction under way was not committed" : ""
            return DatabaseError.server(
                message: "\(lost)\(uncommitted) (\(reason))", state: "08006", sql: sql, path: address.shown)
        }
        // The server commits locally before it waits for a synchronous standby; ended while it waits, it warns
        // (class 57P) that the commit is already made here but may not have reached the standby.
        let outcome =
            if let warning = commitWarning, warning.state.hasPrefix("57P") {
                "while it committed; the server said before it went that the transaction had committed on it but "
                    + "might not have reached its standby (\(warning.message))"
            } else {
                "while it committed: the transaction under way may or may not have been committed (the outcome is "
                    + "unknown)"
            }
        return DatabaseError.server(
            message: "\(lost) \(outcome); see what was recorded with `stock history` or `stock events`, whose "
                + "last event id shows the last change committed (\(reason))",
            state: "08007", sql: sql, path: address.shown)
    }

    /// Reads what the server sent without waiting and returns the notifications that arrived, as the process
    /// ids of the server processes that sent them.
    func takeNotifications() throws -> [Int32] {
        guard PQconsumeInput(connection) == 1 else { throw failure(sql: "LISTEN") }
        var senders: [Int32] = []
        while let notification = PQnotifies(connection) {
            senders.append(notification.pointee.be_pid)
            PQfreemem(notification)
        }
        return senders
    }
}

/// Calls `body` with a NULL-terminated array of C strings that live for the call.
private func withCStrings<T>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    withOptionalCStrings(strings + [nil] as [String?], body)
}

/// Calls `body` with C strings for `strings` (NULL for nil) that live for the call.
private func withOptionalCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } })
}
