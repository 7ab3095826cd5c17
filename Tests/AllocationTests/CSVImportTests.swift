import Foundation
import TestSupport
import Testing

@testable import Allocation

/// What a batches or orders file's header and rows become: the import's checks and commands, by the core's rules.
@Suite struct CSVImportTests {
    /// The one data record of `text` (a header and a row).
    static func record(_ text: String) throws -> CSVRecord {
        try #require(try CSVReaderTests.records(text).first)
    }

    static func headerError(_ kind: CSVImport.Kind, _ names: [String]) throws -> String {
        try #require(throws: CSVError.self) { try kind.checkHeader(names) }.description
    }

    /// What a row is refused with: as it is read, or by the check every command gets in the bus.
    static func rowError(_ kind: CSVImport.Kind, _ text: String) throws -> String {
        let record = try record(text)
        return operatorMessage(
            for: try #require(throws: (any Error).self) {
                if let command = try kind.command(from: record) { try Validation.check(command) }
            })
    }

    @Test func columnsMayComeInAnyOrderAnyCaseWithSpacesAround() throws {
        try CSVImport.Kind.orders.checkHeader(["Quantity", " SKU ", "orderID"])
        try CSVImport.Kind.batches.checkHeader(["sku", "reference", "quantity"])
        let record = try Self.record("Quantity, SKU ,orderID\n3,LAMP,O-1\n")
        #expect(
            try CSVImport.Kind.orders.command(from: record) == .allocate(Allocate(orderid: "O-1", sku: "LAMP", qty: 3)))
    }

    @Test func anUnknownColumnIsRefusedWithItsName() throws {
        #expect(
            try Self.headerError(.batches, ["reference", "sku", "qty"])
                == #"line 1, column 3: unknown column "qty"; batches files have the columns reference, sku, quantity, eta, shipped in any order (on_hand, allocated, available are ignored); --ignore-columns imports the file without it, --column NAME=qty reads it as column NAME"#
        )
        #expect(
            try Self.headerError(.orders, ["orderid", "sku", "quantity", ""]).contains(
                "column 4: the column has no name"))
    }

    @Test func aMissingOrDuplicatedColumnIsRefused() throws {
        #expect(
            try Self.headerError(.orders, ["orderid", "sku"])
                == "line 1: missing column quantity; orders files have the columns orderid, sku, quantity in any order "
                + "(status, batchref, waiting_since, shipped_at are ignored)")
        #expect(try Self.headerError(.batches, ["sku"]).hasPrefix("line 1: missing columns reference, quantity;"))
        #expect(
            try Self.headerError(.orders, ["orderid", "SKU", "quantity", " sku"])
                == "line 1, column 4: column sku appears twice (columns 2 and 4)")
    }

    @Test func theColumnsExportAddsAreAcceptedAndIgnored() throws {
        try CSVImport.Kind.batches.checkHeader(["reference", "sku", "quantity", "eta", "allocated", "available"])
        try CSVImport.Kind.orders.checkHeader([
            "orderid", "sku", "quantity", "status", "batchref", "waiting_since", "shipped_at",
        ])
        let batch = try Self.record("reference,sku,quantity,eta,allocated,available\nB-1,LAMP,10,,junk,-3\n")
        #expect(
            try CSVImport.Kind.batches.command(from: batch)
                == .createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 10)))
    }

    @Test func aShippedLineIsHistoryAndBecomesNoCommand() throws {
        let text = "orderid,sku,quantity,status,batchref\nO-1,LAMP,2,shipped,B-1\nO-2,LAMP,2,allocated,B-1\n"
        let rows = try CSVReaderTests.records(text)
        #expect(try CSVImport.Kind.orders.command(from: rows[0]) == nil)
        #expect(
            try CSVImport.Kind.orders.command(from: rows[1]) == .allocate(Allocate(orderid: "O-2", sku: "LAMP", qty: 2))
        )
    }

    @Test func aBatchWithAnEmptyEtaIsInStockAndOneWithADateArrives() throws {
        let rows = try CSVReaderTests.records("reference,sku,quantity,eta\nB-1,LAMP,5,\nB-2,LAMP,5,2026-12-25\n")
        #expect(
            try CSVImport.Kind.batches.command(from: rows[0])
                == .createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 5)))
        #expect(
            try CSVImport.Kind.batches.command(from: rows[1])
                == .createBatch(CreateBatch(ref: "B-2", sku: "LAMP", qty: 5, eta: Day("2026-12-25"))))
    }

    @Test(arguments: [
        (#""1,000""#, #"quantity must be a whole number, got "1,000""#),
        ("1e3", #"quantity must be a whole number, got "1e3""#),
        ("", "quantity is missing"),
        ("0", "quantity must be positive, got 0"),
        ("2000000000", "quantity 2000000000 is too large; the limit is 1000000000"),
    ])
    func aQuantityIsCheckedAsTheCommandLineChecksIt(typed: String, message: String) throws {
        #expect(try Self.rowError(.orders, "orderid,sku,quantity\nO-1,LAMP,\(typed)\n") == message)
        #expect(try Self.rowError(.batches, "reference,sku,quantity\nB-1,LAMP,\(typed)\n") == message)
    }

    @Test func aDateThatIsNotISOIsRefusedAsTyped() throws {
        #expect(
            try Self.rowError(.batches, "reference,sku,quantity,eta\nB-1,LAMP,5,25/12/2026\n")
                == #"eta "25/12/2026" is not a valid date YYYY-MM-DD"#)
        #expect(
            try Self.rowError(.batches, "reference,sku,quantity,eta\nB-1,LAMP,5, 2026-12-25\n")
                == #"eta " 2026-12-25" is not a valid date YYYY-MM-DD"#)
    }

    @Test func identifiersAreCheckedByTheCoreAndNotTrimmed() throws {
        #expect(
            try Self.rowError(.orders, "orderid,sku,quantity\n O-1,LAMP,1\n")
                == #"order id " O-1" must not start or end with a space"#)
        #expect(try Self.rowError(.orders, "orderid,sku,quantity\n,LAMP,1\n") == "order id must not be empty")
        #expect(
            try Self.rowError(.batches, "reference,sku,quantity\n\"B\n1\",LAMP,1\n")
                == #"batch reference "B\u{a}1" contains control character U+A"#)
    }

    @Test func aTenMegabyteReferenceIsRefusedByTheLengthRule() throws {
        let big = String(repeating: "R", count: 10_000_000)
        #expect(
            try Self.rowError(.batches, "reference,sku,quantity\n\(big),LAMP,1\n")
                == "batch reference is 10000000 characters long; the limit is 255")
    }

    // MARK: Writer

    @Test(arguments: [
        ("plain", "plain"), ("", ""), ("a,b", #""a,b""#), (#"say "hi""#, #""say ""hi""""#),
        ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""), (" lead", #"" lead""#), ("trail ", #""trail ""#), ("in side", "in side"),
        ("café, 東京", #""café, 東京""#), ("tab\t", "\"tab\t\""),
    ])
    func aFieldIsQuotedOnlyWhenItMustBe(field: String, written: String) {
        #expect(CSVWriter.line([field]) == written + "\n")
    }

    @Test func whatTheWriterWritesTheReaderReadsBackUnchanged() throws {
        let values = [
            ["reference", "sku", "note"], ["Pallet, 2 \"big\"", "CAFÉ-TABLE", "two\r\nlines"], [" ", "", "\"\""],
            ["東京", "a\nb", ","],
        ]
        var bytes: [UInt8] = []
        var writer = CSVWriter(flushAt: 7) { bytes += $0 }
        for record in values { try writer.write(record) }
        try writer.flush()
        #expect(bytes.first != 0xEF, "no byte-order mark")
        #expect(try CSVReaderTests.records(bytes).map(\.fields) == Array(values.dropFirst()))
    }

    // MARK: Sample files

    static func sample(_ name: String) throws -> [CSVRecord] {
        let path = repositoryRoot + "/assets/samples/" + name
        let file = try CSVFile.open(path, kind: name.hasPrefix("batches") ? .batches : .orders)
        let reader = try file.records()
        var records: [CSVRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.count == file.rowCount)
        return records
    }

    /// The sample files applied in order through the bus, as `stock import` applies them, into an empty database.
    @Test func theSampleFilesApplyAsTheReadmeSays() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        defer { bus.finishNotifications() }
        func apply(_ name: String, _ kind: CSVImport.Kind) throws -> [String] {
            try Self.sample(name).map { record in
                do {
                    guard let command = try kind.command(from: record) else { return "row \(record.row): skipped" }
                    let outcome = try bus.handle(command)
                    return "row \(record.row): " + (outcome.leftLinesWaiting ? "waiting" : "done")
                } catch {
                    return "row \(record.row) (line \(record.line)): \(operatorMessage(for: error))"
                }
            }
        }
        #expect(try apply("batches.csv", .batches) == (1...4).map { "row \($0): done" })
        #expect(try Views.batches(in: store.database).map(\.reference).contains("ASN-7003, pallet 2"))
        #expect(try Views.batches(in: store.database).first { $0.reference == "ASN-7002" }?.eta == Day("2027-03-01"))
        #expect(
            try apply("orders.csv", .orders) == [
                "row 1: done", "row 2: done", "row 3: done", "row 4: done", "row 5: waiting",
            ])
        #expect(
            try Views.batches(in: store.database).map { "\($0.reference) \($0.allocated)" }.sorted() == [
                "ASN-7001 4", "ASN-7002 2", "ASN-7003, pallet 2 1", "ASN-7004 3",
            ], "README's export example")
        #expect(
            try apply("orders-with-errors.csv", .orders) == [
                "row 1: done",
                #"row 2 (line 3): quantity must be a whole number, got "1,000""#,
                #"row 3 (line 4): quantity must be a whole number, got "1e3""#,
                "row 4 (line 5): Invalid sku GREEN-CHAIR",
                "row 5 (line 6): order id must not be empty",
                "row 6: done",
            ])
    }
}
