import Foundation

/// A file that is not well-formed CSV, or not UTF-8: refused whole, naming the physical line (1-based, counting
/// the header's line and every line inside a quoted field) and, when known, the column.
public struct CSVError: Error, CustomStringConvertible, Sendable, Equatable {
    public let line: Int
    /// The column's 1-based position and, once the header is read, its name.
    public let column: Int?
    public let columnName: String?
    public let reason: String

    public init(line: Int, column: Int? = nil, columnName: String? = nil, reason: String) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.reason = reason
    }

    /// `line 7, column 2 (sku): not valid UTF-8 ...`.
    public var description: String {
        var place = "line \(line)"
        if let column {
            place += ", column \(column)"
            if let columnName, !columnName.isEmpty { place += " (\(columnName))" }
        }
        return place + ": " + reason
    }
}

/// One data record of a CSV file: its fields, the header's column names, and where it is.
public struct CSVRecord: Equatable, Sendable {
    public let fields: [String]
    /// The header's column names as read (trimmed of surrounding spaces, not lowercased); shared by every record.
    public let header: [String]
    /// The physical line the record starts on (the header is on line 1 unless blank lines come first).
    public let line: Int
    /// Its position among the data records: the first record after the header is row 1.
    public let row: Int

    /// The header's names as ``value(of:)`` compares them (``CSVReader/columnKey(_:)``), made once per file.
    let keys: [String]

    public init(fields: [String], header: [String], line: Int, row: Int) {
        self.init(fields: fields, header: header, keys: header.map(CSVReader.columnKey), line: line, row: row)
    }

    init(fields: [String], header: [String], keys: [String], line: Int, row: Int) {
        self.fields = fields
        self.header = header
        self.keys = keys
        self.line = line
        self.row = row
    }

    /// The value of the column named `name` (compared case-insensitively); nil when the header has no such column.
    public func value(of name: String) -> String? {
        keys.firstIndex(of: name).map { fields[$0] }
    }
}

/// What separates the fields of a CSV file: a comma, or what spreadsheets save in other locales, a semicolon or a
/// tab.
public enum CSVSeparator: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09

    /// `comma`, `semicolon` or `tab`.
    public var description: String {
        switch self {
        case .comma: "comma"
        case .semicolon: "semicolon"
        case .tab: "tab"
        }
    }

    /// `","`, `";"` or `tab`, as messages name it.
    public var shown: String {
        switch self {
        case .comma: "\",\""
        case .semicolon: "\";\""
        case .tab: "tab"
        }
    }
}

/// Reads CSV (RFC 4180) as a stream of records, in constant memory but for the record being read.
///
/// Fields are separated by commas, semicolons or tabs: the one the header's line holds outside quotes (a comma
/// when it holds none; a header holding two of them is refused); a field in double quotes may hold commas, newlines and quotes written as `""`;
/// records end with CRLF, LF or a lone CR, mixed freely. A UTF-8 byte-order mark at the start is skipped. The first
/// record that is not blank is the header; every later record must have as many fields. A blank record (an empty
/// line, or one whose every field is empty, as spreadsheets leave below the data) is skipped and not counted as a
/// row. Cells are kept exactly as written: neither trimmed nor unquoted further. A quote inside an unquoted field
/// is kept as a character (`12" tile`), as spreadsheets read it.
///
/// - Throws from ``next()`` and ``readHeader()``: ``CSVError`` for an unclosed quote, text after a closing quote,
///   a record with another number of fields than the header, a field that is not valid UTF-8 or holds a NUL byte;
///   `InputError` when the input cannot be read.
public final class CSVReader {
    private enum Input {
        /// Read with `read(2)` from wherever the descriptor is.
        case stream(Int32)
        /// Read with `pread(2)` from `offset` on, whatever else moves the descriptor.
        case positioned(Int32, offset: Int)
        case bytes([UInt8], offset: Int)
    }

