import Allocation
import Foundation
import TestSupport
import Testing

/// `stock export`, run as the real binary: CSV that the import's reader and row mapping read back.
@Suite struct ExportCommandLineTests {
    let fixture: CommandLineFixture

    init() throws {
        fixture = try CommandLineFixture()
    }

    /// Batches with and without an ETA, references, SKUs and order ids with commas, quotes and non-ASCII text,
    /// lines allocated, waiting and shipped, all through `stock apply`.
    func fillDatabase() throws {
        let commands = [
            #"{"command":"CreateBatch","ref":"W-1","sku":"CAFÉ-TABLE","qty":10}"#,
            #"{"command":"CreateBatch","ref":"Pallet, 2 \"big\"","sku":"CAFÉ-TABLE","qty":5,"eta":"2026-03-01"}"#,
            #"{"command":"CreateBatch","ref":"東京-1","sku":"LAMP","qty":4,"eta":"2026-02-01"}"#,
            #"{"command":"Allocate","orderid":"O-1","sku":"CAFÉ-TABLE","qty":8}"#,
            #"{"command":"Allocate","orderid":"O,2 \"x\"","sku":"CAFÉ-TABLE","qty":4}"#,
            #"{"command":"Allocate","orderid":"O-3","sku":"LAMP","qty":3}"#,
            #"{"command":"Allocate","orderid":"O-4","sku":"LAMP","qty":5}"#,
            #"{"command":"Allocate","orderid":"O-5","sku":"CAFÉ-TABLE","qty":2}"#,
            #"{"command":"Ship","orderid":"O-5"}"#,
        ]
        let result = try fixture.stock("apply", input: commands.joined(separator: "\n") + "\n")
        #expect(result.status == 4, "a line waits: \(result.stdout) \(result.stderr)")
    }

    /// Every batch as `reference sku purchased allocated eta`, sorted.
    static func batches(_ database: Database) throws -> [String] {
        try Views.batches(in: database).map {
            "\($0.reference) \($0.sku) \($0.purchased) \($0.allocated) \($0.eta?.description ?? "-")"
        }.sorted()
    }

    /// Every line not shipped as `orderid sku qty batch-or-waiting`, oldest first.
    static func openLines(_ database: Database) throws -> [String] {
        try Views.lines(matching: nil, from: 0, newer: true, limit: 1000, in: database).compactMap { line in
            switch line.status {
            case .allocated(let batch): "\(line.orderid) \(line.sku) \(line.qty) \(batch)"
            case .waiting: "\(line.orderid) \(line.sku) \(line.qty) waiting"
            case .shipped, .cancelled: nil
            }
        }
    }

    @Test func batchesAndOrdersExportedThenImportedIntoAnEmptyDatabaseAreTheSame() throws {
        try fillDatabase()
        let batchesFile = fixture.folder.appendingPathComponent("batches.csv").path
        let ordersFile = fixture.folder.appendingPathComponent("orders.csv").path
        #expect(try fixture.stock("export", "batches", batchesFile).status == 0)
        #expect(try fixture.stock("export", "allocations", ordersFile).status == 0)

        let copy = try TestDatabase()
        let bus = copy.makeBus()
        defer { bus.finishNotifications() }
        var skipped: [String] = []
        for (path, kind) in [(batchesFile, CSVImport.Kind.batches), (ordersFile, .orders)] {
            let reader = try CSVFile.open(path, kind: kind).records()
            while let record = try reader.next() {
                guard let command = try kind.command(from: record) else {
                    skipped.append(record.fields.prefix(3).joined(separator: " "))
                    continue
                }
                _ = try bus.handle(command)
            }
        }
        let original = try rawConnection(to: fixture.path, access: .readOnly)
        #expect(try Self.batches(copy.database) == Self.batches(original))
        #expect(try Self.openLines(copy.database) == Self.openLines(original))
        #expect(try Self.openLines(copy.database).contains(#"O,2 "x" CAFÉ-TABLE 4 Pallet, 2 "big""#))
        #expect(try Self.openLines(copy.database).contains("O-4 LAMP 5 waiting"))
        #expect(skipped == ["O-5 CAFÉ-TABLE 2"], "the shipped line is history")
    }

