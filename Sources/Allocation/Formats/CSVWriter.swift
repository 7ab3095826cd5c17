import Foundation

/// Writes CSV that ``CSVReader`` and spreadsheets read back unchanged: UTF-8 without a byte-order mark, records
/// ended by LF (read everywhere, and what line-based tools such as `grep`, `wc -l` and `diff` expect).
///
/// A field is quoted only when it must be: when it holds a comma, a quote (doubled inside), a CR or an LF, or
/// starts or ends with a space or tab, which some readers would trim. Text is written as it is: CSV is not a
/// terminal, so nothing is sanitized.
public struct CSVWriter {
    private var buffer: [UInt8] = []
    private var recordStarted = false
    private let flushAt: Int
    private let sink: ([UInt8]) throws -> Void

    /// A writer that hands `sink` the bytes in chunks of about `flushAt` bytes, and the rest on ``flush()``.
    public init(flushAt: Int = 1 << 16, sink: @escaping ([UInt8]) throws -> Void) {
        self.flushAt = flushAt
        self.sink = sink
        buffer.reserveCapacity(flushAt)
    }

    /// Writes one record.
    public mutating func write(_ fields: [String]) throws {
        CSVWriter.append(record: fields, to: &buffer)
        if buffer.count >= flushAt { try flush() }
    }

    /// Adds a field to the record under way, its bytes UTF-8 text, as ``write(_:)`` writes the same text;
    /// ``endRecord()`` ends the record.
    public mutating func append(field: UnsafeBufferPointer<UInt8>) {
        if recordStarted { buffer.append(UInt8(ascii: ",")) }
        recordStarted = true
        CSVWriter.append(field, to: &buffer)
    }

    /// Adds a field to the record under way; ``endRecord()`` ends the record.
    public mutating func append(field: String) {
        var field = field
        field.withUTF8 { append(field: $0) }
    }

    /// Ends the record that ``append(field:)`` made.
    public mutating func endRecord() throws {
        buffer.append(UInt8(ascii: "\n"))
        recordStarted = false
        if buffer.count >= flushAt { try flush() }
    }

    /// Hands what is buffered to the sink.
    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// One record as text, with its LF.
    public static func line(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        append(record: fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `field` must be quoted.
    public static func needsQuotes(_ field: String) -> Bool {
        var field = field
        return field.withUTF8 { needsQuotes(utf8: $0) }
    }

    private static func needsQuotes(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        func edge(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        func special(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D
        }
        if let first = utf8.first, let last = utf8.last, edge(first) || edge(last) { return true }
        return utf8.contains(where: special)
    }

    private static func append(record fields: [String], to bytes: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(field, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    private static func append(_ field: String, to bytes: inout [UInt8]) {
        var field = field
        field.withUTF8 { append($0, to: &bytes) }
    }

    private static func append(_ field: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        guard needsQuotes(utf8: field) else {
            bytes.append(contentsOf: field)
            return
        }
        let quote = UInt8(ascii: "\"")
        bytes.append(quote)
        // The runs up to each quote are copied whole, and the quote once more.
        var start = 0
        while let next = field[start...].firstIndex(of: quote) {
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[start...next]))
            bytes.append(quote)
            start = next + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: field[start...]))
        bytes.append(quote)
    }
}
