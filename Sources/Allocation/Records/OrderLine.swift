/// A line of a customer order: a quantity of one SKU. An order has at most one line per SKU.
///
/// The struct is both the domain value and its `order_lines` row; its `pieces` are read with it from
/// `allocations`, one per batch it takes from. A stored line is allocated (its pieces hold all of it), waiting for
/// stock (`waitingSince` set: no piece, or pieces holding part of it and a rest that waits) or shipped
/// (`shippedAt` and `shippedFrom` set). A line shipped in part (`shippedQty` short of `qty`, `shippedAt` nil) is
/// still open for the rest, which the pieces and the waiting part hold as for any line. A cancelled line
/// (`cancelledAt` set) holds nothing and waits for nothing; it stays listed with its order. Its id is its age:
/// "oldest first" means ascending id.
struct OrderLine: Hashable, Sendable {
    var id: Int64?
    var orderid: String
    var sku: String
    var qty: Int
    /// Where the line is: one piece per batch it takes from, in the order read.
    var pieces: [Piece]
    /// When the line started waiting for stock (an ISO 8601 timestamp); nil unless it waits.
    var waitingSince: String?
    /// When the line left the warehouse; nil unless it was shipped.
    var shippedAt: String?
    /// The batch the line was shipped from; nil unless it was shipped.
    var shippedFrom: String?
    /// The units shipped so far: all of a shipped line, a part of one shipped in part, else 0.
    var shippedQty = 0
    /// When the last part of a line shipped in part left, and the batches its shipped part left from; nil
    /// until a part ships.
    var partShippedAt: String?
    var partShippedFrom: String?
    /// When the line was cancelled; nil unless it was.
    var cancelledAt: String?

    init(
        id: Int64? = nil, orderid: String, sku: String, qty: Int, batchReference: String? = nil,
        waitingSince: String? = nil, shippedAt: String? = nil, shippedFrom: String? = nil
    ) {
        self.id = id
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.pieces = batchReference.map { [Piece(batchref: $0, qty: qty)] } ?? []
        self.waitingSince = waitingSince
        self.shippedAt = shippedAt
        self.shippedFrom = shippedFrom
        self.shippedQty = shippedAt == nil ? 0 : qty
    }

    var isShipped: Bool { shippedAt != nil }
    var isCancelled: Bool { cancelledAt != nil }
    /// Neither shipped nor cancelled: it holds stock, or waits for it.
    var isOpen: Bool { !isShipped && !isCancelled }
    var isWaiting: Bool { pieces.isEmpty && isOpen }
    /// The quantity not shipped yet: what the pieces and the waiting part hold.
    var open: Int { qty - shippedQty }
    /// The quantity the pieces hold.
    var placed: Int { pieces.reduce(0) { $0 + $1.qty } }
    /// The part no batch holds: all of a waiting line, the rest of a partly placed one, 0 otherwise.
    var waitingPart: Int { isOpen ? open - placed : 0 }

    /// The one batch a line wholly in one piece is on; nil for a waiting line or one in several pieces. Setting it
    /// puts all the line has open on that batch (nil: on none).
    var batchReference: String? {
        get { pieces.count == 1 && pieces[0].qty == open ? pieces[0].batchref : nil }
        set { pieces = newValue.map { [Piece(batchref: $0, qty: open)] } ?? [] }
    }

    /// The lines of `rows` read one row per piece, each line once with all its pieces; the rows of one line must
    /// be next to each other.
    static func folded(_ rows: [OrderLine]) -> [OrderLine] {
        var lines: [OrderLine] = []
        for row in rows {
            if let last = lines.last, last.id != nil, last.id == row.id {
                lines[lines.count - 1].pieces += row.pieces
            } else {
                lines.append(row)
            }
        }
        return lines
    }
}

extension OrderLine {
    static let columns =
        """
        l.id, l.orderid, l.sku, l.qty, b.reference, l.waiting_since, l.shipped_at, l.shipped_from, a.qty, \
        l.shipped_qty, l.part_shipped_at, l.part_shipped_from, l.cancelled_at
        """
    /// How many columns ``columns`` reads: a query may add its own after them.
    static let columnCount: Int32 = 13
    static let joins = """
        order_lines AS l LEFT JOIN allocations AS a ON a.orderline_id = l.id
          LEFT JOIN batches AS b ON b.id = a.batch_id
        """

    init(row: Row) {
        self.init(
            id: row.int64(0), orderid: row.text(1), sku: row.text(2), qty: row.int(3),
            waitingSince: row.optionalText(5), shippedAt: row.optionalText(6), shippedFrom: row.optionalText(7))
        pieces = row.optionalText(4).map { [Piece(batchref: $0, qty: row.int(8))] } ?? []
        shippedQty = row.int(9)
        partShippedAt = row.optionalText(10)
        partShippedFrom = row.optionalText(11)
        cancelledAt = row.optionalText(12)
    }

    private static let findSQL = SQL("SELECT \(columns) FROM \(joins) WHERE l.orderid = ? AND l.sku = ?")

