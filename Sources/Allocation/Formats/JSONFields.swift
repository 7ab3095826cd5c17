/// Reads typed fields out of one parsed JSON object, with messages that name the field and the value.
struct JSONFields {
    let object: [String: JSONValue]
    /// Names the input in messages, e.g. `Allocate` or `settings file x.json`.
    let context: String

    /// Parses `text` as one JSON object with no key given twice.
    ///
    /// - Throws: `InputError` when it is not valid JSON, not an object, or gives a key twice.
    init(parsing text: String, context: String) throws {
        let document: (value: JSONValue, repeatedKey: String?)
        do {
            document = try JSONReader.read(text)
        } catch {
            throw InputError(message: "not valid JSON: \(Validation.shown(text))")
        }
        guard case .object(let object) = document.value else {
            throw InputError(message: "expected a JSON object, got \(Validation.shown(text))")
        }
        // A line that says two things, e.g. `"qty":7000000000,"qty":5`, is refused rather than read as its last.
        if let key = document.repeatedKey {
            throw InputError(message: "field \"\(key)\" is given twice in \(Validation.shown(text))")
        }
        self.init(object: object, context: context)
    }

    init(object: [String: JSONValue], context: String) {
        self.object = object
        self.context = context
    }

    /// Refuses keys outside `known`.
    func checkKeys(_ known: Set<String>) throws {
        // The keys are sorted, so the message names the same one every time, only when one is unknown.
        guard object.keys.contains(where: { !known.contains($0) }) else { return }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(
                message: "\(context): unknown field \"\(unknown)\" (expected \(known.sorted().joined(separator: ", ")))"
            )
        }
    }

    /// Whether `key` is given and not null.
    func has(_ key: String) -> Bool {
        switch object[key] {
        case nil, .null?: false
        default: true
        }
    }

    /// The value of `key`, which must be given and not null.
    private func required(_ key: String) throws -> JSONValue {
        guard let value = object[key], value != .null else {
            throw InputError(message: "\(context): missing field \"\(key)\"")
        }
        return value
    }

    private func mistyped(_ key: String, _ expected: String, _ value: JSONValue) -> InputError {
        InputError(message: "\(context): field \"\(key)\" must be \(expected), got \(value.shown)")
    }

    func string(_ key: String) throws -> String {
        let value = try required(key)
        guard case .string(let text) = value else { throw mistyped(key, "a string", value) }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        has(key) ? try string(key) : nil
    }

    /// A whole number; booleans, fractions, exponents (`5.0`, `1e3`) and numbers beyond `Int` are refused.
    func integer(_ key: String) throws -> Int {
        let value = try required(key)
        guard case .integer(let int) = value else { throw mistyped(key, "a whole number", value) }
        return int
    }

    func optionalInteger(_ key: String) throws -> Int? {
        has(key) ? try integer(key) : nil
    }

    /// An array of objects, each read with its own fields (named `key[index]` in messages).
    func objects(_ key: String) throws -> [JSONFields] {
        let value = try required(key)
        guard case .array(let elements) = value else { throw mistyped(key, "an array", value) }
        return try elements.enumerated().map { index, element in
            guard case .object(let object) = element else { throw mistyped("\(key)[\(index)]", "an object", element) }
            return JSONFields(object: object, context: context)
        }
    }

    func bool(_ key: String) throws -> Bool {
        let value = object[key] ?? .null
        guard case .bool(let bool) = value else { throw mistyped(key, "true or false", value) }
        return bool
    }
}

/// Input that is malformed: not JSON, a missing or mistyped field, an unknown key. Refused before anything runs.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
