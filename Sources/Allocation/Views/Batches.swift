/// One batch as a screen or `stock batches` shows it: what was bought, what of it shipped, what is on hand
/// (bought less shipped), what lines hold of that and what is left.
public struct BatchRow: Equatable, Sendable {
    public let reference: String
    public let sku: String
    public let eta: Day?
    public let purchased: Int
    public let shipped: Int
    public let allocated: Int
    public var onHand: Int { purchased - shipped }
    public var available: Int { onHand - allocated }

    init(_ batch: Batch) {
        reference = batch.reference
        sku = batch.sku
        eta = batch.eta
        purchased = batch.purchased
        shipped = batch.shipped
        allocated = batch.allocated
    }

    /// `{"reference","sku","eta","purchased","shipped","onHand","allocated","available"}`, as `stock batches
    /// --json` prints it.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("reference", reference)
        json.add("sku", sku)
        json.add("eta", eta?.description)
        json.add("purchased", purchased)
        json.add("shipped", shipped)
        json.add("onHand", onHand)
        json.add("allocated", allocated)
        json.add("available", available)
        return json.text
    }

    public init(reference: String, sku: String, eta: Day?, purchased: Int, shipped: Int = 0, allocated: Int) {
        self.reference = reference
        self.sku = sku
        self.eta = eta
        self.purchased = purchased
        self.shipped = shipped
        self.allocated = allocated
    }
}

/// Totals of one SKU's batches, and the units its waiting lines need.
public struct SKUTotals: Equatable, Sendable {
    public let sku: String
    public let batches: Int
    public let purchased: Int
    public let shipped: Int
    public let allocated: Int
    /// Units of the SKU's waiting lines (backorders).
    public let waiting: Int
    public var onHand: Int { purchased - shipped }
    public var available: Int { onHand - allocated }

    public init(sku: String, batches: Int, purchased: Int, shipped: Int = 0, allocated: Int, waiting: Int = 0) {
        self.sku = sku
        self.batches = batches
        self.purchased = purchased
        self.shipped = shipped
        self.allocated = allocated
        self.waiting = waiting
    }
}

/// The board: every batch, or those a ``BoardFilter`` keeps, in a ``BoardSort`` order (by SKU and then in
/// allocation preference unless told), with positions, searches and counts that touch only the rows a screen shows.
/// The filter runs in the query, so a board read again after any commit shows exactly the batches that match now.
extension Views {
    /// The WHERE clause of `terms` joined by AND (nothing when there are none), with their arguments.
    private static func whereClause(_ terms: [(sql: String, arguments: [SQLValue])]) -> (String, [SQLValue]) {
        guard !terms.isEmpty else { return ("", []) }
        return (" WHERE " + terms.map(\.sql).joined(separator: " AND "), terms.flatMap(\.arguments))
    }

    /// The term that keeps the batches after (or before) the batch whose reference is bound, in `order`.
    private static func beyond(_ reference: String, in order: BatchOrder, forward: Bool) -> (
        sql: String, arguments: [SQLValue]
    ) {
        let keyOf = "(SELECT \(order.comparables) FROM batches WHERE reference = ?)"
        return ("(\(order.comparables)) \(forward ? ">" : "<") \(keyOf)", [reference.sqlValue])
    }

    /// Batches that `filter` keeps, in the order of `sort`, of one SKU when `sku` is given; every one when `limit`
    /// is nil.
    public static func batches(
        sku: String? = nil, filter: BoardFilter = BoardFilter(), sort: BoardSort = .preference, limit: Int? = nil,
        offset: Int = 0, in db: Database
    ) throws -> [BatchRow] {
        let page = try page(limit: limit, offset: offset)
        let skuTerm = sku.map { [("sku = ?", [$0.sqlValue])] } ?? []
        let (clause, arguments) = whereClause(skuTerm + filter.terms)
        return try db.query(
            "SELECT \(Batch.columns) FROM batches AS b\(clause) ORDER BY \(sort.order.sql())\(page.sql)",
            arguments: arguments + page.arguments
        ) { BatchRow(Batch(row: $0)) }
    }

