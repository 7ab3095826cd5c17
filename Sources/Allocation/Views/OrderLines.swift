/// Where an order line is: on a batch, waiting for stock since a time, shipped at a time from a batch, or
/// cancelled at a time.
public enum LineStatus: Equatable, Sendable {
    case allocated(batchref: String)
    case waiting(since: String)
    case shipped(at: String, from: String)
    case cancelled(at: String)

    /// `allocated`, `waiting`, `shipped` or `cancelled`.
    public var name: String {
        switch self {
        case .allocated: "allocated"
        case .waiting: "waiting"
        case .shipped: "shipped"
        case .cancelled: "cancelled"
        }
    }
}

extension Views {
    /// One order line with its row id (its age, and the key of keyset paging) and its status.
    public struct LineRow: Equatable, Sendable {
        public let id: Int64
        public let orderid: String
        public let sku: String
        public let qty: Int
        public let status: LineStatus

        public init(id: Int64, orderid: String, sku: String, qty: Int, status: LineStatus) {
            self.id = id
            self.orderid = orderid
            self.sku = sku
            self.qty = qty
            self.status = status
        }

        /// The batch the line is allocated to; nil while it waits or once it was shipped.
        public var batchref: String? {
            if case .allocated(let batchref) = status { return batchref }
            return nil
        }

        /// A line's rows: one for the part shipped of a line shipped in part, one per piece, then one for the
        /// part that waits; one for a shipped line.
        static func rows(of line: OrderLine) -> [LineRow] {
            guard line.isOpen else { return [LineRow(line)] }
            let id = line.id ?? 0
            var rows: [LineRow] = []
            if line.shippedQty > 0 {
                rows.append(
                    LineRow(
                        id: id, orderid: line.orderid, sku: line.sku, qty: line.shippedQty,
                        status: .shipped(at: line.partShippedAt ?? "", from: line.partShippedFrom ?? "")))
            }
            rows += line.pieces.map {
                LineRow(
                    id: id, orderid: line.orderid, sku: line.sku, qty: $0.qty, status: .allocated(batchref: $0.batchref)
                )
            }
            if line.waitingPart > 0 {
                rows.append(
                    LineRow(
                        id: id, orderid: line.orderid, sku: line.sku, qty: line.waitingPart,
                        status: .waiting(since: line.waitingSince ?? "")))
            }
            return rows
        }

        /// The row of a line read with ``OrderLine/columns``, one row per piece: a piece says its own batch and
        /// quantity. A line is always stored, so it has an id.
        init(_ line: OrderLine) {
            if let cancelledAt = line.cancelledAt {
                self.init(
                    id: line.id ?? 0, orderid: line.orderid, sku: line.sku, qty: line.qty,
                    status: .cancelled(at: cancelledAt))
            } else if let shippedAt = line.shippedAt {
                self.init(
                    id: line.id ?? 0, orderid: line.orderid, sku: line.sku, qty: line.qty,
                    status: .shipped(at: shippedAt, from: line.shippedFrom ?? ""))
            } else if let piece = line.pieces.first {
                self.init(
                    id: line.id ?? 0, orderid: line.orderid, sku: line.sku, qty: piece.qty,
                    status: .allocated(batchref: piece.batchref))
            } else {
                self.init(
                    id: line.id ?? 0, orderid: line.orderid, sku: line.sku, qty: line.waitingPart,
                    status: .waiting(since: line.waitingSince ?? ""))
            }
        }

        /// `{"orderid","sku","qty","status"}` and the status's `batchref`, `waitingSince` or `shippedAt` and
        /// `shippedFrom`.
        public var json: String {
            var json = JSONObjectWriter()
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            json.add("status", status.name)
            switch status {
            case .allocated(let batchref): json.add("batchref", batchref)
            case .waiting(let since): json.add("waitingSince", since)
            case .shipped(let at, let from):
                json.add("shippedAt", at)
                json.add("shippedFrom", from)
            case .cancelled(let at): json.add("cancelledAt", at)
            }
            return json.text
        }
    }

    /// Checks that a line or an event ever named order `orderid`.
    ///
    /// - Throws: `AllocationError.unknownOrder`, with a known order differing only in case as its suggestion.
    public static func requireKnownOrder(_ orderid: String, in db: Database) throws {
        if let unknown = try OrderLine.unknownOrder(orderid, in: db) { throw unknown }
    }

    /// Every line of the order, allocated, waiting, shipped or cancelled, sorted by SKU; empty when none.
    public static func orderLines(orderid: String, in db: Database) throws -> [LineRow] {
        try OrderLine.forOrder(orderid, in: db).flatMap(LineRow.rows)
    }

