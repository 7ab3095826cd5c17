/// A line of a customer order: a quantity of one SKU. An order has at most one line per SKU.
///
/// The struct is both the domain value and its `order_lines` row; `batchReference` is read with it from
/// `allocations` (nil while the line waits for stock).
struct OrderLine: Hashable, Sendable {
    var id: Int64?
    var orderid: String
    var sku: String
    var qty: Int
    var batchReference: String?

    init(id: Int64? = nil, orderid: String, sku: String, qty: Int, batchReference: String? = nil) {
        self.id = id
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.batchReference = batchReference
    }
}

extension OrderLine {
    static let columns = "l.id, l.orderid, l.sku, l.qty, b.reference"
    static let joins = """
        order_lines AS l LEFT JOIN allocations AS a ON a.orderline_id = l.id
          LEFT JOIN batches AS b ON b.id = a.batch_id
        """

    init(row: Row) {
        self.init(
            id: row.int64(0), orderid: row.text(1), sku: row.text(2), qty: row.int(3),
            batchReference: row.optionalText(4))
    }

    /// Built once: the statement cache is keyed by this text, and the allocation path runs it every time.
    private static let findSQL = "SELECT \(columns) FROM \(joins) WHERE l.orderid = ? AND l.sku = ?"

    /// The order's line for `sku`, through the UNIQUE (orderid, sku) index.
    static func find(orderid: String, sku: String, in db: Database) throws -> OrderLine? {
        try db.queryOne(findSQL, orderid, sku) { OrderLine(row: $0) }
    }

    /// The lines allocated to a batch, newest order line first (the first to give way when it shrinks, so older
    /// orders keep their stock), in the order of the index `allocations_by_batch`.
    static func allocated(toBatch reference: String, in db: Database) throws -> [OrderLine] {
        try db.query(
            """
            SELECT \(columns) FROM batches AS b JOIN allocations AS a ON a.batch_id = b.id
              JOIN order_lines AS l ON l.id = a.orderline_id
            WHERE b.reference = ? ORDER BY a.orderline_id DESC
            """, reference
        ) { OrderLine(row: $0) }
    }

    /// Inserts the row and returns the line with its id.
    func insert(into db: Database) throws -> OrderLine {
        var inserted = self
        inserted.id = try db.insert("INSERT INTO order_lines (orderid, sku, qty) VALUES (?, ?, ?)", orderid, sku, qty)
        return inserted
    }

    /// Writes the line's place: its allocation row on `batch`, or no row when `batch` is nil.
    ///
    /// An upsert, not `INSERT OR REPLACE`: REPLACE deletes without firing delete triggers, and the schema's
    /// triggers keep each batch's `allocated` from exactly these inserts, updates and deletes.
    func saveAllocation(to batch: Batch?, in db: Database) throws {
        guard let id else { preconditionFailure("saving the allocation of a line that was never inserted") }
        if let batchID = batch?.id {
            try db.execute(
                """
                INSERT INTO allocations (orderline_id, batch_id) VALUES (?, ?)
                  ON CONFLICT (orderline_id) DO UPDATE SET batch_id = excluded.batch_id
                """, id, batchID)
        } else {
            try db.execute("DELETE FROM allocations WHERE orderline_id = ?", id)
        }
    }

    /// Deletes the line, taking it off its batch first.
    func delete(in db: Database) throws {
        guard let id else { return }
        try db.execute("DELETE FROM allocations WHERE orderline_id = ?", id)
        try db.execute("DELETE FROM order_lines WHERE id = ?", id)
    }
}
