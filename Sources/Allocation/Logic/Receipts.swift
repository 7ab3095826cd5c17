/// The rules of receipts that are not all-or-nothing, as pure functions on values: the name of the batch a short
/// receipt's rest arrives as, and what taking a receipt back restores, read from the batch's events.

/// The reference of the `number`th rest batch of `reference`: `REF-REST`, then `REF-REST-2`, `REF-REST-3` … (the
/// first free one is taken).
func restReference(of reference: String, number: Int) -> String {
    number <= 1 ? "\(reference)-REST" : "\(reference)-REST-\(number)"
}

/// Checks that a receipt of `received` units of batch `reference` can keep a rest: fewer than the `ordered` ones.
///
/// - Throws: `ContractViolation` (bad input) naming both quantities.
func checkRestReceipt(of reference: String, received: Int, ordered: Int) throws {
    try require(
        received < ordered,
        "a rest ETA needs a quantity below the \(ordered) ordered of batch \(reference), got \(received)")
}

/// What taking back a batch's last receipt restores: the ETA and quantity the batch had before it.
struct ReceiptToUndo: Equatable, Sendable {
    /// The position of the receipt's `BatchReceived` in the history it was read from.
    let receiptIndex: Int
    /// The ETA the batch had before the receipt.
    let eta: Day
    /// The quantity the batch had before the receipt (what was ordered).
    let orderedQty: Int
    /// The quantity the receipt recorded.
    let receivedQty: Int
}

/// The last receipt of batch `reference` that can be taken back, from `history`: the events with the batch's
/// reference, oldest first (those before its latest `BatchCreated` belong to an earlier batch of that name).
///
/// A receipt can be taken back while nothing has shipped from the batch and its quantity has not been changed
/// since (either would make "as before the receipt" a guess).
///
/// - Throws: `AllocationError.cannotUnreceive` naming why: never received (or its receipt already taken back),
///   shipped from, its quantity changed since, or no ETA known from before the receipt.
func receiptToUndo(of reference: String, history: [Event]) throws -> ReceiptToUndo {
    let start = history.lastIndex { if case .batchCreated(reference, _, _, _) = $0 { true } else { false } } ?? 0
    let events = history.indices.filter { $0 >= start }.map { (offset: $0, event: history[$0]) }
    let refuse = { (why: String) in AllocationError.cannotUnreceive(batch: reference, why: why) }
    let lastReceipt = events.last {
        switch $0.event {
        case .batchReceived(reference, _), .batchUnreceived(reference, _, _): true
        default: false
        }
    }
    guard let lastReceipt, case .batchReceived(_, let received) = lastReceipt.event else {
        throw refuse("it has no receipt to take back")
    }
    for (offset, event) in events where offset > lastReceipt.offset {
        switch event {
        case .shipped(_, _, _, reference): throw refuse("stock was shipped from it since its receipt")
        case .batchQuantityChanged(reference, let qty):
            throw refuse("its quantity was changed to \(qty) since its receipt")
        default: continue
        }
    }
    var eta: Day?
    var ordered: Int?
    for (offset, event) in events where offset < lastReceipt.offset {
        switch event {
        case .batchCreated(reference, _, let qty, let created):
            eta = created
            ordered = qty
        case .batchEtaChanged(reference, let changed): eta = changed
        case .batchQuantityChanged(reference, let qty), .batchReceived(reference, let qty): ordered = qty
        case .batchUnreceived(reference, let qty, let restored):
            eta = restored
            ordered = qty
        default: continue
        }
    }
    guard let eta, let ordered else { throw refuse("no ETA from before its receipt is in its history") }
    return ReceiptToUndo(receiptIndex: lastReceipt.offset, eta: eta, orderedQty: ordered, receivedQty: received)
}