    private var input: Input
    private let name: String
    /// Every byte read is also written here (spooling standard input for a second reading).
    private let copy: Int32?
    /// What owns the descriptor (a ``CSVFile``), kept alive as long as this reader is.
    private let owner: AnyObject?
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var atEnd = false
    private var startedInput = false
    private var field: [UInt8] = []
    /// The physical line the next byte is on.
    private var line = 1
    private var rows = 0
    /// The column names, once the header is read.
    public private(set) var header: [String]?
    /// The line the header is on.
    public private(set) var headerLine = 1
    /// The header's names as records compare them (``columnKey(_:)``, then ``renamedColumns``).
    private var headerKeys: [String] = []
    /// Bytes read from the input so far.
    public private(set) var bytesRead = 0
    /// What separates fields, found on the header's line.
    public private(set) var separator = CSVSeparator.comma {
        didSet { separatorByte = separator.rawValue }
    }
    /// ``separator``'s byte, as the byte loops compare it.
    private var separatorByte = CSVSeparator.comma.rawValue
    /// How each column name of the header is read instead (its ``columnKey(_:)`` to another), as
    /// `import --column` asks; set before the header is read.
    public var renamedColumns: [String: String] = [:]

    /// Reads from a file descriptor this reader does not close; `name` (a path, or `standard input`) is what
    /// read errors name. With `copy`, every byte read is also written there.
    public init(descriptor: Int32, name: String, fromOffset offset: Int? = nil, copy: Int32? = nil) {
        input = offset.map { .positioned(descriptor, offset: $0) } ?? .stream(descriptor)
        self.name = name
        self.copy = copy
        owner = nil
    }

    /// Reads `owner`'s descriptor from `offset` on, keeping `owner` (which closes it when freed) alive.
    init(descriptor: Int32, name: String, fromOffset offset: Int, owner: AnyObject) {
        input = .positioned(descriptor, offset: offset)
        self.name = name
        copy = nil
        self.owner = owner
    }

    /// Reads bytes in memory.
    public init(bytes: [UInt8]) {
        input = .bytes(bytes, offset: 0)
        name = "the input"
        copy = nil
        owner = nil
    }

