import Foundation

/// A write refused because ``Database/whileWaiting`` gave up waiting for another connection's write lock.
public struct WaitAbandoned: Error, CustomStringConvertible, Sendable {
    /// How long the connection had waited.
    public let seconds: Double

    public var description: String {
        "gave up waiting for the database after \(String(format: "%.1f", seconds)) s; nothing changed"
    }
}

extension Database {
    /// Called about every 100 ms while this connection waits for another's write lock (its turn among stock's
    /// writers, or SQLite's lock held by another program), with the seconds waited so far; returning false gives
    /// up, and the write fails with ``WaitAbandoned`` having changed nothing.
    ///
    /// The console sets it while it carries out a command, to keep its screen and keys alive.
    public var whileWaiting: ((_ waitedSeconds: Double) -> Bool)? {
        get { connection.whileWaiting }
        set { connection.whileWaiting = newValue }
    }
}
