/// A batch of stock for one SKU: in the warehouse (no ETA) or arriving on its ETA.
///
/// The struct is both the domain value and its `batches` row. `purchased` is the quantity bought (what
/// add-batch, change-quantity and a receipt set), `shipped` what has left the warehouse from it, so its stock on
/// hand is `purchased - shipped`. `allocated`, the sum of the quantities of the lines on it, is a column kept by
/// the schema's triggers on `allocations`; the struct reads it, never writes it.
struct Batch: Equatable, Sendable {
    var id: Int64?
    var reference: String
    var sku: String
    var purchased: Int
    var eta: Day?
    var allocated: Int
    var shipped: Int

    init(
        id: Int64? = nil, reference: String, sku: String, purchased: Int, eta: Day? = nil, allocated: Int = 0,
        shipped: Int = 0
    ) {
        self.id = id
        self.reference = reference
        self.sku = sku
        self.purchased = purchased
        self.eta = eta
        self.allocated = allocated
        self.shipped = shipped
    }

    /// What the batch holds: bought and not shipped.
    var onHand: Int { purchased - shipped }

    /// What the batch holds that no line has: on hand less allocated.
    var available: Int { onHand - allocated }
}

extension Batch {
    /// Columns read by ``init(row:)``, in order, for a query over `batches AS b`.
    static let columns = "b.id, b.reference, b.sku, b.purchased, b.eta, b.allocated, b.shipped"

    /// The `ORDER BY` of allocation preference, served by the index `batches_by_preference`.
    static let preferenceOrder = BatchOrder.preference.sql()

    init(row: Row) {
        self.init(
            id: row.int64(0), reference: row.text(1), sku: row.text(2), purchased: row.int(3),
            eta: row.optionalText(4).flatMap(Day.init), allocated: row.int(5), shipped: row.int(6))
    }

    private static let forSKUSQL = "SELECT \(columns) FROM batches AS b WHERE b.sku = ? ORDER BY \(preferenceOrder)"

    /// Every batch of the SKU, emptied ones too, in allocation-preference order: for reads, never under the
    /// write lock, as a SKU's batches only accumulate.
    static func forSKU(_ sku: String, in db: Database) throws -> [Batch] {
        try db.query(forSKUSQL, sku) { Batch(row: $0) }
    }

    /// Built once, with its `LIMIT ?` a parameter: one prepared statement serves every caller. The term
    /// `purchased > shipped + allocated` is the WHERE of the partial index `batches_with_stock`, written out so
    /// SQLite uses it: emptied batches are not in that index, so however many a SKU has, none of them is read.
    private static let candidatesSQL = SQL(
        """
        SELECT \(columns) FROM batches AS b
        WHERE b.sku = ? AND b.purchased > b.shipped + b.allocated AND b.purchased - b.shipped - b.allocated >= ?
        ORDER BY \(preferenceOrder) LIMIT ?
        """)

    /// The SKU's batches with at least `qty` available, in allocation-preference order, at most `limit` of them
    /// (all when nil): the only batches that could take a line of `qty` or more.
    static func candidates(sku: String, available qty: Int, limit: Int? = nil, in db: Database) throws -> [Batch] {
        try db.query(candidatesSQL, sku, qty, limit ?? Int.max) { Batch(row: $0) }
    }

    private static let findSQL = SQL("SELECT \(columns) FROM batches AS b WHERE b.reference = ?")

    /// The batch `reference`, through its UNIQUE index; nil when there is none.
    static func find(reference: String, in db: Database) throws -> Batch? {
        try db.queryOne(findSQL, reference) { Batch(row: $0) }
    }

    /// Inserts the row and returns the batch with its id.
    ///
    /// - Throws: `DatabaseError` of kind `uniqueViolation` when the reference is taken.
    func insert(into db: Database) throws -> Batch {
        var inserted = self
        inserted.id = try db.insert(Batch.insertSQL, reference, sku, purchased, eta?.description, shipped)
        return inserted
    }

    private static let insertSQL = SQL(
        "INSERT INTO batches (reference, sku, purchased, eta, shipped) VALUES (?, ?, ?, ?, ?)")

    /// Inserts the row and returns the batch with its id; nil, changing nothing, when the reference is taken.
    func insertIfNew(into db: Database) throws -> Batch? {
        let id = try db.insert(Batch.insertIfNewSQL, reference, sku, purchased, eta?.description, shipped)
        guard db.changes == 1 else { return nil }
        var inserted = self
        inserted.id = id
        return inserted
    }

    private static let insertIfNewSQL = SQL(
        """
        INSERT INTO batches (reference, sku, purchased, eta, shipped) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (reference) DO NOTHING
        """)

    static func savePurchased(_ purchased: Int, reference: String, in db: Database) throws {
        try db.execute("UPDATE batches SET purchased = ? WHERE reference = ?", purchased, reference)
    }

    static func saveShipped(_ shipped: Int, reference: String, in db: Database) throws {
        try db.execute("UPDATE batches SET shipped = ? WHERE reference = ?", shipped, reference)
    }

    static func saveETA(_ eta: Day?, reference: String, in db: Database) throws {
        try db.execute("UPDATE batches SET eta = ? WHERE reference = ?", eta?.description, reference)
    }
}
