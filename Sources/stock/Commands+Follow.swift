import Allocation
import Foundation

/// `events --follow` stopped: its database file was removed or replaced, so nothing more will ever be committed
/// to the file it follows.
struct FileLost: Error, CustomStringConvertible {
    let path: String

    var description: String { FileWatch.lostMessage(name: path) + "; stopped following it" }
}

extension Tool {
    /// Calls `onChange` with the database whenever any connection commits to it, polling every refresh interval,
    /// until the process is stopped or the database file is removed or replaced (``FileWatch``, as the console).
    ///
    /// `onChange` runs once right after the first check too: a commit that landed between the caller's first read
    /// and that check counts for no later check, and would otherwise wait for the next commit to be seen. It
    /// answers whether it left something to read that no commit will announce (``EventFollower/isHoldingBack``):
    /// then it runs again at the next tick.
    ///
    /// On a server, a lost connection is said on standard error and a new session is opened through the same
    /// address about once a second; with several hosts in it, that may be another host (a standby promoted after
    /// its primary died), which is named: `reconnected: now on h2:5433`. Then it reads at once, going on from
    /// where it was: the transactions' ids it orders by are the same on a promoted standby.
    ///
    /// - Throws: ``FileLost`` (exit 3) when the path no longer names the file followed.
    func follow(_ first: Database, onChange: (Database) throws -> Bool) throws -> Never {
        let watch = FileWatch.watching(first)
        var database = first
        var again = true
        var checked = false
        while true {
            do {
                if !checked {
                    _ = try database.changedSinceLastCheck()
                    checked = true
                } else {
                    usleep(UInt32(settings.refreshMilliseconds) * 1000)
                    again = try database.changedSinceLastCheck() || again
                }
                if again { again = try onChange(database) }
                if let watch, !watch.isIntact { throw FileLost(path: watch.path) }
            } catch let error as DatabaseError
                where error.lostConnection && database.features.lossDetection == .reconnect
            {
                printError(operatorMessage(for: error) + "; reconnecting")
                database = reconnected()
                printError("reconnected: now on \(database.serverPlacement ?? "the database server")")
                checked = false
                again = true
            }
        }
    }

    /// A new session at the database's address, tried about once a second until one opens.
    private func reconnected() -> Database {
        while true {
            if let fresh = try? openDatabase(access: .readOnly) { return fresh }
            sleep(1)
        }
    }
}