    /// A page of order lines by id (keyset paging, so the millionth line costs what the first does): with
    /// `newer` false, the newest lines with id ≤ `id`, newest first; with `newer` true, the oldest lines with
    /// id > `id`, oldest first. Only lines whose order id or SKU contains `filter` by the ``Search`` rule, when
    /// given (or whose batch's reference does). Shipped lines are included, with their status.
    ///
    /// The filter is read along the id order, so a page of a common match costs about one page of lines; a text
    /// that nothing contains reads every line. A page holds `limit` lines, each with a row per piece and one for
    /// the part that waits (``LineRow/rows(of:)``), so a line in pieces is never cut by a page's end.
    public static func lines(
        matching filter: String?, from id: Int64, newer: Bool, limit: Int, in db: Database
    ) throws -> [LineRow] {
        let order = newer ? "l.id" : "l.id DESC"
        let page = newer ? "l.id > ? ORDER BY \(order)" : "l.id <= ? ORDER BY \(order)"
        let (matches, arguments) = lineFilter(filter)
        let rows = try db.query(
            """
            SELECT \(OrderLine.columns) FROM \(OrderLine.joins)
            WHERE l.id IN (SELECT l.id FROM order_lines AS l WHERE \(matches)\(page) LIMIT ?)
            ORDER BY \(order), a.batch_id
            """,
            arguments: arguments + [id.sqlValue, limit.sqlValue]
        ) { OrderLine(row: $0) }
        return OrderLine.folded(rows).flatMap(LineRow.rows)
    }

    /// The number of order lines whose order id, SKU or batch contains `filter` by the ``Search`` rule, counting at most
    /// `limit` of them, so a common text in a huge table stops early.
    public static func lineCount(matching filter: String, limit: Int, in db: Database) throws -> Int {
        let (matches, arguments) = lineFilter(filter)
        return try db.queryOne(
            "SELECT count(*) FROM (SELECT 1 FROM order_lines AS l WHERE \(matches)TRUE LIMIT ?) AS found",
            arguments: arguments + [limit.sqlValue]
        ) { $0.int(0) } ?? 0
    }

    /// The term, ending in `AND `, that keeps lines whose order id, SKU or batch (one holding a piece of the line,
    /// or the one it shipped from) contains `filter`; nothing for nil or "".
    private static func lineFilter(_ filter: String?) -> (String, [SQLValue]) {
        guard let filter, !filter.isEmpty else { return ("", []) }
        let contains = Database.containsFunction
        // SKUs and batch references are matched once each in `products` and `batches`, not once per line.
        return (
            "(\(contains)(l.orderid, ?) OR l.sku IN (SELECT sku FROM products WHERE \(contains)(sku, ?))"
                + " OR l.id IN (SELECT p.orderline_id FROM allocations AS p WHERE p.batch_id IN"
                + " (SELECT id FROM batches WHERE \(contains)(reference, ?)))"
                + " OR \(contains)(coalesce(l.shipped_from, ''), ?)"
                + " OR \(contains)(coalesce(l.part_shipped_from, ''), ?)) AND ",
            Array(repeating: filter.sqlValue, count: 5)
        )
    }

    /// Waiting lines (backorders) oldest first, of one SKU when `sku` is given, at most `limit`; read through the
    /// partial index `order_lines_waiting`, never the shipped history.
    public static func backorders(sku: String? = nil, limit: Int? = nil, in db: Database) throws -> [LineRow] {
        let page = try page(limit: limit)
        let (filter, arguments): (String, [SQLValue]) = sku.map { (" AND l.sku = ?", [$0.sqlValue]) } ?? ("", [])
        return try db.query(
            """
            SELECT \(Views.waitingColumns)
            FROM order_lines AS l WHERE l.waiting_since IS NOT NULL\(filter) ORDER BY l.id\(page.sql)
            """, arguments: arguments + page.arguments
        ) { LineRow(OrderLine(row: $0)) }
    }
}

/// What a quantity change would do, computed by the rule that applies it, at a product version.
public struct QuantityChangePreview: Equatable, Sendable {
    public let reference: String
    public let sku: String
    public let qty: Int
    /// The product's version the preview was computed at: pass it as `ChangeBatchQuantity.expectedVersion`.
    public let version: Int
    /// The lines that would leave the batch, oldest first, with where each would go (nil: it would wait).
    public let moves: [Move]
}

extension Views {
    /// The SQL for the part of line `l` no batch holds: its quantity less what shipped and its pieces'.
    static let waitingPart =
        "l.qty - l.shipped_qty - coalesce((SELECT sum(w.qty) FROM allocations AS w WHERE w.orderline_id = l.id), 0)"

    /// A waiting line `l` as ``OrderLine/columns`` reads a line, with its waiting part for its quantity and
    /// nothing placed or shipped: the row of a backorder.
    static let waitingColumns =
        "l.id, l.orderid, l.sku, \(waitingPart), NULL, l.waiting_since, NULL, NULL, NULL, 0, NULL, NULL, NULL"

