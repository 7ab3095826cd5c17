import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The separator a CSV file uses, found on its header's line, and how `import` reads a header with other column
/// names or columns it does not know.
@Suite struct CSVSeparatorTests {
    @Test(arguments: [
        ("a,b,c\n1,2,3\n", CSVSeparator.comma),
        ("a;b;c\r\n1;2;3\r\n", .semicolon),
        ("a\tb\tc\n1\t2\t3\n", .tab),
    ])
    func theHeaderSaysWhichSeparatorTheFileUses(text: String, separator: CSVSeparator) throws {
        let reader = CSVReader(bytes: Array(text.utf8))
        let record = try #require(try reader.next())
        #expect(reader.separator == separator)
        #expect(record.header == ["a", "b", "c"])
        #expect(record.fields == ["1", "2", "3"])
    }

    @Test func aSeparatorInsideQuotesDoesNotCount() throws {
        let rows = try csvRecords("\"name, full\";\"a\nb;c\";x\n\"1,5\";2;3\n")
        #expect(rows[0].header == ["name, full", "a\nb;c", "x"])
        #expect(rows[0].fields == ["1,5", "2", "3"], "the comma in a ; file's cell is a character")
        #expect(try csvRecords("\"a;b\",c\n1,2\n")[0].fields == ["1", "2"])
    }

    @Test func aHeaderWithoutSeparatorIsOneCommaSeparatedColumn() throws {
        let rows = try csvRecords("sku\nLAMP\n")
        #expect(rows.map(\.fields) == [["LAMP"]])
    }

    @Test func blankLinesBeforeTheHeaderDoNotDecideTheSeparator() throws {
        let reader = CSVReader(bytes: Array(",,\n\n;;\na;b\n1;2\n".utf8))
        let record = try #require(try reader.next())
        #expect(reader.separator == .semicolon)
        #expect(record.fields == ["1", "2"])
        #expect(reader.headerLine == 4)
    }

    @Test func aHeaderLongerThanTheReadBufferIsScannedWhole() throws {
        let names = (1...20_000).map { "column\($0)" }
        let text = names.joined(separator: ";") + "\n" + names.map { _ in "1" }.joined(separator: ";") + "\n"
        let reader = CSVReader(bytes: Array(text.utf8))
        let record = try #require(try reader.next())
        #expect(reader.separator == .semicolon)
        #expect(record.fields.count == 20_000)
    }

    @Test func aHeaderMixingSeparatorsIsRefusedNamingThem() throws {
        let error = try #require(throws: CSVError.self) { try csvRecords("a;b,c\n1;2;3\n") }
        #expect(
            error.description
                == #"line 1: the header mixes separators ";" and ",": a file separates its fields with one of ",", ";" or tab"#
        )
    }

    @Test func aLineWithAnotherSeparatorThanTheHeaderSaysSo() throws {
        let error = try #require(throws: CSVError.self) { try csvRecords("a;b;c\n1;2;3\n4,5,6\n") }
        #expect(
            error.description
                == #"line 3: 1 fields, but the header has 3 (the header separates fields with ";", this line with ",")"#
        )
        let tab = try #require(throws: CSVError.self) { try csvRecords("a\tb\n1\t2\t3\n") }
        #expect(
            tab.description == "line 2: 3 fields, but the header has 2 (a value with a tab must be in double quotes)")
    }

    @Test func columnMapsAHeaderNameToAColumn() throws {
        let renamed = try CSVImport.HeaderOptions.renaming(
            ["orderid=Order, sku = Item", "quantity=QTY"], kind: .orders)
        #expect(renamed == ["orderid": "order", "sku": "item", "quantity": "qty"])
        let options = CSVImport.HeaderOptions(renamed: renamed)
        #expect(try CSVImport.Kind.orders.checkHeader(["Order", "Item", "Qty"], options: options).isEmpty)
        let reader = CSVReader(bytes: Array("Order;Item;Qty\nO-1;LAMP;3\n".utf8))
        reader.renamedColumns = options.readerRenaming
        let record = try #require(try reader.next())
        #expect(record.header == ["Order", "Item", "Qty"], "the header is kept as written")
        #expect(
            try CSVImport.Kind.orders.command(from: record)
                == .allocate(Allocate(orderid: "O-1", sku: "LAMP", qty: 3)))
    }

    @Test func columnRefusesWhatItCannotRead() throws {
        func message(_ values: [String]) throws -> String {
            try #require(throws: ContractViolation.self) {
                try CSVImport.HeaderOptions.renaming(values, kind: .orders)
            }.message
        }
        #expect(try message(["orderid"]) == #"--column takes NAME=HEADER (e.g. orderid=Order), got "orderid""#)
        #expect(try message(["price=Cost"]).contains(#"orders files have no column "price""#))
        #expect(try message(["orderid=A", "orderid=B"]) == "--column names orderid twice")
        #expect(try message(["orderid=A,sku=a"]) == "--column reads a twice")
        let missing = try #require(throws: CSVError.self) {
            try CSVImport.Kind.orders.checkHeader(
                ["orderid", "sku", "quantity"], options: CSVImport.HeaderOptions(renamed: ["orderid": "order"]))
        }
        #expect(
            missing.description
                == #"line 1: --column orderid=order: the header has no column "order"; it has orderid, sku, quantity"#)
    }

    @Test func ignoreColumnsAcceptsUnknownColumnsAndNamesThem() throws {
        let options = CSVImport.HeaderOptions(ignoresUnknownColumns: true)
        let ignored = try CSVImport.Kind.batches.checkHeader(
            ["reference", "Supplier", "sku", "quantity", "", "eta"], options: options)
        #expect(ignored == ["Supplier", "column 5 (no name)"])
        let missing = try #require(throws: CSVError.self) {
            try CSVImport.Kind.batches.checkHeader(["reference", "Supplier", "quantity"], options: options)
        }
        #expect(missing.description.contains("missing column sku"), "required columns are still required")
    }

    @Test func anExportedWaitingLineGivesItsWaitingSince() throws {
        let rows = try csvRecords(
            """
            orderid,sku,quantity,status,batchref,waiting_since,shipped_at
            O-1,LAMP,3,waiting,,2026-01-03T12:00:00.000Z,
            O-2,LAMP,2,allocated,B-1,,

            """)
        #expect(
            try CSVImport.Kind.orders.command(from: rows[0])
                == .allocate(Allocate(orderid: "O-1", sku: "LAMP", qty: 3, waitingSince: "2026-01-03T12:00:00.000Z")))
        #expect(
            try CSVImport.Kind.orders.command(from: rows[1]) == .allocate(Allocate(orderid: "O-2", sku: "LAMP", qty: 2))
        )
    }

    @Test(arguments: [
        "2026-01-03T12:00:00Z", "2026-01-03 12:00:00.000Z", "2026-13-03T12:00:00.000Z", "2026-01-03T24:00:00.000Z",
        "2026-01-03T12:00:00.000", "03/01/2026",
    ])
    func aWaitingSinceThatIsNotATimestampIsRefused(value: String) throws {
        let error = try #require(throws: ContractViolation.self) { try Validation.checkWaitingSince(value) }
        #expect(error.message.contains("is not a time in UTC YYYY-MM-DDTHH:MM:SS.sssZ"))
        try Validation.checkWaitingSince("2026-01-03T12:00:00.000Z")
    }
}
