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

/// Totals of one SKU's batches, and the units its waiting lines need.
public struct SKUTotals: Equatable, Sendable {
    public let sku: String
    public let batches: Int
    public let purchased: Int
    public let allocated: Int
    /// Units of the SKU's waiting lines (backorders).
    public let waiting: Int
    public var available: Int { purchased - allocated }

    public init(sku: String, batches: Int, purchased: Int, allocated: Int, waiting: Int = 0) {
        self.sku = sku
        self.batches = batches
        self.purchased = purchased
        self.allocated = allocated
        self.waiting = waiting
    }
}

/// The board: every batch, by SKU and then in allocation preference (``BatchOrder/board``), with positions,
/// searches and counts that touch only the rows a screen shows.
extension Views {
    private static let board = BatchOrder.board
    /// The board key of the batch whose reference is bound, for a row-value comparison with `board.comparables`.
    private static let boardKeyOf = "(SELECT \(board.comparables) FROM batches WHERE reference = ?)"

    /// Batches grouped by SKU, each SKU's in allocation-preference order; one SKU when `sku` is given; every one
    /// when `limit` is nil.
    public static func batches(sku: String? = nil, limit: Int? = nil, offset: Int = 0, in db: Database) throws
        -> [BatchRow]
    {
        let page = try page(limit: limit, offset: offset)
        let (filter, arguments): (String, [SQLValue]) = sku.map { (" WHERE b.sku = ?", [$0.sqlValue]) } ?? ("", [])
        return try db.query(
            "SELECT \(Batch.columns) FROM batches AS b\(filter) ORDER BY \(board.sql())\(page.sql)",
            arguments: arguments + page.arguments
        ) { BatchRow(Batch(row: $0)) }
    }

    /// The number of batches, of one SKU when `sku` is given.
    public static func batchCount(sku: String? = nil, in db: Database) throws -> Int {
        if let sku {
            return try db.queryOne("SELECT count(*) FROM batches WHERE sku = ?", sku) { $0.int(0) } ?? 0
        }
        return try db.queryOne("SELECT count(*) FROM batches") { $0.int(0) } ?? 0
    }

    /// Totals per SKU for the given SKUs (those a screen shows); waiting units through the partial index
    /// `order_lines_waiting`.
    public static func totals(skus: [String], in db: Database) throws -> [SKUTotals] {
        try skus.compactMap { sku in
            try db.queryOne(
                """
                SELECT count(*), coalesce(sum(purchased), 0), coalesce(sum(allocated), 0),
                  (SELECT coalesce(sum(qty), 0) FROM order_lines WHERE sku = ? AND waiting_since IS NOT NULL)
                FROM batches WHERE sku = ?
                """, sku, sku
            ) {
                SKUTotals(
                    sku: sku, batches: $0.int(0), purchased: $0.int(1), allocated: $0.int(2), waiting: $0.int(3))
            }
        }
    }

    /// How many batches come before the batch `reference` on the board (its 0-based row); nil when it is gone.
    public static func boardPosition(reference: String, in db: Database) throws -> Int? {
        guard try db.queryOne("SELECT 1 FROM batches WHERE reference = ?", reference, map: { _ in true }) != nil
        else { return nil }
        return try db.queryOne(
            "SELECT count(*) FROM batches WHERE (\(board.comparables)) < \(boardKeyOf)", reference
        ) { $0.int(0) }
    }

    /// The reference of the next batch on the board, after (or before, when `forward` is false) the batch
    /// `reference`, whose reference or SKU contains `text` by the ``Search`` rule; wraps around the board.
    public static func nextBatch(
        containing text: String, after reference: String?, forward: Bool = true, in db: Database
    ) throws -> String? {
        let search = Search(text)
        if let found = try firstBatch(matching: search, after: reference, forward: forward, in: db) { return found }
        guard reference != nil else { return nil }
        return try firstBatch(matching: search, after: nil, forward: forward, in: db)
    }

    /// The first batch in board order (reversed when `forward` is false) that `search` matches, after the batch
    /// `start`, or from the first row (the last going backwards) when `start` is nil.
    ///
    /// Reads the board in keyset pages from the index, so a match near `start` costs one small page.
    private static func firstBatch(
        matching search: Search, after start: String?, forward: Bool, in db: Database
    ) throws -> String? {
        let pageSize = 256
        let order = " ORDER BY \(board.sql(descending: !forward)) LIMIT ?"
        let fromStart = "SELECT reference, sku FROM batches" + order
        let fromKey =
            "SELECT reference, sku FROM batches WHERE (\(board.comparables)) \(forward ? ">" : "<") \(boardKeyOf)"
            + order
        var after = start
        while true {
            let rows = try db.query(
                after == nil ? fromStart : fromKey,
                arguments: [after?.sqlValue, pageSize.sqlValue].compactMap { $0 }
            ) { (reference: $0.text(0), sku: $0.text(1)) }
            if let found = rows.first(where: { search.matches($0.reference) || search.matches($0.sku) }) {
                return found.reference
            }
            guard rows.count == pageSize, let last = rows.last else { return nil }
            after = last.reference
        }
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
