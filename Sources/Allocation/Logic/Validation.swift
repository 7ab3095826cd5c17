import Foundation

/// The contracts on operator input: what a reference, SKU, order id, quantity or date may be.
///
/// Every way in (command line, JSON lines, console forms) checks fields here, so the messages are the same
/// everywhere and name the offending value.
public enum Validation {
    public static let maximumTextLength = 255
    public static let maximumQuantity = 1_000_000_000

    /// Checks a reference, SKU or order id: non-empty, at most 255 characters (Unicode scalars, so combining
    /// marks count too), no control or text-direction characters, no leading or trailing space.
    ///
    /// - Throws: `ContractViolation` naming the field and the value.
    public static func checkIdentifier(_ value: String, field: String) throws {
        if isPlainIdentifier(value) { return }
        try require(!value.isEmpty, "\(field) must not be empty")
        let length = value.unicodeScalars.count
        try require(
            length <= maximumTextLength, "\(field) is \(length) characters long; the limit is \(maximumTextLength)")
        try checkNoControlCharacters(value, field: field)
        try require(
            value.first?.isWhitespace != true && value.last?.isWhitespace != true,
            "\(field) \(shown(value)) must not start or end with a space")
    }

    /// Whether `value` passes ``checkIdentifier(_:field:)`` by its bytes alone, the common case: 1 to 255 printable
    /// ASCII characters (no control character), the first and last not a space.
    private static func isPlainIdentifier(_ value: String) -> Bool {
        value.utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, let last = bytes.last, bytes.count <= maximumTextLength,
                first != UInt8(ascii: " "), last != UInt8(ascii: " ")
            else { return false }
            for byte in bytes where byte < 0x20 || byte > 0x7E { return false }
            return true
        } ?? false
    }

    /// Refuses control characters and the invisible marks ``isControl`` names, naming the first one.
    ///
    /// - Throws: `ContractViolation` naming the field, the value and the character's code point.
    static func checkNoControlCharacters(_ value: String, field: String) throws {
        guard let bad = value.unicodeScalars.first(where: isControl) else { return }
        let code = "U+" + String(bad.value, radix: 16, uppercase: true)
        throw ContractViolation(
            kind: .precondition, message: "\(field) \(Validation.shown(value)) contains control character \(code)")
    }

    /// Checks a quantity: a whole number from 1 (0 when `allowZero`) up to one billion.
    static func checkQuantity(_ value: Int, field: String = "qty", allowZero: Bool = false) throws {
        let least = allowZero ? 0 : 1
        try require(value >= least, "\(field) must be \(allowZero ? "0 or more" : "positive"), got \(value)")
        try require(value <= maximumQuantity, "\(field) \(value) is too large; the limit is \(maximumQuantity)")
    }

    /// Parses a quantity typed as text.
    ///
    /// - Throws: `ContractViolation` for anything but a whole number in range.
    public static func quantity(_ text: String, field: String = "qty", allowZero: Bool = false) throws -> Int {
        guard let value = plainQuantity(text) else {
            return try typedQuantity(text, field: field, allowZero: allowZero)
        }
        try checkQuantity(value, field: field, allowZero: allowZero)
        return value
    }

    /// The number `text` writes when it is only ASCII digits, 1 to 18 of them (no overflow), as a file or a
    /// script writes it; nil for anything else, which ``typedQuantity(_:field:allowZero:)`` reads. Both read such a
    /// text as the same number: the fast path of ``quantity(_:field:allowZero:)``.
    static func plainQuantity(_ text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes in
            guard (1...18).contains(bytes.count) else { return nil }
            var value = 0
            for byte in bytes {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
    }

    /// ``quantity(_:field:allowZero:)`` for any text: surrounding spaces trimmed, a sign allowed.
    static func typedQuantity(_ text: String, field: String = "qty", allowZero: Bool = false) throws -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        try require(!trimmed.isEmpty, "\(field) is missing")
        let digits = trimmed.hasPrefix("-") || trimmed.hasPrefix("+") ? trimmed.dropFirst() : Substring(trimmed)
        try require(
            !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber },
            "\(field) must be a whole number, got \(shown(text))")
        guard let value = Int(trimmed) else {
            throw ContractViolation(
                kind: .precondition, message: "\(field) \(shown(text)) is too large; the limit is \(maximumQuantity)")
        }
        try checkQuantity(value, field: field, allowZero: allowZero)
        return value
    }

    /// Parses an ISO date `YYYY-MM-DD` that exists on the calendar.
    public static func day(_ text: String, field: String = "eta") throws -> Day {
        guard let day = Day(text) else {
            throw ContractViolation(
                kind: .precondition, message: "\(field) \(shown(text)) is not a valid date YYYY-MM-DD")
        }
        return day
    }

    /// Checks every field of a command.
    public static func check(_ command: Command) throws {
        switch command {
        case .createBatch(let c):
            try checkIdentifier(c.ref, field: "batch reference")
            try checkIdentifier(c.sku, field: "sku")
            try checkQuantity(c.qty)
            if let shipped = c.shipped {
                try checkQuantity(shipped, field: "shipped", allowZero: true)
                try require(shipped <= c.qty, "shipped \(shipped) is more than quantity \(c.qty)")
            }
        case .allocate(let c):
            try checkIdentifier(c.orderid, field: "order id")
            try checkIdentifier(c.sku, field: "sku")
            try checkQuantity(c.qty)
            if let since = c.waitingSince { try checkWaitingSince(since) }
        case .changeBatchQuantity(let c):
            try checkIdentifier(c.ref, field: "batch reference")
            try checkQuantity(c.qty, allowZero: true)
            if let version = c.expectedVersion {
                try require(version >= 0, "expectedVersion must be 0 or more, got \(version)")
            }
        case .deallocate(let c):
            try checkIdentifier(c.orderid, field: "order id")
            try checkIdentifier(c.sku, field: "sku")
        case .receiveBatch(let c):
            try checkIdentifier(c.ref, field: "batch reference")
            if let qty = c.qty { try checkQuantity(qty, allowZero: true) }
            if c.restEta != nil {
                try require(c.qty != nil, "a rest ETA needs the quantity received, less than the quantity ordered")
            }
            if let version = c.expectedVersion {
                try require(version >= 0, "expectedVersion must be 0 or more, got \(version)")
            }
        case .changeBatchEta(let c):
            try checkIdentifier(c.ref, field: "batch reference")
        case .ship(let c):
            try checkIdentifier(c.orderid, field: "order id")
            if let sku = c.sku { try checkIdentifier(sku, field: "sku") }
        case .moveLine(let c):
            try checkIdentifier(c.orderid, field: "order id")
            try checkIdentifier(c.sku, field: "sku")
            try checkIdentifier(c.batchref, field: "batch reference")
        case .allocateWaiting(let c):
            if let sku = c.sku { try checkIdentifier(sku, field: "sku") }
        case .cancelOrder(let c):
            try checkIdentifier(c.orderid, field: "order id")
        case .changeLine(let c):
            try checkIdentifier(c.orderid, field: "order id")
            try checkIdentifier(c.sku, field: "sku")
            try checkQuantity(c.qty)
        case .unreceiveBatch(let c):
            try checkIdentifier(c.ref, field: "batch reference")
        case .voidBatch(let c):
            try checkIdentifier(c.ref, field: "batch reference")
        case .replan(let c):
            if let sku = c.sku { try checkIdentifier(sku, field: "sku") }
        }
    }

    /// Control characters, line and paragraph separators, and the invisible marks that reorder text on screen
    /// (bidirectional embeddings, overrides and isolates, the byte-order mark).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: break
        }
        switch scalar.value {
        case 0x7F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    /// The canonical (NFC) form of typed text, so `café` typed precomposed or decomposed is one reference, as
    /// SQLite's byte-wise UNIQUE and lookups then agree with what the operator sees.
    public static func normalized(_ text: String) -> String {
        // ASCII text is already in NFC: skipping Foundation's normalization keeps it off `apply`'s hot path.
        let isASCII = text.utf8.withContiguousStorageIfAvailable { bytes in !bytes.contains { $0 >= 0x80 } }
        return isASCII ?? text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// A value quoted for a message, with control characters made visible and long values cut.
    public static func shown(_ value: String) -> String {
        var visible = ""
        for scalar in value.unicodeScalars.prefix(60) {
            visible += isControl(scalar) ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }
        return "\"" + visible + (value.unicodeScalars.count > 60 ? "…" : "") + "\""
    }
}
