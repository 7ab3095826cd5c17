extension Event {
    /// The event of a stored row read without the general JSON reader, for listings of a million events: nil
    /// unless `payload` is exactly what ``payload`` writes for the event read, flat, its strings printable ASCII
    /// without quotes or backslashes. A nil answer says nothing about the row; ``init(kind:payload:)`` then
    /// reads it, with its checks and messages.
    ///
    /// The same rule as ``init(kind:payload:)``: that reader is the inverse of ``payload``, and an event is
    /// only returned when its ``payload`` is the stored text, byte for byte.
    static func stored(kind name: String, payload: String) -> Event? {
        guard let kind = Kind(rawValue: name), let fields = FlatFields(payload) else { return nil }
        let event: Event?
        switch kind {
        case .batchCreated:
            let eta = fields.text("eta").flatMap(Day.init)
            guard eta != nil || fields.isNull("eta") else { return nil }
            event = fields.lineOf("ref").map { .batchCreated(ref: $0.key, sku: $0.sku, qty: $0.qty, eta: eta) }
        case .allocated, .shipped:
            event = fields.lineOf("orderid").flatMap { line in
                fields.text("batchref").map { batchref in
                    kind == .allocated
                        ? .allocated(orderid: line.key, sku: line.sku, qty: line.qty, batchref: batchref)
                        : .shipped(orderid: line.key, sku: line.sku, qty: line.qty, batchref: batchref)
                }
            }
        case .deallocated:
            event = fields.lineOf("orderid").map {
                .deallocated(orderid: $0.key, sku: $0.sku, qty: $0.qty, batchref: fields.text("batchref"))
            }
        case .cancelled, .lineChanged:
            event = fields.lineOf("orderid").map {
                kind == .cancelled
                    ? .cancelled(orderid: $0.key, sku: $0.sku, qty: $0.qty)
                    : .lineChanged(orderid: $0.key, sku: $0.sku, qty: $0.qty)
            }
        case .outOfStock:
            event = fields.text("sku").map {
                .outOfStock(sku: $0, orderid: fields.text("orderid"), qty: fields.integer("qty"))
            }
        case .batchQuantityChanged, .batchReceived:
            guard let ref = fields.text("ref"), let qty = fields.integer("qty") else { return nil }
            event =
                kind == .batchReceived ? .batchReceived(ref: ref, qty: qty) : .batchQuantityChanged(ref: ref, qty: qty)
        case .batchEtaChanged:
            guard let ref = fields.text("ref"), let eta = fields.text("eta").flatMap(Day.init) else { return nil }
            event = .batchEtaChanged(ref: ref, eta: eta)
        case .batchUnreceived:
            guard let ref = fields.text("ref"), let qty = fields.integer("qty"),
                let eta = fields.text("eta").flatMap(Day.init)
            else { return nil }
            event = .batchUnreceived(ref: ref, qty: qty, eta: eta)
        case .batchVoided:
            event = fields.lineOf("ref").map { .batchVoided(ref: $0.key, sku: $0.sku, qty: $0.qty) }
        case .ordersDelayed:
            return nil
        }
        guard let event, event.payload == payload else { return nil }
        return event
    }
}

/// A flat JSON object whose values are strings of printable ASCII without quotes or backslashes, whole numbers
/// whose magnitude fits in `Int` or null, members in order; nil for any other text (escapes, nesting, spaces, other numbers).
private struct FlatFields {
    fileprivate enum Value {
        case text(String)
        case integer(Int)
        case null
    }

    private var members: [(key: String, value: Value)] = []

    init?(_ json: String) {
        var utf8 = json
        guard
            let members = utf8.withUTF8({ bytes -> [(key: String, value: Value)]? in
                var scanner = PayloadScanner(bytes: bytes)
                return scanner.object()
            })
        else { return nil }
        self.members = members
    }

    private func value(_ key: String) -> Value? {
        members.first { $0.key == key }?.value
    }

    func text(_ key: String) -> String? {
        if case .text(let text) = value(key) { text } else { nil }
    }

    func integer(_ key: String) -> Int? {
        if case .integer(let number) = value(key) { number } else { nil }
    }

    func isNull(_ key: String) -> Bool {
        if case .null = value(key) { true } else { false }
    }

    /// `key`, `sku` and `qty`, the fields every line or batch event starts with.
    func lineOf(_ key: String) -> (key: String, sku: String, qty: Int)? {
        guard let first = text(key), let sku = text("sku"), let qty = integer("qty") else { return nil }
        return (first, sku, qty)
    }
}

extension PayloadScanner {
    /// A flat object's members in order; nil for any other text, or text after it.
    fileprivate mutating func object() -> [(key: String, value: FlatFields.Value)]? {
        guard take(UInt8(ascii: "{")) else { return nil }
        var members: [(key: String, value: FlatFields.Value)] = []
        if take(UInt8(ascii: "}")) { return index == bytes.count ? members : nil }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), let value = value() else { return nil }
            members.append((key, value))
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) && index == bytes.count ? members : nil
    }

    private mutating func value() -> FlatFields.Value? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""): return string().map(FlatFields.Value.text)
        case UInt8(ascii: "n"): return take(Array("null".utf8)) ? .null : nil
        default:
            let start = index
            _ = take(UInt8(ascii: "-"))
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            // The JSON reader wants the magnitude to fit in `Int`, so `Int.min` is not a whole number there.
            guard let number = Int(digits), number != .min else { return nil }
            return .integer(number)
        }
    }
}