    @Test func eachTableIsWrittenWithItsHeaderAndQuotedOnlyWhereNeeded() throws {
        try fillDatabase()
        let batches = try fixture.stock("export", "batches")
        #expect(batches.status == 0)
        #expect(
            batches.stdout == """
                reference,sku,quantity,eta,shipped,on_hand,allocated,available
                W-1,CAFÉ-TABLE,10,,2,8,8,0
                "Pallet, 2 ""big\""",CAFÉ-TABLE,5,2026-03-01,0,5,4,1
                東京-1,LAMP,4,2026-02-01,0,4,3,1

                """)
        let allocations = try fixture.stock("export", "allocations", "-").stdout.split(separator: "\n")
        #expect(allocations.first == "orderid,sku,quantity,status,batchref,waiting_since,shipped_at")
        #expect(allocations[1] == "O-1,CAFÉ-TABLE,8,allocated,W-1,,")
        #expect(allocations[2] == #""O,2 ""x""",CAFÉ-TABLE,4,allocated,"Pallet, 2 ""big""",,"#)
        #expect(allocations[4].hasPrefix("O-4,LAMP,5,waiting,,20"))
        #expect(allocations[5].hasPrefix("O-5,CAFÉ-TABLE,2,shipped,W-1,,20"))
        let backorders = try fixture.stock("export", "backorders").stdout.split(separator: "\n")
        #expect(backorders.count == 2)
        #expect(backorders[0] == "orderid,sku,quantity,waiting_since")
        #expect(backorders[1].hasPrefix("O-4,LAMP,5,20"))
    }

    @Test func eventsAreWrittenOldestFirstWithTheirTimeOperatorKindAndFields() throws {
        try fillDatabase()
        let text = try fixture.stock("export", "events").stdout
        let rows = try csvRecords(text)
        #expect(rows.first?.header == ["id", "at", "operator", "kind", "payload"])
        #expect(rows.map { $0.fields[0] } == rows.indices.map { String($0 + 1) })
        let first = try #require(rows.first)
        #expect(first.fields[1].hasSuffix("Z") && first.fields[1].contains("T"))
        #expect(first.fields[3] == "BatchCreated")
        let payload = try #require(fixture.decodeJSON(first.fields[4]) as? [String: Any])
        #expect(payload["ref"] as? String == "W-1")
        #expect(rows.contains { $0.fields[3] == "Shipped" })
    }

    @Test func anEmptyDatabaseExportsTheHeaderOnly() throws {
        let result = try fixture.stock("export", "backorders")
        #expect(result.status == 0)
        #expect(result.stdout == "orderid,sku,quantity,waiting_since\n")
    }

    @Test func aFileIsReplacedWholeKeepingItsPermissionsAndNoTemporaryFileIsLeft() throws {
        try fillDatabase()
        let path = fixture.folder.appendingPathComponent("out.csv").path
        try "old content\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o640)
        let result = try fixture.stock("export", "backorders", path)
        #expect(result.status == 0 && result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stderr)")
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.hasPrefix("orderid,sku,quantity,waiting_since\nO-4,LAMP,5,"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path)
        #expect(names.filter { $0.hasPrefix(".out.csv") }.isEmpty, "\(names)")
    }

    @Test func theDatabaseAFolderOrAMissingFolderIsRefusedAndNothingIsWritten() throws {
        try fillDatabase()
        let before = try fixture.contents()
        let database = try fixture.stock("export", "batches", fixture.path)
        #expect(database.status == 3)
        // A server's URL is no file, and no file of that name can be made.
        #expect(database.stderr.contains("cannot write \(fixture.path): ") && !database.stderr.contains("exported"))
        if !TestEngine.isPostgres {
            #expect(database.stderr.contains("cannot write \(fixture.path): it is the database"))
        }
        #expect(try fixture.contents() == before)
        let folder = try fixture.stock("export", "batches", fixture.folder.path)
        #expect(folder.status == 3)
        #expect(folder.stderr.contains("it is a folder"))
        let missing = fixture.folder.appendingPathComponent("no/such/out.csv").path
        let nowhere = try fixture.stock("export", "events", missing)
        #expect(nowhere.status == 3)
        #expect(nowhere.stderr.contains("cannot write \(missing): No such file or directory"))
    }

    @Test func anUnknownTableIsBadUsageWithTheNearestOne() throws {
        let result = try fixture.stock("export", "batchs")
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix(
                #"export writes batches, allocations, backorders or events, got "batchs"; did you mean batches?"#))
    }
}
