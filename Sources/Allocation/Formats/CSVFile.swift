import Foundation

/// A CSV file checked whole before anything is applied, then read again record by record.
///
/// ``open(_:kind:)`` reads every record once: a file malformed anywhere (see ``CSVReader``) or with a bad header
/// is refused before a single row is applied. ``records()`` then reads the same bytes again. A regular file
/// (including standard input redirected from one) is read twice through the descriptor opened first, so removing
/// or replacing the path meanwhile changes nothing; a pipe or terminal is copied while it is checked into an
/// unlinked temporary file, which the second reading reads. Memory holds one record at a time either way.
public final class CSVFile {
    /// The path, or `standard input` for `-`.
    public let name: String
    /// The header's column names, as written (trimmed of surrounding spaces).
    public let header: [String]
    /// The line the header is on.
    public let headerLine: Int
    /// The number of data records (blank ones not counted).
    public let rowCount: Int
    /// The header's columns not read, as written (``CSVImport/HeaderOptions/ignoresUnknownColumns``).
    public let ignoredColumns: [String]
    /// What separates the fields.
    public let separator: CSVSeparator
    private let renamedColumns: [String: String]
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Where the CSV starts in the descriptor: standard input may have been read in part before.
    private let startOffset: Int
    /// Size and modification time of a regular file when it was checked; nil for a spooled copy.
    private let checkedState: FileState?

    private struct FileState: Equatable {
        let size: Int64
        let modified: timespec

        static func == (a: FileState, b: FileState) -> Bool {
            a.size == b.size && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
        }

        /// The state of a regular file; nil for anything else.
        init?(_ descriptor: Int32) {
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            size = Int64(status.st_size)
            modified = status.st_mtim
        }
    }

    /// Opens `path` (`-` for standard input) and checks every record and the header for `kind`, read with
    /// `options`.
    ///
    /// - Throws: ``CSVError`` naming the line of the first malformed record, an empty file (`no header row`) or
    ///   a bad header; `InputError` when the file cannot be opened or read.
    public static func open(
        _ path: String, kind: CSVImport.Kind, options: CSVImport.HeaderOptions = CSVImport.HeaderOptions()
    ) throws -> CSVFile {
        if path == "-" {
            return try CSVFile(
                descriptor: STDIN_FILENO, name: "standard input", owns: false, kind: kind, options: options)
        }
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InputError(message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        do {
            return try CSVFile(descriptor: descriptor, name: path, owns: true, kind: kind, options: options)
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Checks what `input` holds; `owns`: the file closes `input` when done with it.
    init(
        descriptor input: Int32, name: String, owns: Bool, kind: CSVImport.Kind,
        options: CSVImport.HeaderOptions = CSVImport.HeaderOptions()
    ) throws {
        self.name = name
        renamedColumns = options.readerRenaming
        var status = stat()
        guard fstat(input, &status) == 0 else {
            throw InputError(message: "cannot read \(name): \(String(cString: strerror(errno)))")
        }
        guard status.st_mode & S_IFMT != S_IFDIR else { throw InputError(message: "\(name) is a folder, not a file") }
        let state = FileState(input)
        let reader: CSVReader
        if state != nil {
            descriptor = input
            ownsDescriptor = owns
            startOffset = max(0, Int(lseek(input, 0, SEEK_CUR)))
            reader = CSVReader(descriptor: input, name: name, fromOffset: startOffset)
        } else {
            descriptor = try CSVFile.temporaryFile()
            ownsDescriptor = true
            startOffset = 0
            reader = CSVReader(descriptor: input, name: name, copy: descriptor)
        }
        reader.renamedColumns = renamedColumns
        do {
            header = try reader.readHeader()
            headerLine = reader.headerLine
            separator = reader.separator
            ignoredColumns = try kind.checkHeader(header, line: headerLine, options: options)
            var count = 0
            while try reader.next() != nil { count += 1 }
            rowCount = count
        } catch {
            if state == nil { close(descriptor) }
            throw error
        }
        if state == nil, owns { close(input) }
        if let state, FileState(input) != state {
            throw InputError(message: "\(name) changed while it was read; nothing was applied, run it again")
        }
        checkedState = state
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// An unlinked temporary file, open for reading and writing: gone from the folder at once, its space freed
    /// when it is closed.
    private static func temporaryFile() throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/stock-import-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.map { mkstemp($0) } ?? -1
        }
        guard descriptor >= 0 else {
            throw InputError(
                message: "cannot make a temporary copy of standard input: \(String(cString: strerror(errno)))")
        }
        template.withUnsafeBufferPointer { buffer in _ = buffer.baseAddress.map { unlink($0) } }
        return descriptor
    }

    /// A reader over the checked bytes from the start, its header already read (it keeps this file open):
    /// ``CSVReader/next()`` returns the data records with their row and line numbers.
    ///
    /// - Throws: `InputError` when a regular file was changed since it was checked (its size or modification
    ///   time differ), so that bytes never checked are not applied.
    public func records() throws -> CSVReader {
        if let checkedState, FileState(descriptor) != checkedState {
            throw InputError(message: "\(name) changed while it was read; nothing was applied, run it again")
        }
        let reader = CSVReader(descriptor: descriptor, name: name, fromOffset: startOffset, owner: self)
        reader.renamedColumns = renamedColumns
        try reader.readHeader()
        return reader
    }
}
