import Foundation

extension Settings {
    /// The bytes of the settings file at `path`.
    ///
    /// - Throws: `SettingsError` naming the file and why it cannot be read: no such file, permission denied, it is
    ///   a folder, or the system's own words for a rarer failure.
    static func contents(ofSettingsFile path: String) throws -> Data {
        func refused(_ reason: String) -> SettingsError {
            SettingsError(message: "cannot read settings file \(path): \(reason)")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw refused(reason(errno)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw refused(reason(errno)) }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw refused("it is a folder") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return data }
            if count < 0 {
                if errno == EINTR { continue }
                throw refused(reason(errno))
            }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// Plain words for the failures a settings file meets most often, else the system's own.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES: "permission denied"
        case EISDIR: "it is a folder"
        case ENOTDIR: "a part of the path is not a folder"
        default: String(cString: strerror(code))
        }
    }
}
