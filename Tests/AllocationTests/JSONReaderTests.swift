import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The hand-written JSON reader: RFC 8259 strictly, the messages of `JSONFields`, and payloads read back as
/// `JSONObjectWriter` wrote them.
@Suite struct JSONReaderTests {
    static func read(_ text: String) throws -> JSONValue {
        try JSONReader.read(text).value
    }

    @Test(arguments: [
        ("{}", JSONValue.object([:])),
        (" \t\r\n{ }\n", .object([:])),
        ("\u{FEFF}{}", .object([:])),
        ("[]", .array([])),
        (#"[1, -2 ,true,false,null]"#, .array([.integer(1), .integer(-2), .bool(true), .bool(false), .null])),
        (
            #"{"a" : [ {"b":{}} ] , "c":"d"}"#,
            .object(["a": .array([.object(["b": .object([:])])]), "c": .string("d")])
        ),
        (#"{"a":1,"b":{"a":2,"a":3}}"#, .object(["a": .integer(1), "b": .object(["a": .integer(3)])])),
        ("0", .integer(0)),
        ("-0", .integer(0)),
        ("7000000000", .integer(7_000_000_000)),
        ("9223372036854775807", .integer(Int.max)),
        ("-9223372036854775807", .integer(-Int.max)),
        ("-9223372036854775808", .number("-9223372036854775808")),
        ("9223372036854775808", .number("9223372036854775808")),
        ("99999999999999999999", .number("99999999999999999999")),
        ("5.0", .number("5.0")),
        ("-0.0", .number("-0.0")),
        ("1e3", .number("1e3")),
        ("1E+3", .number("1E+3")),
        ("2.5e-3", .number("2.5e-3")),
        ("1e-400", .number("1e-400")),
        (#""""#, .string("")),
        (#""a\"b\\c\/d""#, .string("a\"b\\c/d")),
        (#""\b\f\n\r\t""#, .string("\u{8}\u{C}\n\r\t")),
        (#""\u0041\u00e9\u00E9\u7BB1""#, .string("Aéé箱")),
        (#""\u0000""#, .string("\u{0}")),
        (#""\ud83d\ude00\uDBFF\uDFFF""#, .string("\u{1F600}\u{10FFFF}")),
        ("\"\u{7F}\u{85}\u{202E}é\"", .string("\u{7F}\u{85}\u{202E}é")),
    ])
    func readsValidJSON(_ text: String, _ expected: JSONValue) throws {
        #expect(try Self.read(text) == expected)
    }

    @Test(arguments: [
        "", " ", "{", "}", "{}}", "{} x", "{},", "{}{}", "{}\u{0}", "\u{A0}{}", "\u{FEFF}\u{FEFF}{}", "1 2", "[1 2]",
        "[1,]", #"{"a":1,}"#, "[,]", "{,}", "[1,,2]", #"{"a":1,,"b":2}"#, "{a:1}", "{'a':1}", "{1:2}", #"{"a"}"#,
        #"{"a":}"#, #"{"a" 1}"#, "tru", "True", "nul", "falsey", "NaN", "Infinity", "-Infinity",
        "01", "-01", "00", "1.", ".5", "+1", "1e", "1e+", "-", "--1", "0x10", "1.e3", "1e400", "-1e400",
        "1" + String(repeating: "0", count: 400),
        #""abc"#, #""\x""#, #""\U0041""#, #""\u00""#, #""\u00zz""#, #""\""#, "\"\u{1}\"", "\"\t\"", "\"a\nb\"",
        "\"\u{0}\"", #""\ud83d""#, #""\ude00""#, #""\ud83dx""#, #""\ud83d\u0041""#, #""\ude00\ud83d""#,
    ])
    func refusesInvalidJSON(_ text: String) {
        #expect(throws: JSONSyntaxError.self) { try Self.read(text) }
    }

    @Test func nestingStopsAtTheLimitWithoutExhaustingTheStack() throws {
        func nested(_ depth: Int) -> String {
            #"{"a":"# + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1) + "}"
        }
        _ = try Self.read(nested(JSONReader.maximumDepth))
        #expect(throws: JSONSyntaxError.self) { try Self.read(nested(JSONReader.maximumDepth + 1)) }
        #expect(throws: JSONSyntaxError.self) { try Self.read(String(repeating: "[", count: 1_000_000)) }
    }

    @Test func onlyTheFirstTopLevelKeyGivenTwiceIsReported() throws {
        #expect(try JSONReader.read(#"{"a":"\"a\":1","b":{"a":1,"c":[{"a":2}]},"c":"{\"b\""}"#).repeatedKey == nil)
        #expect(try JSONReader.read(#"{"a":1,"b":2,"b":3,"a":4}"#).repeatedKey == "b")
        #expect(try JSONReader.read(#"{"q\u0074y":1,"qty":2}"#).repeatedKey == "qty")
        #expect(try JSONReader.read(#"[{"a":1,"a":2}]"#).repeatedKey == nil)
    }

    @Test(arguments: [
        (#"{"qty":1,"qty":2"#, "not valid JSON: "),
        (#"{"qty":1,"qty":2}"#, #"field "qty" is given twice in "#),
        ("[1,2]", "expected a JSON object, got \"[1,2]\""),
        ("\"x\"", "expected a JSON object, got "),
        ("null", "expected a JSON object, got \"null\""),
        ("{bad", "not valid JSON: \"{bad\""),
        ("\"\u{1B}[2J\"", "not valid JSON: \"\"\\u{1b}[2J\"\""),
    ])
    func documentProblemsKeepTheirMessages(_ text: String, _ message: String) throws {
        let error = try #require(throws: InputError.self) { try JSONFields(parsing: text, context: "x") }
        #expect(error.message.hasPrefix(message), "\(error.message)")
    }

    @Test(
        arguments: [
            ("0", nil), ("-0", nil), ("9223372036854775807", nil), ("true", "true"), (#""3""#, #""3""#), ("5.0", "5.0"),
            ("-0.0", "-0.0"), ("1e3", "1e3"), ("2.5", "2.5"), ("1E+30", "1E+30"), ("1e-7", "1e-7"),
            ("1e-400", "1e-400"), ("1.5e2", "1.5e2"),
            ("9223372036854775808", "9223372036854775808"), ("-9223372036854775808", "-9223372036854775808"),
            ("99999999999999999999", "99999999999999999999"), ("[1]", "an array"), (#"{"a":1}"#, "an object"),
        ] as [(String, String?)])
    func wholeNumbersAreIntsWrittenWithoutFractionOrExponent(_ literal: String, _ refusedAs: String?) throws {
        let fields = try JSONFields(parsing: #"{"qty":"# + literal + "}", context: "Allocate")
        if let refusedAs {
            let error = try #require(throws: InputError.self) { try fields.integer("qty") }
            #expect(error.message == #"Allocate: field "qty" must be a whole number, got "# + refusedAs)
        } else {
            #expect(try fields.integer("qty") == Int(literal))
        }
    }

    @Test func fieldsOfEachTypeAreReadAndMistypedOnesNamed() throws {
        let fields = try JSONFields(parsing: #"{"s":"x","n":null,"b":false,"i":7,"a":[]}"#, context: "C")
        #expect(try fields.string("s") == "x")
        #expect(try fields.optionalString("n") == nil && !fields.has("n") && !fields.has("missing") && fields.has("a"))
        #expect(try fields.bool("b") == false)
        #expect(try fields.integer("i") == 7)
        let messages = [
            { _ = try fields.string("n") }, { _ = try fields.string("i") }, { _ = try fields.bool("i") },
            { _ = try fields.bool("missing") }, { _ = try fields.integer("missing") }, { _ = try fields.string("a") },
            { try fields.checkKeys(["s", "n", "b", "i"]) },
        ].map { read in
            do {
                try read()
                return "accepted"
            } catch {
                return (error as? InputError)?.message ?? "\(error)"
            }
        }
        #expect(
            messages == [
                #"C: missing field "n""#, #"C: field "i" must be a string, got 7"#,
                #"C: field "i" must be true or false, got 7"#, #"C: field "missing" must be true or false, got null"#,
                #"C: missing field "missing""#, #"C: field "a" must be a string, got an array"#,
                #"C: unknown field "a" (expected b, i, n, s)"#,
            ])
    }

    /// Scalars of every class the writer treats apart: plain ASCII, the characters JSON escapes, C0 and C1
    /// controls, DEL, text-direction marks and other format characters, separators, non-ASCII letters, combining
    /// marks, noncharacters and scalars beyond the Basic Multilingual Plane.
    static let scalars: [Unicode.Scalar] = {
        let values: [ClosedRange<UInt32>] = [
            0x00...0x7F, 0x80...0xA0, 0xAD...0xAD, 0xE9...0xE9, 0x0301...0x0301, 0x061C...0x061C, 0x200B...0x200F,
            0x2028...0x202E, 0x2060...0x2069, 0x7BB1...0x7BB1, 0xFEFF...0xFEFF, 0xFFFD...0xFFFF, 0x1F600...0x1F600,
            0xE0001...0xE0001, 0x10FFFF...0x10FFFF,
        ]
        return values.flatMap { $0 }.compactMap(Unicode.Scalar.init)
    }()

    @Test func everyScalarClassReadsBackAsTheWriterWroteIt() throws {
        for scalar in Self.scalars {
            let text = "a" + String(scalar) + "\(scalar)z"
            var writer = JSONObjectWriter()
            writer.add(text, text)
            let fields = try JSONFields(parsing: writer.text, context: "x")
            let read = try fields.string(text)
            #expect(Array(read.unicodeScalars) == Array(text.unicodeScalars), "U+\(String(scalar.value, radix: 16))")
        }
    }

    @Test func manyGeneratedPayloadsReadBackAsWritten() throws {
        var random = SeededGenerator(seed: 6)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...12, using: &random)
            let scalars = (0..<count).compactMap { _ in Self.scalars.randomElement(using: &random) }
            let text = String(String.UnicodeScalarView(scalars))
            let number = Int.random(in: Int.min + 1...Int.max, using: &random)
            let flag = Bool.random(using: &random)
            var writer = JSONObjectWriter()
            writer.add("s", text)
            writer.add("i", number)
            writer.add("b", flag)
            writer.add("n", nil)
            let fields = try JSONFields(parsing: writer.text, context: "x")
            #expect(Array(try fields.string("s").unicodeScalars) == Array(text.unicodeScalars), "\(writer.text)")
            #expect(try fields.integer("i") == number && fields.bool("b") == flag && !fields.has("n"))
        }
    }

    /// A whole number as `JSONSerialization` parses one: an `NSNumber` of an integer type within `Int`.
    static func wholeNumber(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, !(number is NSDecimalNumber) else { return nil }
        let type = String(cString: number.objCType)
        guard !["c", "d", "f"].contains(type) else { return nil }
        return value as? Int
    }

    /// Whether `value` is what `JSONSerialization` made of the same text.
    static func matches(_ value: JSONValue, _ other: Any) -> Bool {
        let number = other as? NSNumber
        let isBool = number.map { String(cString: $0.objCType) == "c" } ?? false
        switch value {
        case .null: return other is NSNull
        case .bool(let bool): return isBool && number?.boolValue == bool
        case .integer(let int): return !isBool && Self.wholeNumber(other) == int
        case .number: return !isBool && number != nil && Self.wholeNumber(other) == nil
        case .string(let text): return (other as? String).map { Array($0.utf8) == Array(text.utf8) } ?? false
        case .array(let elements):
            guard let others = other as? [Any], others.count == elements.count else { return false }
            return zip(elements, others).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard let others = other as? [String: Any], others.count == members.count else { return false }
            return members.allSatisfy { key, member in others[key].map { matches(member, $0) } ?? false }
        }
    }

    /// Writer output cut and spliced with JSON's punctuation, read by both readers: they accept the same texts
    /// and read the same values, except that a trailing comma, which `JSONSerialization` lets pass, is refused.
    @Test func mangledPayloadsAreAcceptedAndReadAsJSONSerializationDoes() throws {
        var random = SeededGenerator(seed: 8259)
        let pieces = [
            "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "d83d", "0", "1", "-", ".", "e", "+", " ", "\n", "\t",
            "true", "null", "\"k\"", "é", "\u{1}", "\u{202E}", "9223372036854775808", "1e999",
        ]
        var agreed = 0
        for round in 0..<4000 {
            var writer = JSONObjectWriter()
            writer.add("s", String(Self.scalars.randomElement(using: &random) ?? "a"))
            writer.add("i", Int.random(in: -99...99, using: &random))
            writer.addRaw("a", round % 2 == 0 ? #"[1,{"x":[]},"y"]"# : "null")
            var mangled = Array(writer.text.unicodeScalars)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0...mangled.count, using: &random)
                let end = min(mangled.count, at + Int.random(in: 0...2, using: &random))
                let piece = pieces.randomElement(using: &random) ?? ""
                let replacement = Bool.random(using: &random) ? Array(piece.unicodeScalars) : []
                mangled.replaceSubrange(at..<end, with: replacement)
            }
            let text = String(String.UnicodeScalarView(mangled))
            let ours = try? Self.read(text)
            let theirs = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            if ours == nil, theirs != nil, text.range(of: #",\s*[\]}]"#, options: .regularExpression) != nil {
                continue
            }
            #expect((ours == nil) == (theirs == nil), "\(text.debugDescription)")
            if let ours, let theirs {
                #expect(Self.matches(ours, theirs), "\(text.debugDescription)")
                agreed += 1
            }
        }
        #expect(agreed > 500)
    }
}