    /// The number of batches that `filter` keeps, of one SKU when `sku` is given.
    public static func batchCount(sku: String? = nil, filter: BoardFilter = BoardFilter(), in db: Database) throws
        -> Int
    {
        let skuTerm = sku.map { [("sku = ?", [$0.sqlValue])] } ?? []
        let (clause, arguments) = whereClause(skuTerm + filter.terms)
        return try db.queryOne("SELECT count(*) FROM batches\(clause)", arguments: arguments) { $0.int(0) } ?? 0
    }

    /// Totals per SKU for the given SKUs (those a screen shows); waiting units through the partial index
    /// `order_lines_waiting`.
    public static func totals(skus: [String], in db: Database) throws -> [SKUTotals] {
        try skus.compactMap { sku in
            try db.queryOne(
                """
                SELECT count(*), coalesce(sum(purchased), 0), coalesce(sum(shipped), 0), coalesce(sum(allocated), 0),
                  (SELECT coalesce(sum(\(Views.waitingPart)), 0) FROM order_lines AS l
                   WHERE l.sku = ? AND l.waiting_since IS NOT NULL)
                FROM batches WHERE sku = ?
                """, sku, sku
            ) {
                SKUTotals(
                    sku: sku, batches: $0.int(0), purchased: $0.int(1), shipped: $0.int(2), allocated: $0.int(3),
                    waiting: $0.int(4))
            }
        }
    }

    /// How many batches come before the batch `reference` on the board that `filter` and `sort` make (its 0-based
    /// row); nil when it is gone or the filter does not keep it.
    public static func boardPosition(
        reference: String, filter: BoardFilter = BoardFilter(), sort: BoardSort = .preference, in db: Database
    ) throws -> Int? {
        let (found, foundArguments) = whereClause([("reference = ?", [reference.sqlValue])] + filter.terms)
        guard try db.queryOne("SELECT 1 FROM batches\(found)", arguments: foundArguments, map: { _ in true }) != nil
        else { return nil }
        let (clause, arguments) = whereClause(filter.terms + [beyond(reference, in: sort.order, forward: false)])
        return try db.queryOne("SELECT count(*) FROM batches\(clause)", arguments: arguments) { $0.int(0) }
    }

    /// The reference of the next batch on the board that `filter` and `sort` make, after (or before, when
    /// `forward` is false) the batch `reference`, whose reference or SKU contains `text` by the ``Search`` rule;
    /// wraps around the board.
    public static func nextBatch(
        containing text: String, after reference: String?, forward: Bool = true, filter: BoardFilter = BoardFilter(),
        sort: BoardSort = .preference, in db: Database
    ) throws -> String? {
        let terms = filter.terms + BoardFilter(text: text).terms
        let order = " ORDER BY \(sort.order.sql(descending: !forward)) LIMIT 1"
        if let reference {
            let (clause, arguments) = whereClause(terms + [beyond(reference, in: sort.order, forward: forward)])
            if let found = try db.queryOne(
                "SELECT reference FROM batches\(clause)\(order)", arguments: arguments, map: { $0.text(0) })
            {
                return found
            }
        }
        let (clause, arguments) = whereClause(terms)
        return try db.queryOne("SELECT reference FROM batches\(clause)\(order)", arguments: arguments) { $0.text(0) }
    }
}

/// Products: how many, and whether one exists.
extension Views {
    /// The number of products (SKUs).
    public static func skuCount(in db: Database) throws -> Int {
        try db.queryOne("SELECT count(*) FROM products") { $0.int(0) } ?? 0
    }

    /// Whether a SKU has a product.
    public static func productExists(sku: String, in db: Database) throws -> Bool {
        try db.queryOne("SELECT 1 FROM products WHERE sku = ?", sku) { _ in true } ?? false
    }
}
