import Foundation

/// Reads typed fields out of one parsed JSON object, with messages that name the field and the value.
struct JSONFields {
    let object: [String: Any]
    /// Names the input in messages, e.g. `Allocate` or `settings file x.json`.
    let context: String

    /// Parses `text` as one JSON object.
    ///
    /// - Throws: `InputError` when it is not valid JSON or not an object.
    init(parsing text: String, context: String) throws {
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            throw InputError(message: "not valid JSON: \(Validation.shown(text))")
        }
        guard let object = value as? [String: Any] else {
            throw InputError(message: "expected a JSON object, got \(Validation.shown(text))")
        }
        if let key = JSONFields.repeatedTopLevelKey(in: text) {
            throw InputError(message: "field \"\(key)\" is given twice in \(Validation.shown(text))")
        }
        self.init(object: object, context: context)
    }

    /// The first key that appears twice at the top level of a JSON object text (already known to be valid JSON).
    ///
    /// `JSONSerialization` keeps the last of two equal keys without a word, so `"qty":7000000000,"qty":5` would be
    /// read as 5; a line that says two things is refused instead.
    static func repeatedTopLevelKey(in text: String) -> String? {
        var seen: Set<String> = []
        var depth = 0
        var expectingKey = false
        var index = text.utf8.startIndex
        let bytes = text.utf8
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                expectingKey = depth == 1
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ","): expectingKey = depth == 1
            case UInt8(ascii: "\""):
                let start = index
                index = bytes.index(after: index)
                while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index = bytes.index(after: index) }
                    if index < bytes.endIndex { index = bytes.index(after: index) }
                }
                if expectingKey, index < bytes.endIndex {
                    let literal = String(text.utf8[start...index]) ?? ""
                    let key =
                        (try? JSONSerialization.jsonObject(with: Data(literal.utf8), options: [.fragmentsAllowed]))
                        as? String ?? literal
                    if !seen.insert(key).inserted { return key }
                    expectingKey = false
                }
            default: break
            }
            if index < bytes.endIndex { index = bytes.index(after: index) }
        }
        return nil
    }

    init(object: [String: Any], context: String) {
        self.object = object
        self.context = context
    }

    /// Refuses keys outside `known`.
    func checkKeys(_ known: Set<String>) throws {
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(
                message: "\(context): unknown field \"\(unknown)\" (expected \(known.sorted().joined(separator: ", ")))"
            )
        }
    }

    func has(_ key: String) -> Bool {
        object[key].map { !($0 is NSNull) } ?? false
    }

    func string(_ key: String) throws -> String {
        guard let value = object[key], !(value is NSNull) else {
            throw InputError(message: "\(context): missing field \"\(key)\"")
        }
        guard let text = value as? String else {
            throw InputError(
                message: "\(context): field \"\(key)\" must be a string, got \(JSONFields.describe(value))")
        }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    /// A whole number; booleans, fractions and numbers beyond `Int` are refused.
    func integer(_ key: String) throws -> Int {
        guard let value = object[key], !(value is NSNull) else {
            throw InputError(message: "\(context): missing field \"\(key)\"")
        }
        guard let int = JSONFields.wholeNumber(value) else {
            throw InputError(
                message: "\(context): field \"\(key)\" must be a whole number, got \(JSONFields.describe(value))")
        }
        return int
    }

    func optionalInteger(_ key: String) throws -> Int? {
        has(key) ? try integer(key) : nil
    }

    func bool(_ key: String) throws -> Bool {
        guard let number = object[key] as? NSNumber, String(cString: number.objCType) == "c" else {
            throw InputError(
                message:
                    "\(context): field \"\(key)\" must be true or false, "
                    + "got \(JSONFields.describe(object[key] ?? NSNull()))"
            )
        }
        return number.boolValue
    }

    static func wholeNumber(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, !(number is NSDecimalNumber) else { return nil }
        let type = String(cString: number.objCType)
        guard !["c", "d", "f"].contains(type) else { return nil }
        return value as? Int
    }

    static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let text as String: return Validation.shown(text)
        case let number as NSNumber where String(cString: number.objCType) == "c":
            return number.boolValue ? "true" : "false"
        case let number as NSNumber: return number.stringValue
        case is [Any]: return "an array"
        default: return "an object"
        }
    }
}

/// Input that is malformed: not JSON, a missing or mistyped field, an unknown key. Refused before anything runs.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
