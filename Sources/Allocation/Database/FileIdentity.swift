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
