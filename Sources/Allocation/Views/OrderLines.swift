/// Where one line of an order went.
public struct AllocationRow: Equatable, Sendable {
    public let sku: String
    public let batchref: String

    /// `{"sku","batchref"}`, as `stock allocations --json` prints it.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("sku", sku)
        json.add("batchref", batchref)
        return json.text
    }
}

extension Views {
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

        /// The row of a line read with ``OrderLine/columns``; a line is always stored, so it has an id.
        init(_ line: OrderLine) {
            self.init(
                id: line.id ?? 0, orderid: line.orderid, sku: line.sku, qty: line.qty, batchref: line.batchReference)
        }
    }

    /// Where did order X go: its lines' SKUs and batches, sorted by SKU; empty when none.
    public static func allocations(orderid: String, in db: Database) throws -> [AllocationRow] {
        try db.query(
            """
            SELECT \(OrderLine.columns) FROM \(OrderLine.joins)
            WHERE l.orderid = ? AND b.reference IS NOT NULL ORDER BY l.sku
            """, orderid
        ) { row in
            let line = OrderLine(row: row)
            return AllocationRow(sku: line.sku, batchref: line.batchReference ?? "")
        }
    }

    /// A page of order lines by id (keyset paging, so the millionth line costs what the first does): with
    /// `newer` false, the newest lines with id ≤ `id`, newest first; with `newer` true, the oldest lines with
    /// id > `id`, oldest first. Only lines whose order id or SKU is `filter`, when given.
    public static func lines(
        matching filter: String?, from id: Int64, newer: Bool, limit: Int, in db: Database
    ) throws -> [LineRow] {
        let map = { (row: Row) in LineRow(OrderLine(row: row)) }
        let select = "SELECT \(OrderLine.columns) FROM \(OrderLine.joins)"
        guard let filter else {
            let page = newer ? "l.id > ? ORDER BY l.id" : "l.id <= ? ORDER BY l.id DESC"
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
}