/// The stored payloads ``Event/stored(kind:payload:)`` accepts, recognised in place for listings that print the
/// stored text as it is: the members each kind's ``Event/payload`` writes, in its order, flat.
extension Event.Kind {
    /// What a member's value may be.
    private enum StoredValue {
        /// A string of printable ASCII without quotes or backslashes.
        case text
        /// A whole number as `String(Int)` writes it (not `Int.min`).
        case integer
        /// A day as ``Day/description`` writes it.
        case day
        /// A day, or null.
        case dayOrNull
    }

    /// The members ``Event/payload`` writes for this kind, in order; an optional member may be left out. Nil for
    /// a kind whose payload is nested.
    private var storedMembers: [(key: String, value: StoredValue, optional: Bool)]? {
        let line: [(key: String, value: StoredValue, optional: Bool)] = [
            ("orderid", .text, false), ("sku", .text, false), ("qty", .integer, false),
        ]
        return switch self {
        case .batchCreated:
            [("ref", .text, false), ("sku", .text, false), ("qty", .integer, false), ("eta", .dayOrNull, false)]
        case .allocated, .shipped: line + [("batchref", .text, false)]
        case .deallocated: line + [("batchref", .text, true)]
        case .cancelled, .lineChanged: line
        case .outOfStock: [("sku", .text, false), ("orderid", .text, true), ("qty", .integer, true)]
        case .batchQuantityChanged, .batchReceived: [("ref", .text, false), ("qty", .integer, false)]
        case .batchEtaChanged: [("ref", .text, false), ("eta", .day, false)]
        case .batchUnreceived: [("ref", .text, false), ("qty", .integer, false), ("eta", .day, false)]
        case .batchVoided: [("ref", .text, false), ("sku", .text, false), ("qty", .integer, false)]
        case .ordersDelayed: nil
        }
    }

    /// Each kind's stored name as bytes, with the members its payload holds.
    private static let storedShapes:
        [(name: [UInt8], kind: Event.Kind, members: [(key: [UInt8], value: StoredValue, optional: Bool)])] =
            allCases.compactMap { kind in
                kind.storedMembers.map { members in
                    (
                        Array(kind.rawValue.utf8), kind,
                        members.map { (Array("\"\($0.key)\":".utf8), $0.value, $0.optional) }
                    )
                }
            }

    /// The kind stored as `name`, when `payload` is what ``Event/stored(kind:payload:)`` accepts for it: the very
    /// rule of that function (a flat object of that kind's members in ``Event/payload``'s order and form, its
    /// strings printable ASCII without quotes or backslashes), checked without making the event.
    static func storedAsWritten(name: UnsafeBufferPointer<UInt8>, payload: UnsafeBufferPointer<UInt8>) -> Event.Kind? {
        guard let shape = storedShapes.first(where: { $0.name.elementsEqual(name) }) else { return nil }
        var scanner = PayloadScanner(bytes: payload)
        guard scanner.take(UInt8(ascii: "{")) else { return nil }
        var first = true
        for member in shape.members {
            let mark = scanner.index
            if !first && !scanner.take(UInt8(ascii: ",")) {
                guard member.optional else { return nil }
                continue
            }
            guard scanner.take(member.key) else {
                scanner.index = mark
                guard member.optional else { return nil }
                continue
            }
            let read: Bool =
                switch member.value {
                case .text: scanner.text()
                case .integer: scanner.integer()
                case .day: scanner.day()
                case .dayOrNull: scanner.take(Array("null".utf8)) || scanner.day()
                }
            guard read else { return nil }
            first = false
        }
        guard scanner.take(UInt8(ascii: "}")), scanner.index == payload.count else { return nil }
        return shape.kind
    }
}

/// Reads a stored payload's bytes from the front: the one scanner of both readers of stored payloads, the decoding
/// one (``FlatFields``) and the in-place one (``Event/Kind/storedAsWritten(name:payload:)``).
private struct PayloadScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func take(_ expected: [UInt8]) -> Bool {
        guard bytes.count - index >= expected.count else { return false }
        for (offset, byte) in expected.enumerated() where bytes[index + offset] != byte { return false }
        index += expected.count
        return true
    }

    /// The bytes of a quoted string of printable ASCII without quotes or backslashes, past its quotes.
    mutating func quoted() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            let byte = bytes[index]
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        let end = index
        return take(UInt8(ascii: "\"")) ? start..<end : nil
    }

    /// ``quoted()``'s text.
    mutating func string() -> String? {
        quoted().map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
    }

    mutating func text() -> Bool { quoted() != nil }

    /// `String(Int)`'s form: an optional minus, then `0` alone or digits without a leading zero, within
    /// `Int`'s range less `Int.min`; never `-0`.
    mutating func integer() -> Bool {
        let negative = take(UInt8(ascii: "-"))
        let start = index
        var magnitude: UInt64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !carry, sum <= UInt64(Int.max) else { return false }
            magnitude = sum
            index += 1
        }
        let digits = index - start
        guard digits > 0 else { return false }
        if bytes[start] == UInt8(ascii: "0") { return digits == 1 && !negative }
        return true
    }

    /// A quoted day that ``Day/description`` writes back the same.
    mutating func day() -> Bool {
        guard bytes.count - index >= 12, bytes[index] == UInt8(ascii: "\""),
            bytes[index + 11] == UInt8(ascii: "\"")
        else { return false }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<(index + 11)]), as: UTF8.self)
        guard let day = Day(text), day.description == text else { return false }
        index += 12
        return true
    }
}
