import Allocation
import Foundation
import TestSupport
import Testing

@testable import stock

/// `stock events`, `events --json` and `export events -` copy most rows' stored text in place: their output is
/// byte for byte what the decoding path writes for every row, on rows the bus wrote and on rows it never writes
/// (odd timestamps, operators and payloads), read by the real binary.
@Suite struct EventListingPathTests {
    let fixture: CommandLineFixture

    init() throws {
        fixture = try CommandLineFixture()
        // The binary's locale shows CJK text; the expected lines are measured in the same one.
        setlocale(LC_CTYPE, "C.UTF-8")
    }

    /// Rows the bus writes, then rows another program could have left, each decodable.
    func fillDatabase() throws {
        let commands = [
            #"{"command":"CreateBatch","ref":"W-1","sku":"LAMP","qty":10}"#,
            #"{"command":"CreateBatch","ref":"W-2","sku":"LAMP","qty":5,"eta":"2026-03-01"}"#,
            #"{"command":"Allocate","orderid":"O-1","sku":"LAMP","qty":8}"#,
            #"{"command":"Allocate","orderid":"O-2","sku":"LAMP","qty":9}"#,
            #"{"command":"ChangeBatchQuantity","ref":"W-1","qty":4}"#,
            #"{"command":"Allocate","orderid":"Café \"1\"","sku":"在庫","qty":1}"#,
        ]
        _ = try fixture.stock(["--user", "ann"] + ["apply"], input: commands.joined(separator: "\n") + "\n")
        let database = try rawConnection(to: fixture.path)
        let rows: [(at: String, kind: String, payload: String, operator: String)] = [
            ("2026-01-15T10:00:00Z", "Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}"#, "bob"),
            ("2026-01-15T10:00:00.5Z", "Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}"#, ""),
            ("not a time", "Shipped", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}"#, "x"),
            ("2026-01-15T10:00:01.000Z", "Allocated", #"{ "orderid":"o","sku":"S","qty":1,"batchref":"B"}"#, "x"),
            ("2026-01-15T10:00:01.000Z", "Allocated", #"{"sku":"S","orderid":"o","qty":1,"batchref":"B"}"#, "x"),
            ("2026-01-15T10:00:01.000Z", "Allocated", #"{"orderid":"o\u0041","sku":"S","qty":1,"batchref":"B"}"#, "x"),
            (
                "2026-01-15T10:00:02.000Z", "Allocated",
                "{\"orderid\":\"o\u{85}\",\"sku\":\"S\",\"qty\":1,\"batchref\":\"B\"}", "x"
            ),
            ("2026-01-15T10:00:03.000Z", "OutOfStock", #"{"sku":"S","qty":2}"#, "在庫係"),
            ("2026-01-15T10:00:03.000Z", "OutOfStock", #"{"sku":"S"}"#, "esc\u{1B}[31m"),
            ("2026-01-15T10:00:03.000Z\u{1B}[2J", "BatchReceived", #"{"ref":"B","qty":3}"#, "a\"b\\c"),
            ("2026-01-15T10:00:04.000Z", "BatchEtaChanged", #"{"ref":"B","eta":"2026-02-01"}"#, "tab\there"),
            ("2026-01-15T10:00:04.000Z", "BatchCreated", #"{"ref":"B","sku":"S","qty":1,"eta":null}"#, "comma,op"),
            ("2026-01-15T10:00:05.000Z", "Deallocated", #"{"orderid":"o","sku":"S","qty":1}"#, " spaced "),
        ]
        for row in rows {
            try database.execute(
                "INSERT INTO events (at, kind, payload, operator) VALUES (?, ?, ?, ?)", row.at, row.kind, row.payload,
                row.operator)
        }
    }

    /// Every row decoded, as the general path reads it, and how many a listing reads in place.
    func decodedRows() throws -> (rows: [EventRow], inPlace: Int) {
        let database = try rawConnection(to: fixture.path, access: .readOnly)
        var inPlace = 0
        try Views.eachListedEvent(in: database) { if case .inPlace = $0 { inPlace += 1 } }
        return (try Views.events(after: 0, in: database), inPlace)
    }

    @Test func listingsPrintWhatTheDecodedRowsPrint() throws {
        try fillDatabase()
        let (rows, inPlace) = try decodedRows()
        #expect(rows.count >= 20)
        #expect(inPlace >= 8 && inPlace < rows.count, "some rows in place, some decoded: \(inPlace) of \(rows.count)")

        let zone = try #require(LocalZone(named: "UTC"))
        let text = EventText(zone: zone, fitting: rows.reversed(), anyKind: true)
        let listed = try fixture.stock("events")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == rows.map { text.line(for: $0) + "\n" }.joined())

        let json = try fixture.stock("events", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout == rows.map { $0.json + "\n" }.joined())

        let csv = try fixture.stock("export", "events", "-")
        #expect(csv.status == 0, "\(csv.stderr)")
        let header = try #require(csv.stdout.split(separator: "\n", maxSplits: 1).first.map(String.init))
        let records = rows.map { CSVWriter.line([String($0.id), $0.at, $0.operator, $0.kind, $0.payload]) }
        #expect(csv.stdout == header + "\n" + records.joined())
    }

    @Test func aListingFromAnIdPrintsTheSameRowsAsTheirDecodedLines() throws {
        try fillDatabase()
        let (rows, _) = try decodedRows()
        let after = rows[rows.count / 2].id
        let json = try fixture.stock("events", "--json", "--since", String(after))
        #expect(json.stdout == rows.filter { $0.id > after }.map { $0.json + "\n" }.joined())
    }
}
