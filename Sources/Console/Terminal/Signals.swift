import CNcurses
import Glibc
import Synchronization

/// The signal that asked the console to stop (SIGINT, SIGTERM, SIGHUP, SIGQUIT), 0 while none did.
///
/// Stored by the signal handler below and read by the one loop thread between key reads. Lock-free atomic
/// operations are async-signal-safe, and relaxed ordering is enough: the value is the only thing handed over.
private let stopSignal = Atomic<Int32>(0)

/// Signal handling for the console: stop signals end the loop so the terminal is restored; crash signals restore
/// the terminal before the default action.
enum Signals {
    static var received: Int32 { stopSignal.load(ordering: .relaxed) }

    /// Unblocks the signals the console needs: a process started by Swift Testing (through tmux, too) inherits a
    /// mask blocking them, and then neither Ctrl-C, SIGTERM nor resizing would reach us.
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT] { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Installs the handlers; call before `newterm` so ncurses keeps ours instead of its own.
    ///
    /// SIGQUIT (Ctrl-\) is a stop signal too: left to the Swift runtime, its backtracer draws over the curses
    /// screen and leaves the terminal unusable.
    static func install() {
        for stop in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] { signal(stop, stopHandler) }
        for crash in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] { signal(crash, crashHandler) }
    }
}

private let stopHandler: @convention(c) (Int32) -> Void = { signal in
    stopSignal.store(signal, ordering: .relaxed)
}

private let crashHandler: @convention(c) (Int32) -> Void = { sig in
    endwin()
    signal(sig, SIG_DFL)
    raise(sig)
}
