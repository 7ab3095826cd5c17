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

    /// Order lines with their batches, newest first; only those whose order id or SKU is `filter` when given.
    public static func orderLines(matching filter: String?, limit: Int, offset: Int, in db: Database) throws
        -> [OrderLineRow]
    {
        let select = """
            SELECT l.orderid, l.sku, l.qty, b.reference FROM order_lines AS l
              LEFT JOIN allocations AS a ON a.orderline_id = l.id LEFT JOIN batches AS b ON b.id = a.batch_id
            """
        let map = { (row: Row) in
            OrderLineRow(orderid: row.text(0), sku: row.text(1), qty: row.int(2), batchref: row.optionalText(3))
        }
        guard let filter else {
            return try db.query("\(select) ORDER BY l.id DESC LIMIT ? OFFSET ?", limit, offset, map: map)
        }
        return try db.query(
            "\(select) WHERE l.orderid = ? OR l.sku = ? ORDER BY l.id DESC LIMIT ? OFFSET ?",
            filter, filter, limit, offset, map: map)
    }

    /// The number of order lines, only those whose order id or SKU is `filter` when given.
    public static func orderLineCount(matching filter: String? = nil, in db: Database) throws -> Int {
        guard let filter else {
            return try db.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } ?? 0
        }
        return try db.queryOne(
            "SELECT count(*) FROM order_lines WHERE orderid = ? OR sku = ?", filter, filter
        ) { $0.int(0) } ?? 0
    }

    /// The number of events in the log.
    public static func eventCount(in db: Database) throws -> Int {
        try db.queryOne("SELECT count(*) FROM events") { $0.int(0) } ?? 0
    }
}
