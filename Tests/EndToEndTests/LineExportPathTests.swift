import Allocation
import Foundation
import TestSupport
import Testing

/// `export allocations` copies a line wholly on one batch from its row in place; every other line is decoded and
/// folded. Both give, row for row and byte for byte, what the general read of the lines gives, on lines of every
/// shape across several pages, read by the view and by the real binary.
@Suite struct LineExportPathTests {
    let fixture: CommandLineFixture
    static let count = 2 * 1000 + 345

    init() throws {
        fixture = try CommandLineFixture()
    }

    /// Lines of nine shapes, written straight in SQL: waiting, whole on one batch, the same with a non-ASCII order
    /// id, in two pieces, waiting with a piece, shipped, shipped in part with a piece, cancelled, and open with a
    /// piece short of its quantity and no waiting time.
    func fill() throws {
        let db = try rawConnection(to: fixture.path)
        try db.transaction { db in
            try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
            for index in 1...(Self.count + 1) {
                try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES (?, 'LAMP', 100)", "B-\(index)")
            }
            let since = "2026-01-15T00:00:00.000Z"
            for index in 1...Self.count {
                let shape = index % 9
                let orderid = shape == 2 ? "Ö-\(index)" : "O-\(index)"
                let qty = [3, 2, 2, 2, 3, 2, 4, 2, 3][shape]
                let line = Int64(index)
                try db.execute(
                    """
                    INSERT INTO order_lines (id, orderid, sku, qty, waiting_since, shipped_at, shipped_from,
                      shipped_qty, part_shipped_at, part_shipped_from, cancelled_at)
                    VALUES (?, ?, 'LAMP', ?, ?, ?, ?, ?, ?, ?, ?)
                    """, line, orderid, qty, shape == 0 || shape == 4 ? since : nil, shape == 5 ? since : nil,
                    shape == 5 ? "B-\(index)" : nil, shape == 5 ? qty : shape == 6 ? 1 : 0, shape == 6 ? since : nil,
                    shape == 6 ? "B-\(index)" : nil, shape == 7 ? since : nil)
                let pieces: [(batch: Int, qty: Int)] =
                    switch shape {
                    case 1, 2: [(index, 2)]
                    case 3: [(index, 1), (index + 1, 1)]
                    case 4, 8: [(index, 1)]
                    case 6: [(index, 3)]
                    default: []
                    }
                for piece in pieces {
                    try db.execute(
                        "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (?, ?, ?)", line,
                        Int64(piece.batch), piece.qty)
                }
            }
        }
    }

    /// Every line's rows through the general read, page after page by id.
    func generalRows(in db: Database) throws -> [Views.LineRow] {
        var rows: [Views.LineRow] = []
        var after: Int64 = 0
        while true {
            let page = try Views.lines(matching: nil, from: after, newer: true, limit: 500, in: db)
            guard let last = page.last else { return rows }
            rows += page
            after = last.id
        }
    }

    @Test func theInPlacePathGivesTheGeneralRowsAndTheExportTheirCSV() throws {
        try fill()
        let db = try rawConnection(to: fixture.path, access: .readOnly)
        let general = try generalRows(in: db)
        var listed: [Views.LineRow] = []
        var inPlace = 0
        try Views.eachListedLine(in: db) { line in
            switch line {
            case .inPlace(let piece):
                inPlace += 1
                listed.append(piece.decoded())
            case .decoded(let row): listed.append(row)
            }
        }
        #expect(listed.count == general.count && listed.count > Self.count)
        #expect(listed == general)
        // Shapes 1 only: 2,345 / 9 lines or so; the rest, non-ASCII included, decoded.
        #expect(inPlace > 200 && inPlace < Self.count / 4, "\(inPlace) in place")

        let csv = try fixture.stock("export", "allocations", "-")
        #expect(csv.status == 0, "\(csv.stderr)")
        let header = try #require(csv.stdout.split(separator: "\n", maxSplits: 1).first.map(String.init))
        let records = general.map { CSVWriter.line($0.exportFields) }
        #expect(csv.stdout == header + "\n" + records.joined())
    }
}
