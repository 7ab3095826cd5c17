import Glibc
import Synchronization

/// The stop signal (SIGINT, SIGTERM, SIGHUP) that asked bulk work to stop, 0 while none did.
///
/// Stored by the signal handler below and read by the driver between rows; lock-free atomic operations are
/// async-signal-safe.
private let interruptSignal = Atomic<Int32>(0)

/// Stopping bulk work cleanly on Ctrl-C or SIGTERM: the rows run so far are committed and the output says up to
/// which row, instead of the process dying with the rows committed unknown.
enum Interruption {
    /// The signal received since ``catchStopSignals()``, 0 when none was.
    static var received: Int32 { interruptSignal.load(ordering: .relaxed) }

    /// From now on the first SIGINT, SIGTERM or SIGHUP is recorded instead of ending the process; a second one
    /// of the same kind ends it at once, as by default.
    static func catchStopSignals() {
        for stop in [SIGINT, SIGTERM, SIGHUP] { signal(stop, handler) }
    }
}

private let handler: @convention(c) (Int32) -> Void = { received in
    interruptSignal.store(received, ordering: .relaxed)
    signal(received, SIG_DFL)
}
