/// What a receipt would do, before it is confirmed: the console's receive form shows it as `c` shows a quantity
/// change, and Enter sends exactly it.
public struct ReceiptPreview: Equatable, Sendable {
    public let reference: String
    public let sku: String
    /// What was ordered (the batch's quantity now) and what would be received.
    public let ordered: Int
    public let qty: Int
    /// The arriving batch the rest would become, with a rest ETA.
    public let rest: RestBatch?
    public let restEta: Day?
    /// The product's version the preview was computed at: pass it as `ReceiveBatch.expectedVersion`.
    public let version: Int
    /// The lines that would leave the batch, oldest first, with where each would go (nil: it would wait).
    public let moves: [Move]
}

extension Views {
    /// The moves that receiving `qty` (all that was ordered when nil) of arriving batch `reference` would make
    /// now, with its rest arriving on `restEta` as the next free `REF-REST…` batch when given, by the rules the
    /// command applies under `policy` as of `today`; nothing is written.
    ///
    /// - Throws: `AllocationError.unknownBatch` or `.alreadyInWarehouse`; `ContractViolation` for a negative
    ///   quantity, or a rest ETA with a quantity at or above the one ordered.
    public static func previewReceipt(
        reference: String, qty: Int?, restEta: Day?, policy: SplitLines = .batches, today: Day,
        autoAllocate: Bool = true, in db: Database
    ) throws -> ReceiptPreview {
        guard var batch = try Batch.find(reference: reference, in: db),
            let version = try Product.loadVersion(sku: batch.sku, in: db)?.version
        else {
            throw AllocationError.unknownBatch(reference)
        }
        guard batch.eta != nil else { throw AllocationError.alreadyInWarehouse(reference) }
        let ordered = batch.purchased
        let received = qty ?? ordered
        try require(received >= 0, "batch \(reference) cannot have quantity \(received)")
        batch.eta = nil
        var product = Product(sku: batch.sku, batches: [batch])
        var rest: RestBatch?
        if let restEta {
            try checkRestReceipt(of: reference, received: received, ordered: ordered)
            var number = 1
            while try Batch.find(reference: restReference(of: reference, number: number), in: db) != nil {
                number += 1
            }
            let name = restReference(of: reference, number: number)
            try product.include([Batch(reference: name, sku: batch.sku, purchased: ordered - received, eta: restEta)])
            rest = RestBatch(reference: name, qty: ordered - received, eta: restEta)
        }
        let context = Services.Context(now: "", today: today, autoAllocate: autoAllocate, splitLines: policy)
        let (stock, stored) = try Services.plannedPurchaseChange(
            of: reference, to: received, product: product, context: context, in: db)
        let moves = Services.movesAndFills(stock, off: reference, lines: stored, sku: batch.sku).moves
        return ReceiptPreview(
            reference: reference, sku: batch.sku, ordered: ordered, qty: received, rest: rest, restEta: restEta,
            version: version, moves: moves)
    }
}
