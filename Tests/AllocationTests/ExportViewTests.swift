import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The export's reads go page by page by id: every row once, in order, across page boundaries.
@Suite struct ExportViewTests {
    static let count = 2 * Views.exportPage + 345

    /// `count` batches and lines written straight in SQL (the bus is not what is tested): every third line
    /// waits, the others are allocated to their batch.
    static func filled() throws -> TestDatabase {
        let store = try TestDatabase()
        try store.database.transaction { db in
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
            for index in 1...count {
                try db.execute(
                    "INSERT INTO batches (reference, sku, purchased) VALUES (?, 'LAMP', 1)", "B-\(index)")
                let waiting = index % 3 == 0 ? "2026-01-15T00:00:00.000Z" : nil
                let line = try db.insert(
                    "INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES (?, 'LAMP', 1, ?)", "O-\(index)",
                    waiting)
                if waiting == nil {
                    try db.execute(
                        "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (?, ?, 1)", line, Int64(index))
                }
            }
        }
        return store
    }

    @Test func everyBatchAndLineIsReadOnceInOrderAcrossPages() throws {
        let store = try Self.filled()
        var batches: [String] = []
        try Views.eachBatch(in: store.database) { batches.append($0.reference) }
        #expect(batches == (1...Self.count).map { "B-\($0)" })
        var lines: [String] = []
        try Views.eachListedLine(in: store.database) { listed in
            let line =
                switch listed {
                case .inPlace(let piece): piece.decoded()
                case .decoded(let row): row
                }
            lines.append("\(line.orderid) \(line.batchref ?? "waiting")")
        }
        #expect(lines == (1...Self.count).map { "O-\($0) \($0 % 3 == 0 ? "waiting" : "B-\($0)")" })
        var waiting: [String] = []
        try Views.eachBackorder(in: store.database) { waiting.append($0.orderid) }
        #expect(waiting == (1...Self.count).filter { $0 % 3 == 0 }.map { "O-\($0)" })
    }

    @Test func everyEventIsReadOnceInOrderAcrossPages() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        defer { bus.finishNotifications() }
        for index in 1...(Views.exportPage + 5) {
            _ = try bus.handle(.createBatch(CreateBatch(ref: "B-\(index)", sku: "LAMP", qty: 1)))
        }
        var ids: [Int64] = []
        try Views.eachListedEvent(in: store.database) { event in
            switch event {
            case .inPlace(let stored): ids.append(stored.id)
            case .decoded(let row): ids.append(row.id)
            }
        }
        #expect(ids == Array(1...Int64(Views.exportPage + 5)))
    }

    /// 100,000 rows are checked and read again in linear time, and one malformed row in the middle refuses the
    /// file whole, naming its line.
    @Test func aHundredThousandRowFileIsCheckedAndReadAndOneBadRowInTheMiddleIsNamed() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("orders.csv").path
        var rows = (1...100_000).map { "ORD-\($0),\"SKU, \($0 % 7)\",\($0 % 50 + 1)" }
        try ("orderid,sku,quantity\r\n" + rows.joined(separator: "\r\n")).write(
            toFile: path, atomically: true, encoding: .utf8)
        let started = Date()
        let file = try CSVFile.open(path, kind: .orders)
        #expect(file.rowCount == 100_000)
        let reader = try file.records()
        var last: CSVRecord?
        while let record = try reader.next() { last = record }
        #expect(last?.value(of: "orderid") == "ORD-100000")
        #expect(last?.line == 100_001)
        #expect(Date().timeIntervalSince(started) < 30)

        rows[49_999] = "ORD-50000,SKU,1,extra"
        try ("orderid,sku,quantity\n" + rows.joined(separator: "\n")).write(
            toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: CSVError.self) { try CSVFile.open(path, kind: .orders) }
        #expect(error?.line == 50_001)
    }
}
