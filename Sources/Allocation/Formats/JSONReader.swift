/// One JSON value as ``JSONReader`` reads it.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case integer(Int)
    /// Any other number, as written: with a fraction or an exponent (`5.0`, `1e3`), or a whole number beyond `Int`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object; of two equal keys the last one's value is kept.
    case object([String: JSONValue])

    /// The value as messages show it: `null`, `true`, a number as written, a quoted string, `an array` or `an object`.
    var shown: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        // As written (`1e3`, `1.5`, `5.0`), so a message shows what was typed rather than the Double it stands for.
        case .number(let literal): literal
        case .string(let text): Validation.shown(text)
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Text that is not one JSON value (RFC 8259) with only whitespace around it.
struct JSONSyntaxError: Error, Equatable {}

/// A strict JSON reader (RFC 8259) over the UTF-8 bytes of a text: the hand-written replacement of
/// `JSONSerialization` for the hot paths, event payloads read back and `stock apply` lines.
///
/// Beyond the RFC's grammar: a leading byte order mark is skipped (§8.1), a number must be finite as a `Double`,
/// a string escape must not leave a lone surrogate, and values nest at most ``maximumDepth`` deep.
enum JSONReader {
    /// The deepest nesting of arrays and objects read, the limit of `JSONSerialization`.
    static let maximumDepth = 512

    /// The value that `text` holds and the first key given twice in it when it is an object (keys nested deeper
    /// are not compared).
    static func read(_ text: String) throws(JSONSyntaxError) -> (value: JSONValue, repeatedKey: String?) {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(JSONSyntaxError) in
                var parser = Parser(bytes: bytes)
                let value = try parser.document()
                return (value, parser.repeatedKey)
            }
        }
        return try result.get()
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// The first key given twice in the top-level object.
    var repeatedKey: String?

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func document() throws(JSONSyntaxError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        skipWhitespace()
        let value = try value()
        skipWhitespace()
        guard index == bytes.count else { throw JSONSyntaxError() }
        return value
    }

    /// The byte at `index`, or 0 (which no JSON text holds outside a string) at the end.
    var next: UInt8 { index < bytes.count ? bytes[index] : 0 }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONSyntaxError) -> JSONValue {
        switch next {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw JSONSyntaxError()
        }
    }

    mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count,
            UnsafeBufferPointer(rebasing: bytes[index..<index + count]).elementsEqual(
                UnsafeBufferPointer(start: word.utf8Start, count: count))
        else { throw JSONSyntaxError() }
        index += count
        return value
    }

    /// Steps over the opening bracket or brace of a container.
    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONReader.maximumDepth else { throw JSONSyntaxError() }
        index += 1
        skipWhitespace()
    }

    /// After a member or element: steps over a comma (true) or the `closing` bracket or brace (false).
    mutating func more(before closing: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        switch next {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return true
        case closing:
            index += 1
            depth -= 1
            return false
        default: throw JSONSyntaxError()
        }
    }

    mutating func object() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        // Room for a command line's fields, so the common object is not grown key by key.
        var members = [String: JSONValue](minimumCapacity: 8)
        if next == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        repeat {
            guard next == UInt8(ascii: "\"") else { throw JSONSyntaxError() }
            let key = try string()
            skipWhitespace()
            guard next == UInt8(ascii: ":") else { throw JSONSyntaxError() }
            index += 1
            skipWhitespace()
            let value = try value()
            if members.updateValue(value, forKey: key) != nil, depth == 1, repeatedKey == nil { repeatedKey = key }
        } while try more(before: UInt8(ascii: "}"))
        return .object(members)
    }

    mutating func array() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        var elements: [JSONValue] = []
        if next == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(elements)
        }
        repeat {
            elements.append(try value())
        } while try more(before: UInt8(ascii: "]"))
        return .array(elements)
    }

    /// A string literal; the text is valid UTF-8, so only escapes and raw control characters need checking.
    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            case UInt8(ascii: "\\"): return try escapedString(from: start)
            case 0..<0x20: throw JSONSyntaxError()
            default: index += 1
            }
        }
        throw JSONSyntaxError()
    }

    /// The rest of a string literal from its first backslash at `index`, copying what comes before from `start`.
    mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var utf8 = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let escape = next
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): UTF8.encode(try unicodeEscape()) { utf8.append($0) }
                default: throw JSONSyntaxError()
                }
            case 0..<0x20: throw JSONSyntaxError()
            default: utf8.append(byte)
            }
        }
        throw JSONSyntaxError()
    }

    /// The scalar of a `\uXXXX` escape after its `u`, or of a surrogate pair `\uD83D\uDE00`; a lone surrogate is
    /// refused.
    mutating func unicodeEscape() throws(JSONSyntaxError) -> Unicode.Scalar {
        let unit = try hexQuad()
        var value = unit
        switch unit {
        case 0xD800...0xDBFF:
            guard next == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
            else { throw JSONSyntaxError() }
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError() }
            value = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF: throw JSONSyntaxError()
        default: break
        }
        guard let scalar = Unicode.Scalar(value) else { throw JSONSyntaxError() }
        return scalar
    }

    mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let digit: UInt8
            switch next {
            case let byte where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte): digit = byte - UInt8(ascii: "0")
            case let byte where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20):
                digit = (byte | 0x20) - UInt8(ascii: "a") + 10
            default: throw JSONSyntaxError()
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Steps over one or more digits.
    mutating func digits() throws(JSONSyntaxError) {
        guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) else { throw JSONSyntaxError() }
        while (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) { index += 1 }
    }

    /// A number: `-`, then `0` or digits without a leading zero, then an optional fraction and exponent.
    mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = index
        let negative = next == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        if next == UInt8(ascii: "0") { index += 1 } else { try digits() }
        let integerEnd = index
        if next == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if next | 0x20 == UInt8(ascii: "e") {
            index += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        if index == integerEnd, let int = wholeNumber(integerStart..<integerEnd, negative: negative) {
            return .integer(int)
        }
        let literal = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(literal), double.isFinite else { throw JSONSyntaxError() }
        return .number(literal)
    }

    /// The digits in `range` as an `Int`, or nil beyond it. The magnitude must fit, so `Int.min` is a number beyond
    /// `Int`, as `JSONSerialization` read it.
    func wholeNumber(_ range: Range<Int>, negative: Bool) -> Int? {
        var magnitude = 0
        for byte in bytes[range] {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if overflow || carry { return nil }
            magnitude = sum
        }
        return negative ? -magnitude : magnitude
    }
}
