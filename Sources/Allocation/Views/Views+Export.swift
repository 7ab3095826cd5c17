/// The rows `stock export` writes, streamed: read page by page by id (keyset paging, so the millionth row costs
/// what the first does), never all in memory. Call them inside ``Database/beginReadSnapshot()`` for one
/// consistent picture across pages.
extension Views {
    /// Rows per page.
    static let exportPage = 1000

    /// Every batch, in the order they were added (by id).
    public static func eachBatch(in db: Database, _ body: (BatchRow) throws -> Void) throws {
        try eachPage(
            { after in
                try db.query(
                    "SELECT \(Batch.columns) FROM batches AS b WHERE b.id > ? ORDER BY b.id LIMIT ?", after,
                    exportPage
                ) { (id: $0.int64(0), row: BatchRow(Batch(row: $0))) }
            }, body)
    }

    /// Every order line's rows, allocated, waiting or shipped, oldest first (the order they arrived in): what
    /// ``lines(matching:from:newer:limit:in:)`` gives, page after page, without holding a page.
    ///
    /// A line wholly on one batch comes in place (``StoredLinePiece``): an open line, nothing of it shipped, with one
    /// piece of all its quantity, its texts ASCII. Its one row is that piece; no other piece can exist (the schema
    /// refuses pieces beyond a line's open quantity, and one is read here as an unreadable line rather than
    /// skipped). Every other line is decoded, its pieces folded as they are read (``OrderLine/folded(_:)``'s rule).
    public static func eachListedLine(in db: Database, _ body: (ListedLine) throws -> Void) throws {
        var after: Int64 = 0
        var lines = 0
        repeat {
            var pending: OrderLine?
            var inPlaceID: Int64?
            lines = 0
            func finish(_ line: OrderLine) throws {
                for row in LineRow.rows(of: line) { try body(.decoded(row)) }
                lines += 1
                after = line.id ?? after
            }
            try db.eachRow(
                """
                SELECT \(OrderLine.columns) FROM \(OrderLine.joins)
                WHERE l.id IN (SELECT l.id FROM order_lines AS l WHERE l.id > ? ORDER BY l.id LIMIT ?)
                ORDER BY l.id, a.batch_id
                """, arguments: [after.sqlValue, exportPage.sqlValue]
            ) { row in
                let id = row.int64(0)
                if id == inPlaceID {
                    throw DatabaseError.unreadable("order line \(id) has pieces beyond its quantity")
                }
                if let piece = StoredLinePiece(row: row) {
                    if let previous = pending { try finish(previous) }
                    pending = nil
                    inPlaceID = id
                    try body(.inPlace(piece))
                    lines += 1
                    after = id
                    return
                }
                let line = OrderLine(row: row)
                if var current = pending, current.id != nil, current.id == line.id {
                    current.pieces += line.pieces
                    pending = current
                } else {
                    if let previous = pending { try finish(previous) }
                    pending = line
                }
            }
            if let last = pending { try finish(last) }
        } while lines == exportPage
    }

    /// Every waiting line (backorder), of one SKU when `sku` is given, oldest first: the order stock fills them
    /// in; through the partial index `order_lines_waiting`.
    public static func eachBackorder(sku: String? = nil, in db: Database, _ body: (LineRow) throws -> Void) throws {
        let filter = sku == nil ? "" : " AND l.sku = ?"
        try eachPage(
            { after in
                try db.query(
                    """
                    SELECT \(Views.waitingColumns)
                    FROM order_lines AS l WHERE l.waiting_since IS NOT NULL\(filter) AND l.id > ? ORDER BY l.id LIMIT ?
                    """, arguments: (sku.map { [$0.sqlValue] } ?? []) + [after.sqlValue, exportPage.sqlValue]
                ) { (id: $0.int64(0), row: LineRow(OrderLine(row: $0))) }
            }, body)
    }

    /// The whole event log, oldest first, each row in place where it can be (``eachEvent(after:limit:in:_:)``).
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``), or what `body` throws.
    public static func eachListedEvent(in db: Database, _ body: (ListedEvent) throws -> Void) throws {
        var after: Int64 = 0
        while true {
            let read = try eachEvent(after: after, limit: exportPage, in: db, body)
            guard read.count == exportPage else { return }
            after = read.last
        }
    }

    /// Calls `body` with every row `fetch` returns, page after page: each page holds the rows after the last id
    /// of the one before; a short page is the last.
    private static func eachPage<T>(
        _ fetch: (_ after: Int64) throws -> [(id: Int64, row: T)], _ body: (T) throws -> Void
    ) throws {
        var after: Int64 = 0
        while true {
            let page = try fetch(after)
            for entry in page { try body(entry.row) }
            guard page.count == exportPage, let last = page.last else { return }
            after = last.id
        }
    }
}

extension Views.LineRow {
    /// The line's cells in `export allocations`: order id, SKU, quantity, status, the batch it is on or shipped
    /// from, since when it waits, and when it shipped; empty where the status has none.
    public var exportFields: [String] {
        let (batch, since, shippedAt): (String, String, String) =
            switch status {
            case .allocated(let batchref): (batchref, "", "")
            case .waiting(let since): ("", since, "")
            case .shipped(let at, let from): (from, "", at)
            case .cancelled: ("", "", "")
            }
        return [orderid, sku, String(qty), status.name, batch, since, shippedAt]
    }
}
