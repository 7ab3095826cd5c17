/// Re-planning: allocated lines move to where they complete sooner (``SKUStock/replan(sku:)``).
extension Services {
    /// Re-plans the SKU's lines with a piece on an arriving batch (or those of every SKU that has such lines),
    /// each SKU once its product row is held; with `dryRun` the moves are decided and said, nothing written.
    static func replan(_ command: Replan, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        let skus: [String]
        if let sku = command.sku {
            guard try Views.productExists(sku: sku, in: db) else { throw AllocationError.invalidSKU(sku) }
            skus = [sku]
        } else {
            skus = try db.query(Self.skusWithArrivingLinesSQL) { $0.text(0) }
        }
        var replanned: [ReplannedLine] = []
        var events: [Event] = []
        for sku in skus {
            var product = try loadProduct(sku: sku, in: db)
            try product.include(try Batch.forSKU(sku, in: db))
            var lines: [OrderLine] = []
            for batch in product.batches where batch.eta != nil && batch.allocated > 0 {
                for line in try OrderLine.allocated(toBatch: batch.reference, in: db)
                where !lines.contains(where: { $0.id == line.id }) {
                    lines.append(line)
                }
            }
            guard !lines.isEmpty else { continue }
            var (stock, stored) = try stock(of: product, lines: lines, filling: false, context: context, in: db)
            let moved = try stock.replan(sku: sku)
            guard !moved.isEmpty else { continue }
            replanned += moved
            guard !command.dryRun else { continue }
            product.events += try save(stock, lines: stored, sku: sku, context: context, in: db)
            product.bumpVersion()
            try product.saveVersion(in: db)
            events += product.events
        }
        return (.replanned(replanned, dryRun: command.dryRun), events)
    }

    private static let skusWithArrivingLinesSQL = SQL(
        "SELECT DISTINCT sku FROM batches WHERE eta IS NOT NULL AND allocated > 0 ORDER BY sku")
}
