import Allocation
import Foundation

/// `events --follow` stopped: its database file was removed or replaced, so nothing more will ever be committed
/// to the file it follows.
struct FileLost: Error, CustomStringConvertible {
    let path: String

    var description: String { FileWatch.lostMessage(name: path) + "; stopped following it" }
}

extension Tool {
    /// The `events --follow` loop: `onChange` after every commit of any connection, until the file is lost (no
    /// `watch` on a server, whose lost connection fails ``Database/changedSinceLastCheck()`` instead).
    ///
    /// `onChange` runs once right after the first check too: a commit that landed between the caller's first read
    /// and that check counts for no later check, and would otherwise wait for the next commit to be seen. It
    /// answers whether it left something to read that no commit will announce (``EventFollower/isHoldingBack``):
    /// then it runs again at the next tick.
    func follow(_ database: Database, watch: FileWatch?, onChange: () throws -> Bool) throws -> Never {
        _ = try database.changedSinceLastCheck()
        var again = try onChange()
        while true {
            usleep(UInt32(settings.refreshMilliseconds) * 1000)
            if try database.changedSinceLastCheck() || again { again = try onChange() }
            if let watch, !watch.isIntact { throw FileLost(path: watch.path) }
        }
    }
}
