import Foundation

/// `F_OFD_SETLK` and `F_OFD_GETLK` (Linux), which Glibc's module does not import.
private let setLockOFD: Int32 = 37
private let getLockOFD: Int32 = 36

/// Turns for the writers of one database file, taken before `BEGIN IMMEDIATE` and given back after COMMIT or
/// ROLLBACK.
///
/// SQLite's own busy handler sleeps in growing steps, so under many writers the ones that happen to be awake keep
/// winning the short gaps between commits and a waiting writer can miss them past the busy timeout. Writers of
/// this program therefore take turns on a side file, `<database>-writers`, made with the database file's
/// permission bits:
/// - byte 0 holds an exclusive open-file-description lock (`F_OFD_SETLK`) for as long as a writer has its turn;
/// - byte 1 holds a shared lock from every writer waiting for a turn;
/// - the file's first 8 bytes count the turns taken and the next 4 name the process that took the last one.
///
/// A waiting writer tries the lock in short steps, shorter the longer it has waited. A writer whose process took
/// the last turn lets the others go first while any wait (for at most ``politeness``), so a process that commits
/// and at once wants the next turn cannot keep the lock to itself. A waiter gives up only when one turn lasts
/// longer than the busy timeout: the count not moving while the lock stays taken. Locks die with their process.
/// Programs that do not take turns (an older stock, the sqlite3 shell) still meet SQLite's busy timeout at
/// `BEGIN IMMEDIATE`, and read-only connections never take a turn.
final class WriterTurn {
    private var descriptor: Int32?

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The side file beside `databasePath`.
    static func path(for databasePath: String) -> String { databasePath + "-writers" }

    /// How long a writer that took the last turn waits for a waiting writer to take the next.
    static let politeness = 0.020

    /// Waits for this process's turn to write `databasePath`; nil when no side file can be used (an in-memory
    /// database, a read-only folder), and SQLite's busy timeout alone applies.
    ///
    /// - Throws: `DatabaseError` (busy) when one turn held the lock longer than `busyTimeoutMilliseconds`.
    static func take(databasePath: String, busyTimeoutMilliseconds: Int) throws -> WriterTurn? {
        guard let descriptor = openSideFile(for: databasePath) else { return nil }
        let turn = WriterTurn(descriptor: descriptor)
        do {
            try turn.wait(descriptor, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            turn.end()
            throw error
        }
        return turn
    }

    /// Gives the turn back (closing the descriptor drops its locks); later calls do nothing.
    func end() {
        if let descriptor { close(descriptor) }
        descriptor = nil
    }

    private func wait(_ descriptor: Int32, busyTimeoutMilliseconds: Int) throws {
        let started = monotonicNow()
        var waiting = false
        defer { if waiting { _ = lock(descriptor, F_UNLCK, byte: 1) } }
        var seenCount = readCount(descriptor)
        var seenSince = started
        while true {
            let now = monotonicNow()
            let deferring =
                now - started < Self.politeness && readLastHolder(descriptor) == getpid() && othersWait(descriptor)
            if !deferring && lock(descriptor, F_WRLCK, byte: 0) {
                var count = readCount(descriptor) &+ 1
                var holder = getpid()
                _ = pwrite(descriptor, &count, 8, 0)
                _ = pwrite(descriptor, &holder, 4, 8)
                return
            }
            if !waiting { waiting = lock(descriptor, F_RDLCK, byte: 1) }
            let count = readCount(descriptor)
            if count != seenCount {
                seenCount = count
                seenSince = now
            } else if !deferring && (now - seenSince) * 1000 > Double(busyTimeoutMilliseconds) {
                throw DatabaseError.turnHeldTooLong(milliseconds: busyTimeoutMilliseconds)
            }
            usleep(now - started < 0.050 ? 500 : 100)
        }
    }

    /// Takes (or with `F_UNLCK` drops) a lock on one byte without blocking; false when another description holds
    /// a conflicting one.
    private func lock(_ descriptor: Int32, _ type: Int32, byte: Int) -> Bool {
        var region = flock(l_type: Int16(type), l_whence: Int16(SEEK_SET), l_start: off_t(byte), l_len: 1, l_pid: 0)
        return fcntl(descriptor, setLockOFD, &region) == 0
    }

    /// Whether another writer holds its waiting lock on byte 1.
    private func othersWait(_ descriptor: Int32) -> Bool {
        var region = flock(l_type: Int16(F_WRLCK), l_whence: Int16(SEEK_SET), l_start: 1, l_len: 1, l_pid: 0)
        return fcntl(descriptor, getLockOFD, &region) == 0 && region.l_type != Int16(F_UNLCK)
    }

    private func readCount(_ descriptor: Int32) -> UInt64 {
        var count: UInt64 = 0
        return pread(descriptor, &count, 8, 0) == 8 ? count : 0
    }

    private func readLastHolder(_ descriptor: Int32) -> pid_t {
        var holder: pid_t = 0
        return pread(descriptor, &holder, 4, 8) == 4 ? holder : 0
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
func monotonicNow() -> Double {
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
