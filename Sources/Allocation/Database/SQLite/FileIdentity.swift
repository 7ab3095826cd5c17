import Glibc

/// Which file a path names: its device and inode (https://man7.org/linux/man-pages/man2/stat.2.html).
///
/// SQLite keeps reading and writing an open database file after it is removed or replaced on disk, so commands
/// would be acknowledged and then lost with the unlinked file; comparing the path's identity with the one seen
/// at start notices that.
public struct FileIdentity: Equatable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    /// The identity of the file at `path` now; nil when there is none (or it cannot be examined).
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// Whether a database's path still names the file that was opened: the one rule by which the console, the
/// monitor and `events --follow` notice their file removed or replaced.
public struct FileWatch: Sendable {
    public let path: String
    /// The file seen when the watch began; nil when it could not be examined, and then nothing is noticed.
    private let opened: FileIdentity?

    /// Starts watching `path`, remembering the file it names now (call it right after opening the database).
    public init(path: String) {
        self.path = path
        opened = FileIdentity(path: path)
    }

    /// False once the path names no file, or another file than the one seen at start.
    public var isIntact: Bool {
        guard let opened else { return true }
        return FileIdentity(path: path) == opened
    }

    /// The words for a lost file: `database file NAME was removed or replaced`.
    public static func lostMessage(name: String) -> String {
        "database file \(name) was removed or replaced"
    }
}

extension FileWatch {
    /// A watch on `database`'s path where the engine's loss is noticed that way (``EngineFeatures/LossDetection``);
    /// nil where a lost database shows as a broken connection instead.
    public static func watching(_ database: Database) -> FileWatch? {
        database.features.lossDetection == .fileWatch ? FileWatch(path: database.path) : nil
    }
}
