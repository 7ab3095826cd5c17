import CSQLite
import Foundation

/// SQLite's busy handler for one connection, in place of `sqlite3_busy_timeout`: the same total timeout and
/// similar sleeps, but it also calls ``Database/whileWaiting`` about every ``hookInterval`` seconds, so a program
/// that does not take turns with stock's writers (the `sqlite3` shell holding `BEGIN IMMEDIATE`) never leaves
/// the waiter without a sign of life. See https://sqlite.org/c3ref/busy_handler.html.
final class BusyWaiter {
    /// How often the hook is called while waiting.
    static let hookInterval = 0.1
    /// SQLite's default busy handler's sleeps, in milliseconds, then 100 ms each.
    private static let sleeps = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]

    let timeoutSeconds: Double
    var hook: ((Double) -> Bool)?
    /// When the current wait began, set by a transaction before it takes its turn, so the figure the hook is
    /// given spans the turn and SQLite's lock alike; nil outside a transaction's start.
    var waitStarted: Double?
    /// Whether the hook gave up in the current busy episode.
    private(set) var gaveUp = false
    private var episodeStarted = 0.0
    private var lastCall = 0.0

    init(timeoutMilliseconds: Int) {
        timeoutSeconds = Double(timeoutMilliseconds) / 1000
    }

    /// The C callback: `context` is an unretained `BusyWaiter` that lives as long as its connection.
    static let callback: @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32 = { context, count in
        guard let context else { return 0 }
        return Unmanaged<BusyWaiter>.fromOpaque(context).takeUnretainedValue().retry(count: Int(count)) ? 1 : 0
    }

    /// Resets the episode's state: a new statement is about to meet the lock afresh.
    func startEpisode() {
        gaveUp = false
    }

    /// One call of SQLite's busy handler: false gives up (SQLite then reports `SQLITE_BUSY`).
    private func retry(count: Int) -> Bool {
        let now = monotonicNow()
        if count == 0 {
            gaveUp = false
            episodeStarted = now
            lastCall = waitStarted ?? now
        }
        if !call(now: now, since: waitStarted ?? episodeStarted) { return false }
        let deadline = episodeStarted + timeoutSeconds
        guard now < deadline else { return false }
        let step = Double(count < Self.sleeps.count ? Self.sleeps[count] : 100) / 1000
        let sleep = min(step, deadline - now, lastCall + Self.hookInterval - now)
        usleep(UInt32(max(0.0005, sleep) * 1e6))
        return true
    }

    /// Calls the hook when ``hookInterval`` has passed since the last call; false when it gave up.
    func call(now: Double, since started: Double) -> Bool {
        guard let hook, now - lastCall >= Self.hookInterval else { return true }
        lastCall = now
        if hook(now - started) { return true }
        gaveUp = true
        return false
    }

    /// Starts the hook's clock for a wait that does not go through SQLite (the writers' turns).
    func startTurnWait(at now: Double) {
        gaveUp = false
        lastCall = now
    }
}