    /// The moves that setting batch `reference` to `qty` would make now, by the rule the command applies under
    /// `policy` as of `today` (``Services/plannedPurchaseChange(of:to:product:context:in:)``), and the product
    /// version they were computed at; nothing is written.
    ///
    /// - Throws: `AllocationError.unknownBatch`; `ContractViolation` for a negative quantity.
    public static func previewQuantityChange(
        reference: String, qty: Int, policy: SplitLines = .batches, today: Day, autoAllocate: Bool = true,
        in db: Database
    ) throws -> QuantityChangePreview {
        guard let batch = try Batch.find(reference: reference, in: db),
            let version = try Product.loadVersion(sku: batch.sku, in: db)?.version
        else {
            throw AllocationError.unknownBatch(reference)
        }
        try require(qty >= 0, "batch \(reference) cannot have quantity \(qty)")
        let context = Services.Context(now: "", today: today, autoAllocate: autoAllocate, splitLines: policy)
        let (stock, stored) = try Services.plannedPurchaseChange(
            of: reference, to: qty, product: Product(sku: batch.sku, batches: [batch]), context: context, in: db)
        let moves = Services.movesAndFills(stock, off: reference, lines: stored, sku: batch.sku).moves
        return QuantityChangePreview(reference: reference, sku: batch.sku, qty: qty, version: version, moves: moves)
    }
}

/// The older waiting lines of a SKU that a new allocation went past: how many wait, and how many of them would
/// have fitted in what the line took.
public struct Overtaken: Equatable, Sendable {
    public let sku: String
    public let waiting: Int
    public let fitting: Int
    /// The units the allocation took.
    public let took: Int

    /// `13 older lines wait for BLUE-CHAIR; none fits in the 2 units this line took`.
    public var note: String {
        let lines = waiting == 1 ? "1 older line waits" : "\(waiting) older lines wait"
        let units = took == 1 ? "the 1 unit" : "the \(took) units"
        let fits =
            switch fitting {
            case 0: "none fits"
            case 1 where waiting == 1: "it would fit"
            case 1: "1 of them would fit"
            default: "\(fitting) of them would fit"
            }
        return "\(lines) for \(sku); \(fits) in \(units) this line took"
    }
}

extension Views {
    /// The waiting lines of `sku` older than order `orderid`'s line, when there are any, with how many of them wait
    /// for no more than `took` units; nil when none is older. Read through the partial index `order_lines_waiting`,
    /// so a SKU with no waiting line costs one index probe.
    public static func overtaken(orderid: String, sku: String, took: Int, in db: Database) throws -> Overtaken? {
        let counts = try db.queryOne(
            """
            SELECT count(*), coalesce(sum(CASE WHEN \(waitingPart) <= ? THEN 1 ELSE 0 END), 0)
            FROM order_lines AS l WHERE l.waiting_since IS NOT NULL AND l.sku = ?
              AND l.id < (SELECT o.id FROM order_lines AS o WHERE o.orderid = ? AND o.sku = ?)
            """, arguments: [took.sqlValue, sku.sqlValue, orderid.sqlValue, sku.sqlValue]
        ) { (waiting: $0.int(0), fitting: $0.int(1)) }
        guard let counts, counts.waiting > 0 else { return nil }
        return Overtaken(sku: sku, waiting: counts.waiting, fitting: counts.fitting, took: took)
    }
}

/// An order line wholly on one batch, read in place from a row of ``OrderLine/columns``: for exports of a million
/// lines that copy its texts without making the line. Valid only inside the closure it is handed to.
public struct StoredLinePiece {
    public let id: Int64
    public let orderid: UnsafeBufferPointer<UInt8>
    public let sku: UnsafeBufferPointer<UInt8>
    public let qty: Int
    public let batchref: UnsafeBufferPointer<UInt8>

    /// The row's line when it is open, nothing of it shipped, in one piece of its whole quantity, and its order
    /// id, SKU and batch reference are ASCII (so their bytes are their text); nil for any other row.
    init?(row: Row) {
        guard !row.isNull(4), !row.isNull(8), row.isNull(5), row.isNull(6), row.isNull(7), row.isNull(10),
            row.isNull(11), row.isNull(12), row.int(9) == 0
        else { return nil }
        let qty = row.int(3)
        guard row.int(8) == qty else { return nil }
        let (orderid, sku, batchref) = (row.utf8(1), row.utf8(2), row.utf8(4))
        guard [orderid, sku, batchref].allSatisfy({ $0.allSatisfy { $0 < 0x80 } }) else { return nil }
        (self.id, self.orderid, self.sku, self.qty, self.batchref) = (row.int64(0), orderid, sku, qty, batchref)
    }

    /// The line's row, as ``Views/LineRow/rows(of:)`` makes it.
    public func decoded() -> Views.LineRow {
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        return Views.LineRow(
            id: id, orderid: text(orderid), sku: text(sku), qty: qty, status: .allocated(batchref: text(batchref)))
    }
}

/// An order line's row as an export reads it: in place when it is wholly on one batch, else decoded.
public enum ListedLine {
    case inPlace(StoredLinePiece)
    case decoded(Views.LineRow)
}
