extension Views {
    /// The promise for a new line of `qty` of `sku` (``promise(of:sku:among:waitingBefore:policy:today:)``) under
    /// `policy` as of `today`, from the SKU's rows alone, read in one read transaction (the caller's, when one is
    /// open) and changing nothing: the product, its batches with room (through `batches_with_stock`) and the units
    /// its waiting lines wait for (through `order_lines_waiting`).
    ///
    /// - Throws: `AllocationError.invalidSKU` when no product has the SKU; `ContractViolation` for a quantity that
    ///   is not positive.
    public static func promise(
        sku: String, qty: Int, policy: SplitLines, today: Day, in db: Database
    ) throws -> Promise {
        try require(qty > 0, "quantity must be positive, got \(qty)")
        return try inOneRead(db) {
            guard try productExists(sku: sku, in: db) else { throw AllocationError.invalidSKU(sku) }
            let room = try Batch.candidates(sku: sku, available: 1, in: db)
            let waiting = try db.queryOne(waitingUnitsSQL, sku) { $0.int(0) } ?? 0
            return Allocation.promise(
                of: qty, sku: sku, among: room, waitingBefore: waiting, policy: policy, today: today)
        }
    }

    /// The known SKU nearest to `sku` by spelling, for a "did you mean" after an unknown one: one differing only in
    /// case first, else the nearest by ``Suggestion/nearest(to:among:)`` among the SKUs
    /// ``skus(resembling:in:)`` reads, whatever the case of either; nil when none is near.
    public static func skuNearest(to sku: String, in db: Database) throws -> String? {
        let skus = try skus(resembling: sku, in: db)
        let lowered = skus.map { $0.lowercased() }
        if let same = lowered.firstIndex(of: sku.lowercased()) { return skus[same] }
        guard let near = Suggestion.nearest(to: sku.lowercased(), among: lowered) else { return nil }
        return lowered.firstIndex(of: near).map { skus[$0] }
    }

    /// The refusal of `sku`, which no product has, naming the known SKU nearest by spelling
    /// (``skuNearest(to:in:)``): `Invalid sku red-lmap; did you mean RED-LAMP?`.
    public static func unknownSKU(_ sku: String, in db: Database) throws -> AllocationError {
        .invalidSKU(sku, suggestion: try skuNearest(to: sku, in: db))
    }

    /// Runs `body` in a read snapshot, so what it reads is one state of the database; inside a transaction or a
    /// snapshot already open, in that one.
    static func inOneRead<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        guard !db.isInTransaction, !db.isInReadSnapshot else { return try body() }
        try db.beginReadSnapshot()
        do {
            let result = try body()
            try db.endReadSnapshot()
            return result
        } catch {
            try? db.endReadSnapshot()
            throw error
        }
    }

    private static let waitingUnitsSQL = SQL(
        """
        SELECT coalesce(sum(\(waitingPart)), 0) FROM order_lines AS l
        WHERE l.sku = ? AND l.waiting_since IS NOT NULL
        """)
}

extension Promise {
    /// Where the line would go, as ``Views/placementPreview(sku:qty:policy:today:in:)`` says it: the same
    /// placement, read once for both.
    public var preview: PlacementPreview {
        PlacementPreview(
            sku: sku, qty: qty, policy: policy, pieces: pieces.map { Piece(batchref: $0.batchref, qty: $0.qty) },
            waiting: waiting, available: available, batches: batchesWithRoom)
    }

    /// The promise as a form says it under the quantity: `promise: 2027-01-12 (arriving W-7), in 37 days`, or
    /// `cannot be promised: …`.
    public var note: String { isPromised ? "promise: " + summary : summary }
}
