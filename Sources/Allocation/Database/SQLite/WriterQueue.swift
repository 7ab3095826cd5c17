import Foundation

/// `F_OFD_SETLK` (Linux), which Glibc's module does not import.
private let setLockOFD: Int32 = 37

/// Turns for the writers of one database file, taken before `BEGIN IMMEDIATE` and given back after COMMIT or
/// ROLLBACK.
///
/// SQLite's own busy handler sleeps in growing steps, so under many writers the ones that happen to be awake keep
/// winning the short gaps between commits and a waiting writer can miss them past the busy timeout. Writers of
/// this program therefore take turns on a side file, `<database>-writers`, made with the database file's
/// permission bits:
/// - byte 0 holds an exclusive open-file-description lock (`F_OFD_SETLK`) for as long as a writer has its turn;
///   the kernel drops it if the process dies;
/// - the file's first 8 bytes count the turns taken; the next 8 are the last time (monotonic nanoseconds) a writer
///   that has waited longer than ``starving`` said it still waits.
///
/// A waiting writer tries the lock every 0.1 ms (0.05 ms once starving). While a starving writer has spoken in the
/// last ``starvingHeard`` seconds, writers that have not waited that long do not try, so the starving take the
/// next turns and no writer waits much longer than ``starving`` plus a few turns. A waiter gives up only when one
/// turn lasts longer than the busy timeout: the count not moving while the lock stays taken. Programs that do not
/// take turns (an older stock, the sqlite3 shell) still meet SQLite's busy timeout at `BEGIN IMMEDIATE`.
final class WriterQueue {
    /// The side file, open for as long as the connection; the lock belongs to this open file description.
    private let descriptor: Int32
    /// Whether this connection holds the turn now.
    private var holding = false

    /// Opens (or makes) the side file beside `databasePath`; nil when none can be used (an in-memory database, a
    /// read-only folder), and SQLite's busy timeout alone applies.
    init?(databasePath: String) {
        guard let descriptor = Self.openSideFile(for: databasePath) else { return nil }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The side file beside `databasePath`.
    static func path(for databasePath: String) -> String { databasePath + "-writers" }

    /// How long a writer waits before the others let it go first.
    static let starving = 0.050
    /// How recent a starving writer's word must be for the others to let it go first.
    static let starvingHeard = 0.002

    /// Waits for this connection's turn to write, calling `stillWaiting` with the monotonic time at every try
    /// (it decides itself how often to tell anyone) until it answers false.
    ///
    /// - Throws: `DatabaseError` (busy) when one turn held the lock longer than `busyTimeoutMilliseconds`;
    ///   ``WaitAbandoned`` when `stillWaiting` gave up.
    func takeTurn(busyTimeoutMilliseconds: Int, stillWaiting: (_ now: Double) -> Bool = { _ in true }) throws {
        try wait(descriptor, busyTimeoutMilliseconds: busyTimeoutMilliseconds, stillWaiting: stillWaiting)
        holding = true
    }

    /// Gives the turn back; does nothing when this connection does not hold it.
    func endTurn() {
        guard holding else { return }
        holding = false
        var region = flock(l_type: Int16(F_UNLCK), l_whence: Int16(SEEK_SET), l_start: 0, l_len: 1, l_pid: 0)
        _ = fcntl(descriptor, setLockOFD, &region)
    }

    private func wait(
        _ descriptor: Int32, busyTimeoutMilliseconds: Int, stillWaiting: (_ now: Double) -> Bool
    ) throws {
        let started = monotonicNow()
        var seenCount = readWord(descriptor, at: 0)
        var seenSince = started
        while true {
            let now = monotonicNow()
            let starving = now - started > Self.starving
            var nanoseconds = UInt64(now * 1e9)
            if starving {
                _ = pwrite(descriptor, &nanoseconds, 8, 8)
            }
            let heard = readWord(descriptor, at: 8)
            let deferring = !starving && nanoseconds &- heard < UInt64(Self.starvingHeard * 1e9)
            if !deferring && lock(descriptor) {
                var count = readWord(descriptor, at: 0) &+ 1
                _ = pwrite(descriptor, &count, 8, 0)
                return
            }
            let count = readWord(descriptor, at: 0)
            if count != seenCount {
                seenCount = count
                seenSince = now
            } else if (now - seenSince) * 1000 > Double(busyTimeoutMilliseconds) {
                throw DatabaseError.turnHeldTooLong(milliseconds: busyTimeoutMilliseconds)
            }
            guard stillWaiting(now) else { throw WaitAbandoned(seconds: now - started) }
            usleep(starving ? 50 : 100)
        }
    }

    /// Takes the exclusive lock on byte 0 without blocking; false when another description holds it.
    private func lock(_ descriptor: Int32) -> Bool {
        var region = flock(l_type: Int16(F_WRLCK), l_whence: Int16(SEEK_SET), l_start: 0, l_len: 1, l_pid: 0)
        return fcntl(descriptor, setLockOFD, &region) == 0
    }

    private func readWord(_ descriptor: Int32, at offset: off_t) -> UInt64 {
        var word: UInt64 = 0
        return pread(descriptor, &word, 8, offset) == 8 ? word : 0
    }

    /// Opens the side file, making it with the database file's permission bits when missing.
    private static func openSideFile(for databasePath: String) -> Int32? {
        guard !databasePath.isEmpty, databasePath != ":memory:" else { return nil }
        let path = path(for: databasePath)
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        if descriptor >= 0 { return descriptor }
        guard errno == ENOENT else { return nil }
        var status = stat()
        guard stat(databasePath, &status) == 0 else { return nil }
        let mode = status.st_mode & 0o777
        let created = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard created >= 0 else { return nil }
        _ = fchmod(created, mode)
        return created
    }
}

/// Seconds on the monotonic clock, which every process on the machine shares.
public func monotonicNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Opt-in measurement for stock-bench: when `STOCK_LOCK_WAIT_LOG` names a file, every write transaction appends
/// one line to it, the microseconds it waited for its turn and SQLite's write lock.
enum LockWaitLog {
    private static let descriptor: Int32? = {
        guard let path = ProcessInfo.processInfo.environment["STOCK_LOCK_WAIT_LOG"], !path.isEmpty else { return nil }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        return descriptor >= 0 ? descriptor : nil
    }()

    static func record(seconds: Double) {
        guard let descriptor else { return }
        let line = Array("\(Int((seconds * 1e6).rounded()))\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
