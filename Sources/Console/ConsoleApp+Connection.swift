import Allocation
import Foundation

/// The console's database trouble: a problem said in the status line, a file removed or replaced under it, a
/// server connection lost and made again.
extension ConsoleApp {
    /// Shows a database problem in the status line and keeps running; true when the message is new. A lost
    /// server connection is remembered, so the next ticks reconnect.
    func complain(_ error: any Error) -> Bool {
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

    /// Goes on over a new connection to the same database: reloads every screen from it, holds the pause's
    /// snapshot on it, and says `message`.
    func adopt(_ fresh: Database, saying message: String, style: Style) {
        database = fresh
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
        adopt(fresh, saying: "reconnected to the database server", style: .ok)
        return true
    }
}
