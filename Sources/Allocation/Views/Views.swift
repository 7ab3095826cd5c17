/// The read side: plain SQL over indexed tables, returning display-ready rows. Nothing here writes.
///
/// Paged views take `limit` and `offset` (or an id to start after) so a screen fetches only the rows it shows.
public enum Views {}

/// One batch as a screen or `stock batches` shows it.
public struct BatchRow: Equatable, Sendable {
    public let reference: String
    public let sku: String
    public let eta: Day?
    public let purchased: Int
    public let allocated: Int
    public var available: Int { purchased - allocated }

    init(_ batch: Batch) {
        reference = batch.reference
        sku = batch.sku
        eta = batch.eta
        purchased = batch.purchased
        allocated = batch.allocated
    }

    /// `{"reference","sku","eta","purchased","allocated","available"}`, as `stock batches --json` prints it.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("reference", reference)
        json.add("sku", sku)
        json.add("eta", eta?.description)
        json.add("purchased", purchased)
        json.add("allocated", allocated)
        json.add("available", available)
        return json.text
    }

    public init(reference: String, sku: String, eta: Day?, purchased: Int, allocated: Int) {
        self.reference = reference
        self.sku = sku
        self.eta = eta
        self.purchased = purchased
        self.allocated = allocated
    }
}

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

/// One row of the event log; `payload` is the event's fields as a JSON object.
public struct EventRow: Equatable, Sendable {
    public let id: Int64
    public let at: String
    public let kind: String
    public let payload: String

    /// The row as one JSON object: `{"id","at","kind", ...the event's fields}`.
    public var json: String {
        var head = JSONObjectWriter()
        head.add("id", Int(id))
        head.add("at", at)
        head.add("kind", kind)
        let fields = payload.dropFirst().dropLast()
        let text = head.text
        return fields.isEmpty ? text : String(text.dropLast()) + "," + fields + "}"
    }
}

/// Totals of one SKU's batches.
public struct SKUTotals: Equatable, Sendable {
    public let sku: String
    public let batches: Int
    public let purchased: Int
    public let allocated: Int
    public var available: Int { purchased - allocated }
}

extension Views {
    /// Where did order X go: its lines' SKUs and batches, sorted by SKU; empty when none.
    public static func allocations(orderid: String, in db: Database) throws -> [AllocationRow] {
        try db.query(
            """
            SELECT l.sku, b.reference FROM order_lines AS l
              JOIN allocations AS a ON a.orderline_id = l.id JOIN batches AS b ON b.id = a.batch_id
            WHERE l.orderid = ? ORDER BY l.sku
            """, orderid
        ) { AllocationRow(sku: $0.text(0), batchref: $0.text(1)) }
    }

    /// Batches grouped by SKU, each SKU's in allocation-preference order; one SKU when `sku` is given.
    public static func batches(sku: String? = nil, limit: Int = -1, offset: Int = 0, in db: Database) throws
        -> [BatchRow]
    {
        if let sku {
            return try db.query(
                "SELECT \(Batch.columns) FROM batches AS b WHERE b.sku = ? ORDER BY \(Batch.preferenceOrder) "
                    + "LIMIT ? OFFSET ?", sku, limit, offset
            ) { BatchRow(Batch(row: $0)) }
        }
        return try db.query(
            "SELECT \(Batch.columns) FROM batches AS b ORDER BY b.sku, \(Batch.preferenceOrder) LIMIT ? OFFSET ?",
            limit, offset
        ) { BatchRow(Batch(row: $0)) }
    }

    /// The number of batches, of one SKU when `sku` is given.
    public static func batchCount(sku: String? = nil, in db: Database) throws -> Int {
        if let sku {
            return try db.queryOne("SELECT count(*) FROM batches WHERE sku = ?", sku) { $0.int(0) } ?? 0
        }
        return try db.queryOne("SELECT count(*) FROM batches") { $0.int(0) } ?? 0
    }

    /// Totals per SKU for the given SKUs (those a screen shows).
    public static func totals(skus: [String], in db: Database) throws -> [SKUTotals] {
        try skus.compactMap { sku in
            try db.queryOne(
                """
                SELECT count(*), coalesce(sum(purchased), 0), coalesce(sum(allocated), 0)
                FROM batches WHERE sku = ?
                """, sku
            ) { SKUTotals(sku: sku, batches: $0.int(0), purchased: $0.int(1), allocated: $0.int(2)) }
        }
    }

    /// Events after `id`, oldest first, at most `limit`.
    public static func events(after id: Int64 = 0, limit: Int = -1, in db: Database) throws -> [EventRow] {
        try db.query("SELECT id, at, kind, payload FROM events WHERE id > ? ORDER BY id LIMIT ?", id, limit) {
            EventRow(id: $0.int64(0), at: $0.text(1), kind: $0.text(2), payload: $0.text(3))
        }
    }

    /// Whether a SKU has a product.
    public static func productExists(sku: String, in db: Database) throws -> Bool {
        try db.queryOne("SELECT 1 FROM products WHERE sku = ?", sku) { _ in true } ?? false
    }

    /// A product's version, nil for an unknown SKU.
    public static func productVersion(sku: String, in db: Database) throws -> Int? {
        try db.queryOne("SELECT version FROM products WHERE sku = ?", sku) { $0.int(0) }
    }
}
