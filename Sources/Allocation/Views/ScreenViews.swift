/// Read queries for the console's screens: positions, searches, filtered pages and counts.
///
/// Each touches only the rows a screen shows (LIMIT/OFFSET or one row); counts use `count(*)`.
extension Views {
    /// The board order as a row value: SKU, then allocation preference (no ETA first, earliest ETA, reference).
    private static let boardKey = "(b.sku, b.eta IS NOT NULL, coalesce(b.eta, ''), b.reference)"
    private static let boardKeyOf =
        "(SELECT sku, eta IS NOT NULL, coalesce(eta, ''), reference FROM batches WHERE reference = ?)"
    private static let boardOrder = "b.sku, b.eta IS NOT NULL, b.eta, b.reference"

    /// How many batches come before the batch `reference` on the board (its 0-based row); nil when it is gone.
    public static func boardPosition(reference: String, in db: Database) throws -> Int? {
        guard try db.queryOne("SELECT 1 FROM batches WHERE reference = ?", reference, map: { _ in true }) != nil
        else { return nil }
        return try db.queryOne(
            "SELECT count(*) FROM batches AS b WHERE \(boardKey) < \(boardKeyOf)", reference
        ) { $0.int(0) }
    }

    /// The reference of the next batch on the board, after (or before, when `forward` is false) the batch
    /// `reference`, whose reference or SKU contains `text` (ASCII case-insensitive); wraps around the board.
    public static func nextBatch(
        containing text: String, after reference: String?, forward: Bool = true, in db: Database
    ) throws -> String? {
        let match = "(instr(lower(b.reference), lower(?)) > 0 OR instr(lower(b.sku), lower(?)) > 0)"
        let order = forward ? boardOrder : "b.sku DESC, b.eta IS NOT NULL DESC, b.eta DESC, b.reference DESC"
        if let reference {
            let found = try db.queryOne(
                "SELECT b.reference FROM batches AS b WHERE \(match) AND \(boardKey) \(forward ? ">" : "<") "
                    + "\(boardKeyOf) ORDER BY \(order) LIMIT 1", text, text, reference
            ) { $0.text(0) }
            if let found { return found }
        }
        return try db.queryOne(
            "SELECT b.reference FROM batches AS b WHERE \(match) ORDER BY \(order) LIMIT 1", text, text
        ) { $0.text(0) }
    }

    /// One order line with its row id, for keyset paging; `batchref` is nil while it waits for stock.
    public struct LineRow: Equatable, Sendable {
        public let id: Int64
        public let orderid: String
        public let sku: String
        public let qty: Int
        public let batchref: String?

        public init(id: Int64, orderid: String, sku: String, qty: Int, batchref: String?) {
            self.id = id
            self.orderid = orderid
            self.sku = sku
            self.qty = qty
            self.batchref = batchref
        }
    }

    /// A page of order lines by id (keyset paging, so the millionth line costs what the first does): with
    /// `newer` false, the newest lines with id ≤ `id`, newest first; with `newer` true, the oldest lines with
    /// id > `id`, oldest first. Only lines whose order id or SKU is `filter`, when given.
    public static func lines(
        matching filter: String?, from id: Int64, newer: Bool, limit: Int, in db: Database
    ) throws -> [LineRow] {
        let page = newer ? "l.id > ? ORDER BY l.id" : "l.id <= ? ORDER BY l.id DESC"
        let map = { (row: Row) in
            LineRow(
                id: row.int64(0), orderid: row.text(1), sku: row.text(2), qty: row.int(3),
                batchref: row.optionalText(4))
        }
        let select = """
            SELECT l.id, l.orderid, l.sku, l.qty, b.reference FROM order_lines AS l
              LEFT JOIN allocations AS a ON a.orderline_id = l.id LEFT JOIN batches AS b ON b.id = a.batch_id
            """
        guard let filter else {
            return try db.query("\(select) WHERE \(page) LIMIT ?", id, limit, map: map)
        }
        // Each side takes at most one page from its own index (an order's lines by (orderid, sku), a SKU's by
        // (sku, id)), so a SKU with a million lines still costs one page, not a sort of all its lines.
        let side = newer ? "id > ? ORDER BY id LIMIT ?" : "id <= ? ORDER BY id DESC LIMIT ?"
        return try db.query(
            """
            \(select) WHERE l.id IN (
              SELECT id FROM (SELECT id FROM order_lines WHERE orderid = ? AND \(side))
              UNION SELECT id FROM (SELECT id FROM order_lines WHERE sku = ? AND \(side)))
            ORDER BY l.id\(newer ? "" : " DESC") LIMIT ?
            """, filter, id, limit, filter, id, limit, limit, map: map)
    }

    /// The number of order lines whose order id or SKU is `filter` (both indexed).
    public static func lineCount(matching filter: String, in db: Database) throws -> Int {
        try db.queryOne(
            "SELECT count(*) FROM order_lines WHERE orderid = ? OR sku = ?", filter, filter
        ) { $0.int(0) } ?? 0
    }

    /// A page of the event log by id: with `newer` false, the newest events with id ≤ `id`, newest first;
    /// with `newer` true, the oldest events with id > `id`, oldest first.
    public static func events(from id: Int64, newer: Bool, limit: Int, in db: Database) throws -> [EventRow] {
        let page = newer ? "id > ? ORDER BY id" : "id <= ? ORDER BY id DESC"
        return try db.query("SELECT id, at, kind, payload FROM events WHERE \(page) LIMIT ?", id, limit) {
            EventRow(id: $0.int64(0), at: $0.text(1), kind: $0.text(2), payload: $0.text(3))
        }
    }

    /// The number of products (SKUs).
    public static func skuCount(in db: Database) throws -> Int {
        try db.queryOne("SELECT count(*) FROM products") { $0.int(0) } ?? 0
    }
}
