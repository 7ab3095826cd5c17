extension Views {
    /// The lines re-planning the SKU (or every SKU) would move now under `policy` as of `today`, by the rule the
    /// command applies (``Services/replan(_:context:in:)`` as a dry run); nothing is written.
    ///
    /// - Throws: `AllocationError.invalidSKU` for an unknown SKU.
    public static func previewReplan(
        sku: String?, policy: SplitLines = .batches, today: Day, in db: Database
    ) throws -> [ReplannedLine] {
        let context = Services.Context(now: "", today: today, autoAllocate: false, splitLines: policy)
        guard
            case .replanned(let lines, _) = try Services.replan(
                Replan(sku: sku, dryRun: true), context: context, in: db
            ).0
        else { return [] }
        return lines
    }

    /// What re-planning would move after a change to batch `reference` (a receipt, a new ETA): the lines of its
    /// SKU; none when the batch is gone.
    public static func replanOffer(
        afterChangeOf reference: String, policy: SplitLines = .batches, today: Day, in db: Database
    ) throws -> [ReplannedLine] {
        guard let batch = try Batch.find(reference: reference, in: db) else { return [] }
        return try previewReplan(sku: batch.sku, policy: policy, today: today, in: db)
    }
}
