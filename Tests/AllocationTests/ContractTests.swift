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

    @Test(arguments: ["", String(repeating: "x", count: 256), "B\u{1B}[31m", "B\u{7}", "tab\there", " lead", "trail "])
    func identifiersAreRefused(_ value: String) {
        #expect(throws: ContractViolation.self) { try Validation.checkIdentifier(value, field: "batch reference") }
    }

    @Test(arguments: ["B-1", "Gerät-1 箱", String(repeating: "x", count: 255), "e\u{301}clair"])
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
