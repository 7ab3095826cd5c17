/// Writes one flat JSON object with keys in the order added: the payloads of events and the result lines of
/// `stock apply`. Hand-written because it sits on the allocation hot path: it appends UTF-8 bytes to one buffer
/// and makes the string once, at the end.
public struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]

    public init() {
        bytes.reserveCapacity(160)
    }

    public var text: String {
        String(unsafeUninitializedCapacity: bytes.count + 1) { buffer in
            _ = buffer.initialize(from: bytes)
            buffer[bytes.count] = UInt8(ascii: "}")
            return bytes.count + 1
        }
    }

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return addRaw(key, "null") }
        addKey(key)
        JSONObjectWriter.appendQuoted(value, to: &bytes)
    }

    public mutating func add(_ key: String, _ value: Int) {
        addRaw(key, String(value))
    }

    public mutating func add(_ key: String, _ value: Bool) {
        addRaw(key, value ? "true" : "false")
    }

    /// Adds a value that is already JSON text.
    public mutating func addRaw(_ key: String, _ json: String) {
        addKey(key)
        bytes.append(contentsOf: json.utf8)
    }

    /// Adds the members of `object`, the text of a JSON object such as ``text`` writes, after those added.
    public mutating func addMembers(of object: String) {
        let members = object.utf8.dropFirst().dropLast()
        guard !members.isEmpty else { return }
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(contentsOf: members)
    }

    private mutating func addKey(_ key: String) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        JSONObjectWriter.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A JSON string literal: quotes, backslashes, control characters and text-direction marks escaped
    /// (RFC 8259 §7).
    static func quoted(_ string: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(string, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 of `string` as a JSON string literal, as ``quoted(_:)`` writes it.
    private static func appendQuoted(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if isPlain(string) {
            bytes.append(contentsOf: string.utf8)
        } else {
            bytes.append(contentsOf: escaped(string).utf8)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Whether `string` has nothing to escape, the common case. 0xC2 leads the C1 controls, 0xD8, 0xE2 and 0xEF
    /// the text-direction marks, separators and BOM (and other characters, which the slow path copies unchanged).
    private static func isPlain(_ string: String) -> Bool {
        var string = string
        return string.withUTF8(isPlain)
    }

    /// ``isPlain(_:)`` for the UTF-8 bytes of a string.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes
        where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xC2 || byte == 0xD8
            || byte == 0xE2 || byte == 0xEF
        {
            return false
        }
        return true
    }

    /// `string` with its quotes, backslashes and controls escaped, without the surrounding quotes.
    private static func escaped(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Every control, separator and text-direction mark is escaped, so no JSON output can steer a terminal.
            case _ where Validation.isControl(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A JSON array of values already written as JSON (objects from ``JSONObjectWriter``, for one).
public func jsonArray(_ values: [String]) -> String {
    "[" + values.joined(separator: ",") + "]"
}
