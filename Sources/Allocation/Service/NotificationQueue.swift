import Foundation
import Synchronization

/// Sends notifications one after another, in the order given, on a background serial queue, so a slow notifier
/// (a `command:` that takes seconds) never holds up the operator's screen or the next command.
///
/// A failure is kept in a thread-safe mailbox until the bus's thread collects it (``takeFailures()``); a
/// command line waits for what is still being sent before it exits (``waitForPending()``), each notification bounded
/// by the notifier's own limit (``Notifier/commandTimeoutSeconds``).
public final class NotificationQueue: Sendable {
    private let queue = DispatchQueue(label: "stock.notifications")
    private let failures = Mutex<[String]>([])
    /// The notifications not yet sent or failed.
    private let pending = DispatchGroup()
    /// How many notifications have finished: what tells a long wait from a stuck one.
    private let finished = Mutex<Int>(0)

    public init() {}

    /// Sends `message` to `address` after everything enqueued before it; a failure is kept as
    /// `describe(failure)`.
    func send(
        _ message: String, to address: String, through notifier: Notifier,
        describe: @escaping @Sendable (any Error) -> String
    ) {
        pending.enter()
        queue.async { [self] in
            defer {
                finished.withLock { $0 += 1 }
                pending.leave()
            }
            do {
                try notifier.send(message, to: address)
            } catch {
                failures.withLock { $0.append(describe(error)) }
            }
        }
    }

    /// The failures since the last call, oldest first; the mailbox is emptied.
    public func takeFailures() -> [String] {
        failures.withLock { taken in
            defer { taken.removeAll() }
            return taken
        }
    }

    /// Waits until every notification enqueued so far is sent or has failed; gives up only when none finishes for
    /// longer than one notifier command may run.
    ///
    /// - Returns: false when it gave up.
    @discardableResult
    public func waitForPending() -> Bool {
        while true {
            let before = finished.withLock { $0 }
            if pending.wait(timeout: .now() + Notifier.commandTimeoutSeconds + 1) == .success { return true }
            if finished.withLock({ $0 }) == before { return false }
        }
    }
}
