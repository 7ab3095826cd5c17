import Foundation
import Testing

@testable import Allocation

/// Each fast path of bulk work is the same rule as the general path it skips: both run on the same tricky input.
@Suite struct FastPathTests {
    static let quantities = [
        "0", "1", "5", "007", "42", "999999999", "1000000000", "1000000001", "123456789012345678",
        "1234567890123456789", "99999999999999999999", "", " ", " 5", "5 ", "+5", "-5", "-0", "5.0", "1e3", "1,000",
        "٥", "５", "5\u{0}", "\u{FEFF}5", "five", "0x10",
    ]

    /// The outcome of reading `text` as a quantity: the number, or the refusal's message.
    static func reading(_ read: () throws -> Int) -> String {
        do { return "\(try read())" } catch { return "\(error)" }
    }

    @Test(arguments: quantities)
    func plainQuantityReadsAsTheTypedOne(text: String) {
        for allowZero in [false, true] {
            let fast = FastPathTests.reading { try Validation.quantity(text, field: "quantity", allowZero: allowZero) }
            let general = FastPathTests.reading {
                try Validation.typedQuantity(text, field: "quantity", allowZero: allowZero)
            }
            #expect(fast == general, "\(text.debugDescription)")
        }
        if let plain = Validation.plainQuantity(text) {
            #expect(Int(text) == plain)
        }
    }

    @Test func plainQuantityCoversOnlyDigits() {
        #expect(Validation.plainQuantity("0042") == 42)
        #expect(Validation.plainQuantity("123456789012345678") == 123_456_789_012_345_678)
        for text in ["", " 5", "+5", "-5", "1234567890123456789", "٥", "5.0"] {
            #expect(Validation.plainQuantity(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func recordValuesAreFoundByTheHeaderKeysMadeOnce() throws {
        let reader = CSVReader(bytes: Array(" OrderID ,Sku,\u{00A0}quantity, STATUS \no1,LAMP,3,shipped\n".utf8))
        let record = try #require(try reader.next())
        let made = CSVRecord(fields: record.fields, header: record.header, line: record.line, row: record.row)
        #expect(record == made)
        for name in ["orderid", "sku", "quantity", "status", "Sku", " orderid", "missing", ""] {
            let general = record.header.firstIndex { CSVReader.columnKey($0) == name }.map { record.fields[$0] }
            #expect(record.value(of: name) == general, "\(name.debugDescription)")
            #expect(made.value(of: name) == general, "\(name.debugDescription)")
        }
    }
}