    /// The order's line for `sku` with its pieces, through the UNIQUE (orderid, sku) index.
    static func find(orderid: String, sku: String, in db: Database) throws -> OrderLine? {
        folded(try db.query(findSQL, orderid, sku) { OrderLine(row: $0) }).first
    }

    /// Every line of the order, by SKU, through the UNIQUE (orderid, sku) index.
    static func forOrder(_ orderid: String, in db: Database) throws -> [OrderLine] {
        folded(
            try db.query("SELECT \(columns) FROM \(joins) WHERE l.orderid = ? ORDER BY l.sku", orderid) {
                OrderLine(row: $0)
            })
    }

    /// The lines with a piece on a batch, oldest order line first, each with all its pieces.
    static func allocated(toBatch reference: String, in db: Database) throws -> [OrderLine] {
        folded(
            try db.query(
                """
                SELECT \(columns) FROM allocations AS a JOIN batches AS b ON b.id = a.batch_id
                  JOIN order_lines AS l ON l.id = a.orderline_id
                WHERE a.orderline_id IN (
                  SELECT h.orderline_id FROM allocations AS h JOIN batches AS hb ON hb.id = h.batch_id
                  WHERE hb.reference = ?)
                ORDER BY a.orderline_id, a.batch_id
                """, reference
            ) { OrderLine(row: $0) })
    }

    /// The partial index `order_lines_waiting` finds the lines; a partly placed one brings its pieces.
    private static let waitingSQL = SQL(
        """
        SELECT \(columns) FROM \(joins) WHERE l.sku = ? AND l.waiting_since IS NOT NULL ORDER BY l.id
        """)

    /// The SKU's waiting lines, oldest first, with the pieces of any partly placed one.
    static func waiting(sku: String, in db: Database) throws -> [OrderLine] {
        folded(try db.query(waitingSQL, sku) { OrderLine(row: $0) })
    }

    /// The SKUs that have waiting lines, through the partial index `order_lines_waiting`.
    static func skusWithWaitingLines(in db: Database) throws -> [String] {
        try db.query("SELECT DISTINCT sku FROM order_lines WHERE waiting_since IS NOT NULL ORDER BY sku") {
            $0.text(0)
        }
    }

    /// Inserts the row (waiting when `waitingSince` is set) and returns the line with its id.
    func insert(into db: Database) throws -> OrderLine {
        var inserted = self
        inserted.id = try db.insert(OrderLine.insertSQL, orderid, sku, qty, waitingSince)
        return inserted
    }

    private static let insertSQL = SQL("INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES (?, ?, ?, ?)")

    /// Inserts the row unless the order already has a line for the SKU, and returns the line with its id, or nil
    /// when it was there: for a new line, one statement where a lookup and an insert would take two.
    func insertIfNew(into db: Database) throws -> OrderLine? {
        let id = try db.insert(OrderLine.insertIfNewSQL, orderid, sku, qty, waitingSince)
        guard db.changes == 1 else { return nil }
        var inserted = self
        inserted.id = id
        return inserted
    }

    private static let insertIfNewSQL = SQL(
        """
        INSERT INTO order_lines (orderid, sku, qty, waiting_since) VALUES (?, ?, ?, ?)
          ON CONFLICT (orderid, sku) DO NOTHING
        """)

    /// Writes the line's place: one allocation row on `batch` holding all the line has open (no longer
    /// waiting), any on other batches deleted first, or, when `batch` is nil, no allocation row and waiting since
    /// `waitingSince`.
    ///
    /// An upsert, not `INSERT OR REPLACE`: REPLACE deletes without firing delete triggers, and the schema's
    /// triggers keep each batch's `allocated` from exactly these inserts, updates and deletes. The order of the
    /// statements keeps the schema's rules that a line whose allocations hold all of it never waits, and that a
    /// line's allocations never add up to more than its quantity.
    func saveAllocation(to batch: Batch?, in db: Database) throws {
        guard let id else { preconditionFailure("saving the allocation of a line that was never inserted") }
        if let batchID = batch?.id {
            if waitingSince != nil {
                try db.execute(OrderLine.stopWaitingSQL, id)
            }
            try db.execute(OrderLine.unallocateElsewhereSQL, id, batchID)
            try db.execute(OrderLine.allocateSQL, id, batchID, open)
        } else {
            try db.execute(OrderLine.unallocateSQL, id)
            try db.execute(OrderLine.waitSQL, waitingSince, id)
        }
    }

    /// Puts `qty` of this line, inserted in this transaction, on `batch` with one insert: the whole
    /// line on the allocation hot path, or one piece of a line placed in several.
    func savePiece(_ qty: Int, on batch: Batch?, in db: Database) throws {
        guard let id, let batchID = batch?.id else { preconditionFailure("a piece of a line or batch not stored") }
        try db.execute(OrderLine.insertAllocationSQL, id, batchID, qty)
    }

