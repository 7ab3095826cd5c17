import Allocation
import Foundation

/// Prints `text` and a newline on standard output.
///
/// - Returns: ``ExitStatus/done``, for a subcommand whose last step is to print its answer.
@discardableResult
func printOut(_ text: String) -> ExitStatus {
    print(text)
    return .done
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Lines for standard output gathered into writes of about 64 KiB: a listing of a million lines makes a few
/// thousand `write` calls, not a million `print`s.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private let descriptor: Int32
    private let name: String
    private let flushAt: Int

    init(descriptor: Int32 = STDOUT_FILENO, name: String = "standard output", flushAt: Int = 1 << 16) {
        self.descriptor = descriptor
        self.name = name
        self.flushAt = flushAt
        bytes.reserveCapacity(flushAt + 4096)
    }

    /// Appends `text` and a newline, writing what is gathered once it passes 64 KiB.
    ///
    /// - Throws: `OutputError` when the write fails.
    mutating func line(_ text: String) throws {
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= flushAt { try flush() }
    }

    /// Appends what `write` appends and a newline, when it returns true, writing what is gathered once it passes
    /// 64 KiB.
    ///
    /// - Returns: what `write` returned.
    /// - Throws: `OutputError` when the write fails.
    mutating func line(_ write: (inout [UInt8]) -> Bool) throws -> Bool {
        guard write(&bytes) else { return false }
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= flushAt { try flush() }
        return true
    }

    /// Appends `text` as it is, writing what is gathered once it passes 64 KiB.
    ///
    /// - Throws: `OutputError` when the write fails.
    mutating func raw(_ text: String) throws {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= flushAt { try flush() }
    }

    /// Appends `values` as ``jsonArray(_:)`` joins them, and a newline, without holding the whole array's text.
    ///
    /// - Throws: `OutputError` when a write fails.
    mutating func jsonArrayLine(_ values: some Sequence<String>) throws {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for value in values {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            bytes.append(contentsOf: value.utf8)
            if bytes.count >= flushAt { try flush() }
        }
        try line("]")
    }

    /// Writes what is gathered, after anything `print` left in the C library's buffer.
    ///
    /// - Throws: `OutputError` when the write fails.
    mutating func flush() throws {
        fflush(nil)
        guard !bytes.isEmpty else { return }
        try OutputFile.writeAll(bytes, to: descriptor, name: name)
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Left-aligned columns separated by two spaces, for the human-readable listings.
///
/// Cells are sanitized and measured by the console's rules (``TerminalText``): CJK characters take two cells,
/// and a control character or text-direction mark that reached the database by another way than `stock` shows
/// as `?`, never written to the terminal.
struct TextTable {
    private var rows: [[String]]

    init(header: [String]) {
        rows = [header]
    }

    mutating func add(_ row: [String]) {
        rows.append(row.map { TerminalText.sanitized($0) })
    }

    var text: String {
        let widths = rows[0].indices.map { column in rows.map { TerminalText.width($0[column]) }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - TerminalText.width($0)) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}

/// A failure to write output (an export's file, standard output, standard error). Exit status 3.
struct OutputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Replacing a file whole: written beside it under a temporary name, then renamed over it.
enum OutputFile {
    /// Writes `path` through `body`, which gets a descriptor open for writing; the file appears, or replaces the
    /// one there, only when `body` and the flush to disk succeeded. The new file keeps an existing file's
    /// permissions, else gets those `>` would give (0666 less the umask). A symbolic link is followed: its target
    /// is replaced.
    ///
    /// - Throws: `OutputError` when `path` is a folder or the file at `sparing` (the database), or when the
    ///   file cannot be written; what `body` throws. The temporary file is removed on any failure.
    static func replace(_ path: String, sparing protected: String, body: (Int32) throws -> Void) throws {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var existing = stat()
        let exists = stat(resolved, &existing) == 0
        if exists, existing.st_mode & S_IFMT == S_IFDIR {
            throw OutputError(message: "cannot write \(path): it is a folder")
        }
        if exists, let identity = FileIdentity(path: resolved), identity == FileIdentity(path: protected) {
            throw OutputError(message: "cannot write \(path): it is the database")
        }
        let folder = (resolved as NSString).deletingLastPathComponent
        let name = (resolved as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.\(name).XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else { throw OutputError(message: "cannot write \(path): \(systemReason())") }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var closed = false
        do {
            try body(descriptor)
            let mask = umask(0)
            umask(mask)
            let mode = exists ? existing.st_mode & 0o7777 : 0o666 & ~mask
            guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else {
                throw OutputError(message: "cannot write \(path): \(systemReason())")
            }
            closed = true
            guard close(descriptor) == 0, rename(temporary, resolved) == 0 else {
                throw OutputError(message: "cannot write \(path): \(systemReason())")
            }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw error
        }
    }

    /// Writes every byte, again after an interruption by a signal.
    ///
    /// - Throws: `OutputError` naming `name` and the system's reason (a full disk, a closed pipe).
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, name: String) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let rest = UnsafeRawBufferPointer(rebasing: raw[done...])
                let count = write(descriptor, rest.baseAddress, rest.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw OutputError(message: "cannot write \(name): \(systemReason())")
                }
                done += count
            }
        }
    }

    private static func systemReason() -> String {
        String(cString: strerror(errno))
    }
}
