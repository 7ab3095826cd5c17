/// SQLite's `synchronous` level: how hard a commit waits for the disk.
///
/// See https://sqlite.org/pragma.html#pragma_synchronous.
///
/// The PRAGMA is built from the case's own keyword, never from text a user typed.
public enum Synchronous: String, CaseIterable, Sendable {
    /// No fsync at all: a power loss can corrupt the file. Only for throwaway files (the bench's seeding).
    case off
    /// In WAL mode, fsync at checkpoints only: a power loss can lose the last commits, never the file.
    case normal
    /// Fsync at every commit: a commit survives power loss.
    case full
    /// As `full`, and also fsync the directory after a rollback journal is deleted.
    case extra

    /// The levels a settings file may choose: `off` risks the file itself.
    public static let settable: [Synchronous] = [.full, .normal, .extra]

    /// The PRAGMA's keyword, e.g. `FULL`.
    public var keyword: String { rawValue.uppercased() }
}