    private static let insertAllocationSQL = SQL(
        "INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (?, ?, ?)")
    private static let stopWaitingSQL = SQL("UPDATE order_lines SET waiting_since = NULL WHERE id = ?")
    private static let unallocateElsewhereSQL = SQL("DELETE FROM allocations WHERE orderline_id = ? AND batch_id <> ?")
    private static let allocateSQL = SQL(
        """
        INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (?, ?, ?)
          ON CONFLICT (orderline_id, batch_id) DO UPDATE SET qty = excluded.qty
        """)
    private static let unallocateSQL = SQL("DELETE FROM allocations WHERE orderline_id = ?")
    private static let waitSQL = SQL("UPDATE order_lines SET waiting_since = ? WHERE id = ?")

    /// Ships `shipped`, pieces of this line, at `at`: they leave the line's allocations, and the line is kept as
    /// shipped from every batch any part of it left (joined by `, `) when nothing of it stays open, or as shipped
    /// in part, the rest open on its other pieces and its waiting part, otherwise.
    func saveShipment(_ shipped: [Piece], at: String, in db: Database) throws {
        guard let id, !shipped.isEmpty else { preconditionFailure("shipping nothing of a line") }
        let units = shipped.reduce(0) { $0 + $1.qty }
        var from = partShippedFrom.map { $0.components(separatedBy: ", ") } ?? []
        for piece in shipped where !from.contains(piece.batchref) { from.append(piece.batchref) }
        for piece in shipped {
            try db.execute(OrderLine.deleteShippedPieceSQL, id, piece.batchref)
        }
        if units == open {
            try db.execute(OrderLine.shipSQL, at, from.joined(separator: ", "), qty, id)
        } else {
            try db.execute(OrderLine.shipPartSQL, shippedQty + units, at, from.joined(separator: ", "), id)
        }
    }

    private static let deleteShippedPieceSQL = SQL(
        "DELETE FROM allocations WHERE orderline_id = ? AND batch_id = (SELECT id FROM batches WHERE reference = ?)")
    private static let shipSQL = SQL(
        "UPDATE order_lines SET shipped_at = ?, shipped_from = ?, shipped_qty = ? WHERE id = ?")
    private static let shipPartSQL = SQL(
        "UPDATE order_lines SET shipped_qty = ?, part_shipped_at = ?, part_shipped_from = ? WHERE id = ?")

    /// Ends the line where it stands at `at`, taking it off its batches first: kept as cancelled, or, when a part
    /// of it was shipped, as shipped with the quantity that shipped, when and from where that part left.
    func close(at: String, in db: Database) throws {
        guard let id else { return }
        try db.execute("DELETE FROM allocations WHERE orderline_id = ?", id)
        if shippedQty > 0 {
            try db.execute(
                """
                UPDATE order_lines SET qty = shipped_qty, waiting_since = NULL, shipped_at = part_shipped_at,
                  shipped_from = part_shipped_from
                WHERE id = ?
                """, id)
        } else {
            try db.execute("UPDATE order_lines SET waiting_since = NULL, cancelled_at = ? WHERE id = ?", at, id)
        }
    }

    /// Writes the line's quantity, and clears its `waiting_since` unless it still `waiting`: before its new pieces
    /// when it grows, after its freed pieces when it shrinks, so that its pieces never exceed what it has open.
    func saveQuantity(waiting: Bool, in db: Database) throws {
        guard let id else { preconditionFailure("changing the quantity of a line never stored") }
        if waiting {
            try db.execute("UPDATE order_lines SET qty = ? WHERE id = ?", qty, id)
        } else {
            try db.execute("UPDATE order_lines SET qty = ?, waiting_since = NULL WHERE id = ?", qty, id)
        }
    }

    /// Deletes a cancelled line, so that the order can have a new line for its SKU (at the back of the queue).
    func deleteCancelled(in db: Database) throws {
        guard let id, isCancelled else { preconditionFailure("deleting a line that is not cancelled") }
        try db.execute("DELETE FROM order_lines WHERE id = ? AND cancelled_at IS NOT NULL", id)
    }

    /// Whether any order line, or any event, ever named order `orderid` (the events keep the orders of lines
    /// deleted before cancelled lines were kept).
    private static func orderIsKnown(_ orderid: String, in db: Database) throws -> Bool {
        try db.queryOne(
            """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM order_lines WHERE orderid = ?)
              OR EXISTS (SELECT 1 FROM events WHERE orderid = ?) THEN 1 ELSE 0 END
            """, orderid, orderid
        ) { $0.int(0) == 1 } ?? false
    }

    /// `Unknown order` for an order no line or event ever named, with a known order differing only in case as its
    /// suggestion; nil for a known order.
    static func unknownOrder(_ orderid: String, in db: Database) throws -> AllocationError? {
        guard try !orderIsKnown(orderid, in: db) else { return nil }
        return .unknownOrder(orderid, suggestion: try orderDifferingInCase(from: orderid, in: db))
    }

    /// A known order id that differs from `orderid` only in case (`web-6` for `WEB-6`), or nil.
    private static func orderDifferingInCase(from orderid: String, in db: Database) throws -> String? {
        try db.queryOne(
            "SELECT orderid FROM order_lines WHERE lower(orderid) = lower(?) AND orderid <> ? ORDER BY id LIMIT 1",
            orderid, orderid
        ) { $0.text(0) }
    }
}
