import Foundation
import TestSupport
import Testing

@testable import Allocation

@Suite struct ContractTests {
    @Test func requireThrowsAPreconditionViolationWithTheMessage() {
        #expect(throws: ContractViolation(kind: .precondition, message: "qty must be positive, got -1")) {
            try require(false, "qty must be positive, got -1")
        }
        #expect(throws: Never.self) { try require(true, "unused") }
    }

    @Test func ensureThrowsAPostconditionViolation() {
        #expect(throws: ContractViolation(kind: .postcondition, message: "postcondition failed: batch over-allocated"))
        {
            try ensure(false, "batch over-allocated")
        }
    }

    @Test(arguments: [
        "", String(repeating: "x", count: 256), "B\u{1B}[31m", "B\u{7}", "tab\there", " lead", "trail ", "B\u{7F}", " ",
    ])
    func identifiersAreRefused(_ value: String) {
        #expect(throws: ContractViolation.self) { try Validation.checkIdentifier(value, field: "batch reference") }
    }

    @Test(arguments: ["B-1", "Gerät-1 箱", String(repeating: "x", count: 255), "e\u{301}clair", "!~", "a b"])
    func identifiersAreAccepted(_ value: String) throws {
        try Validation.checkIdentifier(value, field: "sku")
    }

    @Test func controlCharactersAreNamedInTheMessage() {
        do {
            try Validation.checkIdentifier("B\u{1B}[31m", field: "batch reference")
            Issue.record("accepted an escape sequence")
        } catch let violation as ContractViolation {
            #expect(violation.message == "batch reference \"B\\u{1b}[31m\" contains control character U+1B")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("-5", "qty must be positive, got -5"), ("0", "qty must be positive, got 0"),
        ("abc", "qty must be a whole number, got \"abc\""), ("1.5", "qty must be a whole number, got \"1.5\""),
        ("99999999999999999999", "qty \"99999999999999999999\" is too large; the limit is 1000000000"),
        ("1000000001", "qty 1000000001 is too large; the limit is 1000000000"), ("", "qty is missing"),
    ])
    func badQuantitiesAreRefusedWithClearMessages(_ text: String, _ message: String) {
        #expect(throws: ContractViolation(kind: .precondition, message: message)) {
            _ = try Validation.quantity(text)
        }
    }

    @Test func zeroIsAllowedWhereABatchIsChanged() throws {
        #expect(try Validation.quantity("0", allowZero: true) == 0)
        #expect(try Validation.quantity("1000000000") == 1_000_000_000)
    }
}

/// Text that looks the same must be the same reference, and text that can disguise itself is refused.
@Suite struct TextRulesTests {
    @Test(arguments: ["o\u{202E}abc", "o\u{2066}x", "\u{FEFF}B-1", "B\u{200F}1"])
    func textDirectionMarksAreRefused(_ value: String) {
        #expect(throws: ContractViolation.self) { try Validation.checkIdentifier(value, field: "order id") }
    }

    @Test func combiningMarksCountTowardsTheLimit() {
        let zalgo = "e" + String(repeating: "\u{301}", count: 5000)
        #expect(zalgo.count == 1)
        #expect(
            throws: ContractViolation(kind: .precondition, message: "sku is 5001 characters long; the limit is 255")
        ) {
            try Validation.checkIdentifier(zalgo, field: "sku")
        }
    }

    @Test func decomposedAndPrecomposedTextAreOneReference() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "caf\u{E9}", sku: "LAMP", qty: 1)))
        #expect(throws: AllocationError.duplicateBatch("caf\u{E9}")) {
            try bus.handle(.createBatch(CreateBatch(ref: "cafe\u{301}", sku: "DESK", qty: 1)))
        }
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 1)))
        #expect(try Views.orderLines(orderid: "o1", in: store.database).map(\.batchref) == ["caf\u{E9}"])
    }

    @Test func theASCIIShortcutsAgreeWithTheGeneralRules() throws {
        for value in UInt32(0)...0x7F {
            let scalar = try #require(Unicode.Scalar(value))
            let general: Bool
            switch scalar.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator: general = true
            default: general = value == 0x7F
            }
            #expect(Validation.isControl(scalar) == general, "U+\(String(value, radix: 16))")
        }
        for text in ["LAMP-01", "o 1", "caf\u{E9}", "cafe\u{301}", "A\u{30A}", "\u{212B}", "\u{1100}\u{1161}"] {
            #expect(Validation.normalized(text) == text.precomposedStringWithCanonicalMapping)
            #expect(
                Validation.normalized(text).unicodeScalars.elementsEqual(
                    text.precomposedStringWithCanonicalMapping.unicodeScalars))
        }
    }
}
