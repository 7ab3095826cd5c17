import Allocation
import Foundation

/// The console's database trouble: a problem said in the status line, a file removed or replaced under it, a
/// server connection lost and made again.
extension ConsoleApp {
    /// Shows a database problem in the status line and keeps running; true when the message is new. A lost
    /// server connection is remembered, so the next ticks reconnect.
    func complain(_ error: any Error) -> Bool {
        markStale()
        let message = noticeLostConnection(error)
        let isNew = !databaseTrouble || state.status.message != message
        databaseTrouble = true
        state.status.say(message, style: .error)
        return isNew
    }

    /// Notices the database file removed or replaced under the console (``FileWatch``) and keeps saying so in
    /// the status line; true when the status line changed.
    func checkFile() -> Bool {
        guard let watch else { return false }
        if fileLost == nil, !watch.isIntact {
            let lost = FileWatch.lostMessage(name: state.status.databaseLabel)
            fileLost = lost + (reopen == nil ? "; quit and reopen" : "; reopening it when it is back")
            markStale()
        }
        guard let fileLost, state.status.message != fileLost else { return false }
        state.status.say(fileLost, style: .error)
        return true
    }

    /// The monitor, while its file is lost: opens the path again, and when that gives a stock database of the
    /// current schema, swaps the connections and reloads everything; true when it did.
    func reopenLostFile() -> Bool {
        guard fileLost != nil, let reopen, let identity = FileIdentity(path: database.path),
            let fresh = try? reopen(), FileIdentity(path: fresh.path) == identity
        else { return false }
        if database.isInReadSnapshot { try? database.endReadSnapshot() }
        watch = FileWatch(path: fresh.path)
        fileLost = nil
        // Another file's event ids say nothing of this one's.
        state.forgetEvents()
        adopt(fresh, saying: FileWatch.lostMessage(name: state.status.databaseLabel) + "; reopened it", style: .alert)
        return true
    }

    /// The data shown was just read: it is fresh, unless it was read from a file the path no longer names or over
    /// a connection being replaced.
    func noteFresh() {
        guard fileLost == nil, connectionLost == nil else { return }
        lastFresh = state.now
        state.staleSince = nil
    }

    /// Marks what is shown as stale, as of the last data read, until ``noteFresh()``; true when it was not yet.
    @discardableResult
    func markStale() -> Bool {
        guard state.staleSince == nil else { return false }
        let seconds = lastFresh ?? settings.clock.now()
        state.staleSince = ShownTime(seconds: seconds, in: state.zone).clock
        return true
    }

    /// Goes on over a new connection to the same database: reloads every screen from it, holds the pause's
    /// snapshot on it, and says `message`.
    func adopt(_ fresh: Database, saying message: String, style: Style) {
        database = fresh
        labelDatabase()
        databaseTrouble = false
        _ = try? database.changedSinceLastCheck()
        reload(all: true, follow: true)
        followPause()
        state.status.say(message, style: style)
    }

    /// The operator's words for `error`; when it is a lost server connection, remembers it (``connectionLost``)
    /// and says the console is reconnecting.
    func noticeLostConnection(_ error: any Error) -> String {
        let message = operatorMessage(for: error)
        guard let failure = error as? DatabaseError, failure.lostConnection, reconnect != nil else {
            return message
        }
        connectionLost = message + "; reconnecting"
        return message + "; reconnecting"
    }

    /// A console whose server connection was lost: opens a new session (at most once a second), swaps it and
    /// the bus in, and reloads everything; true when it did. Events committed meanwhile are flashed as usual.
    func reconnectLostServer(atOnce: Bool = false) -> Bool {
        let now = monotonicNow()
        guard connectionLost != nil, let reconnect, atOnce || now - lastReconnection >= 1 else { return false }
        lastReconnection = now
        guard let (fresh, freshBus) = try? reconnect({ [unowned self] in log($0) }) else { return false }
        if let old = bus {
            // Notifications the old bus still sends are delivered before it goes.
            old.notifications.waitForPending()
            for failure in old.notifications.takeFailures() { log(failure) }
        }
        bus = freshBus ?? bus
        connectionLost = nil
        let placement = fresh.serverPlacement.map(Self.shortPlacement) ?? "the database server"
        adopt(fresh, saying: "reconnected: now on \(placement)", style: .ok)
        return true
    }

    /// Names on the status line the host a server database is on (`stock@h2:5433`), which changes when a
    /// reconnection lands on another host of the address.
    func labelDatabase() {
        state.status.databaseHost = database.serverPlacement.map(Self.shortPlacement)
        lastReplicaCheck = -.infinity
    }

    /// `HOST:PORT` as the status line names it: a local socket, whose host is its folder, as `local:PORT`.
    static func shortPlacement(_ placement: String) -> String {
        guard placement.hasPrefix("/"), let colon = placement.lastIndex(of: ":") else { return placement }
        return "local" + placement[colon...]
    }

    /// At most once a second on a server: on a standby, whether it streams and how far behind its primary it is
    /// (`standby, lag 0.2 s`), with a warning said once when it stops streaming or lags more than `lagWarningMs`;
    /// on a primary reached through an address that asks for a standby (`prefer-standby` falls back to the
    /// primary silently), `on the primary`. True when the status line changed.
    func checkReplica() -> Bool {
        let now = monotonicNow()
        guard database.serverPlacement != nil, connectionLost == nil, now - lastReplicaCheck >= 1 else { return false }
        lastReplicaCheck = now
        let before = (state.status.serverNote, state.status.message)
        guard let replica = try? database.replicaStatus() else {
            let onPrimary = settings.databaseLocation.asksForStandby
            state.status.serverNote = onPrimary ? "on the primary" : nil
            replicaWarning = nil
            return before != (state.status.serverNote, state.status.message)
        }
        let lag = replica.lagSeconds.map { String(format: "%.1f s", $0) } ?? "unknown"
        var warning: String?
        if !replica.streaming {
            state.status.serverNote = "standby, NOT STREAMING"
            warning = "the standby is not receiving its primary's changes: what it shows may be out of date"
        } else if let seconds = replica.lagSeconds, seconds * 1000 > Double(settings.lagWarningMilliseconds) {
            state.status.serverNote = "standby, LAG \(lag)"
            warning = "the standby is \(lag) behind its primary (lagWarningMs: \(settings.lagWarningMilliseconds) ms)"
        } else {
            state.status.serverNote = "standby, lag \(lag)"
        }
        if let warning, replicaWarning == nil { state.status.say(warning, style: .alert) }
        if warning == nil, let said = replicaWarning, state.status.message == said {
            state.status.say("the standby is up to date again", style: .ok, until: Clock.system.now() + 5)
        }
        replicaWarning = warning
        return before != (state.status.serverNote, state.status.message)
    }
}
