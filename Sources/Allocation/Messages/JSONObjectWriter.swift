/// Writes one flat JSON object with keys in the order added: the payloads of events and the result lines of
/// `stock apply`. Hand-written because it sits on the allocation hot path.
public struct JSONObjectWriter {
    private var body = ""

    public init() {}

    public var text: String { "{" + body + "}" }

    public mutating func add(_ key: String, _ value: String?) {
        guard let value else { return addRaw(key, "null") }
        addRaw(key, JSONObjectWriter.quoted(value))
    }

    public mutating func add(_ key: String, _ value: Int) {
        addRaw(key, String(value))
    }

    public mutating func add(_ key: String, _ value: Bool) {
        addRaw(key, value ? "true" : "false")
    }

    /// Adds a value that is already JSON text.
    public mutating func addRaw(_ key: String, _ json: String) {
        if !body.isEmpty { body += "," }
        body += JSONObjectWriter.quoted(key)
        body += ":"
        body += json
    }

    /// A JSON string literal: quotes, backslashes, control characters and text-direction marks escaped
    /// (RFC 8259 §7).
    static func quoted(_ string: String) -> String {
        // Nothing to escape in the common case. 0xC2 leads the C1 controls, 0xD8, 0xE2 and 0xEF the
        // text-direction marks, separators and BOM (and other characters, which the slow path copies unchanged).
        let plain = string.utf8.allSatisfy { byte in
            byte >= 0x20 && byte != 0x22 && byte != 0x5C && byte != 0x7F && byte != 0xC2 && byte != 0xD8
                && byte != 0xE2 && byte != 0xEF
        }
        if plain { return "\"" + string + "\"" }
        var out = "\""
        out.reserveCapacity(string.utf8.count + 2)
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
        out += "\""
        return out
    }
}