    /// The lowercased, space-trimmed form in which column names are compared.
    public static func columnKey(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// Reads the header if it was not read yet.
    ///
    /// - Throws: ``CSVError`` `no header row` for an input with no record that is not blank.
    @discardableResult
    public func readHeader() throws -> [String] {
        if let header { return header }
        guard let first = try nextNonBlank() else {
            throw CSVError(line: line, reason: "no header row: the file is empty")
        }
        let names = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        header = names
        headerKeys = names.map { renamedColumns[CSVReader.columnKey($0)] ?? CSVReader.columnKey($0) }
        headerLine = first.line
        return names
    }

    /// The next data record, reading the header first if needed; nil at the end of the input.
    public func next() throws -> CSVRecord? {
        let names = try readHeader()
        guard let record = try nextNonBlank() else { return nil }
        guard record.fields.count == names.count else {
            let others = CSVSeparator.allCases.filter { other in
                other != separator && record.fields.contains { $0.utf8.contains(other.rawValue) }
            }
            let hint =
                record.fields.count > names.count
                ? " (a value with a \(separator) must be in double quotes)"
                : others.isEmpty
                    ? ""
                    : " (the header separates fields with \(separator.shown), this line with "
                        + others.map(\.shown).joined(separator: " and ") + ")"
            throw CSVError(
                line: record.line,
                reason: "\(record.fields.count) fields, but the header has \(names.count)\(hint)")
        }
        rows += 1
        return CSVRecord(fields: record.fields, header: names, keys: headerKeys, line: record.line, row: rows)
    }

    private func nextNonBlank() throws -> (fields: [String], line: Int)? {
        while let record = try readRecord() {
            if record.fields.contains(where: { !$0.isEmpty }) { return record }
        }
        return nil
    }

    // MARK: Bytes

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")

    /// Makes at least one unread byte available; false at the end of the input.
    private func fill() throws -> Bool {
        if start < end { return true }
        if atEnd { return false }
        start = 0
        end = try readChunk()
        if end == 0 {
            atEnd = true
            return false
        }
        if !startedInput {
            startedInput = true
            try skipByteOrderMark()
        }
        if start < end { return true }
        return try fill()
    }

    private func skipByteOrderMark() throws {
        while end < 3, !atEnd {
            let more = try readChunk(into: end)
            if more == 0 { atEnd = true }
            end += more
        }
        if end >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
    }

    private func readChunk(into offset: Int = 0) throws -> Int {
        let count = try buffer.withUnsafeMutableBytes { raw -> Int in
            let target = UnsafeMutableRawBufferPointer(rebasing: raw[offset...])
            switch input {
            case .bytes(let bytes, let from):
                let count = min(target.count, bytes.count - from)
                bytes.withUnsafeBytes {
                    target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[from..<from + count]))
                }
                input = .bytes(bytes, offset: from + count)
                return count
            case .stream(let descriptor):
                return try Self.retrying(name) { read(descriptor, target.baseAddress, target.count) }
            case .positioned(let descriptor, let from):
                let count = try Self.retrying(name) { pread(descriptor, target.baseAddress, target.count, off_t(from)) }
                input = .positioned(descriptor, offset: from + count)
                return count
            }
        }
        if let copy, count > 0 {
            try buffer.withUnsafeBytes { raw in
                var written = 0
                while written < count {
                    let rest = UnsafeRawBufferPointer(rebasing: raw[(offset + written)..<(offset + count)])
                    written += try Self.retrying("the temporary copy of \(name)") {
                        write(copy, rest.baseAddress, rest.count)
                    }
                }
            }
        }
        bytesRead += count
        return count
    }

    /// Runs a read or write call again when a signal interrupted it.
    ///
    /// - Throws: `InputError` naming the file and the system's reason.
    private static func retrying(_ name: String, _ call: () -> Int) throws -> Int {
        while true {
            let count = call()
            if count >= 0 { return count }
            if errno != EINTR {
                throw InputError(message: "cannot read \(name): \(String(cString: strerror(errno)))")
            }
        }
    }

    // MARK: Records

    /// One record as written, blank or not; nil at the end of the input.
    private func readRecord() throws -> (fields: [String], line: Int)? {
        guard try fill() else { return nil }
        if header == nil { try detectSeparator() }
        let recordLine = line
        var fields: [String] = []
        while true {
            let fieldLine = line
            field.removeAll(keepingCapacity: field.capacity <= 1 << 20)
            let ended: Bool
            if try fill(), buffer[start] == Self.quote {
                start += 1
                try readQuoted(openedOn: fieldLine, column: fields.count + 1)
                ended = try endOfQuotedField(column: fields.count + 1)
            } else {
                ended = try readUnquoted()
            }
            fields.append(try text(line: fieldLine, column: fields.count + 1))
            if ended { return (fields, recordLine) }
        }
    }

    /// Reads up to the closing quote, keeping `""` as one quote and counting the lines inside.
    private func readQuoted(openedOn openingLine: Int, column: Int) throws {
        while true {
            guard try fill() else {
                throw CSVError(
                    line: openingLine, column: column, columnName: columnName(column),
                    reason: "a quoted field is not closed before the end of the file (a \" is missing)")
            }
            let found = firstIndex(of: Self.quote, from: start)
            let stop = found ?? end
            field.append(contentsOf: buffer[start..<stop])
            var newline = firstIndex(of: Self.lf, from: start, to: stop)
            while let at = newline {
                line += 1
                newline = firstIndex(of: Self.lf, from: at + 1, to: stop)
            }
            start = stop
            guard found != nil else { continue }
            start += 1
            guard try fill(), buffer[start] == Self.quote else { return }
            field.append(Self.quote)
            start += 1
        }
    }

    /// The index of the first `byte` in the buffer from `from` up to `to` (the end of what was read), by `memchr`.
    private func firstIndex(of byte: UInt8, from: Int, to: Int? = nil) -> Int? {
        let upTo = to ?? end
        guard from < upTo else { return nil }
        return buffer.withUnsafeBytes { raw -> Int? in
            let range = UnsafeRawBufferPointer(rebasing: raw[from..<upTo])
            guard let base = range.baseAddress, let found = memchr(base, Int32(byte), range.count) else { return nil }
            return from + base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// After a closing quote: a separator (false), the end of the record or input (true), anything else is refused.
    private func endOfQuotedField(column: Int) throws -> Bool {
        guard try fill() else { return true }
        let byte = buffer[start]
        if byte == separatorByte {
            start += 1
            return false
        }
        if byte == Self.lf || byte == Self.cr {
            try consumeLineEnd()
            return true
        }
        throw CSVError(
            line: line, column: column, columnName: columnName(column),
            reason: "text after the closing quote of a quoted field (a quote inside one is written \"\")")
    }

    /// Reads an unquoted field up to a separator (false) or the end of the record or input (true).
    private func readUnquoted() throws -> Bool {
        while try fill() {
            var index = start
            while index < end {
                let byte = buffer[index]
                if byte == separatorByte || byte == Self.lf || byte == Self.cr { break }
                index += 1
            }
            field.append(contentsOf: buffer[start..<index])
            start = index
            guard index < end else { continue }
            if buffer[index] == separatorByte {
                start += 1
                return false
            }
            try consumeLineEnd()
            return true
        }
        return true
    }

    /// Sets ``separator`` from the line about to be read: the one of comma, semicolon and tab it holds outside
    /// quotes, a comma when it holds none. The line is read into the buffer whole when it fits.
    ///
    /// - Throws: ``CSVError`` for a line holding more than one of them.
    private func detectSeparator() throws {
        var found: [CSVSeparator] = []
        var quoted = false
        var index = start
        while true {
            if index == end {
                let scanned = index - start
                guard try readMore() else { break }
                index = start + scanned
                continue
            }
            let byte = buffer[index]
            if byte == Self.quote {
                quoted.toggle()
            } else if !quoted {
                if byte == Self.lf || byte == Self.cr { break }
                if let kind = CSVSeparator(rawValue: byte), !found.contains(kind) { found.append(kind) }
            }
            index += 1
        }
        guard found.count <= 1 else {
            throw CSVError(
                line: line,
                reason: "the header mixes separators " + found.map(\.shown).joined(separator: " and ")
                    + ": a file separates its fields with one of \",\", \";\" or tab")
        }
        separator = found.first ?? .comma
    }

    /// Moves the unread bytes to the front of the buffer and reads more after them; false at the end of the input
    /// or when the buffer is full.
    private func readMore() throws -> Bool {
        if start > 0 {
            buffer.withUnsafeMutableBytes { raw in
                guard let base = raw.baseAddress else { return }
                memmove(base, base + start, end - start)
            }
            end -= start
            start = 0
        }
        guard end < buffer.count, !atEnd else { return false }
        let more = try readChunk(into: end)
        if more == 0 {
            atEnd = true
            return false
        }
        end += more
        return true
    }

    /// Consumes LF, CRLF or a lone CR.
    private func consumeLineEnd() throws {
        let byte = buffer[start]
        start += 1
        line += 1
        if byte == Self.cr, try fill(), buffer[start] == Self.lf { start += 1 }
    }

    private func columnName(_ column: Int) -> String? {
        header.flatMap { column <= $0.count ? $0[column - 1] : nil }
    }

    /// The field read, as text.
    ///
    /// - Throws: ``CSVError`` for a NUL byte or bytes that are not UTF-8.
    private func text(line: Int, column: Int) throws -> String {
        let hasNUL = field.withUnsafeBytes { raw in
            raw.baseAddress.map { memchr($0, 0, raw.count) != nil } ?? false
        }
        if hasNUL {
            throw CSVError(line: line, column: column, columnName: columnName(column), reason: "contains a NUL byte")
        }
        guard let text = String(validating: field, as: UTF8.self) else {
            throw CSVError(
                line: line, column: column, columnName: columnName(column),
                reason: "is not valid UTF-8 (save the file as CSV UTF-8)")
        }
        return text
    }
}
