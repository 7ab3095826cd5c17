@testable import Allocation

/// The book's whole-line rules for a product loaded whole, kept as the reference the `never` policy is checked
/// against: the services place, release and fill lines through ``SKUStock``, and under `never` they must decide
/// what these decide.
extension Product {
    /// Sets a batch's purchased quantity, first come first served: the lines on it stay oldest order line first,
    /// each while it still fits; the lines that must leave are re-placed oldest first on the preferred batch that
    /// can take them, or wait (``releasePlan(from:allocatedLines:)``). The same quantity changes nothing: no event,
    /// no new version.
    ///
    /// - Parameter allocatedLines: the lines on the batch now, stored (their ids are their ages).
    /// - Returns: the lines that moved, with where they went (nil: nowhere, waiting for stock).
    /// - Throws: `AllocationError.unknownBatch` when the batch is not this product's; `ContractViolation` when the
    ///   quantity is negative or the lines do not add up to the batch's allocated quantity.
    mutating func changeQuantity(
        ofBatch reference: String, to quantity: Int, allocatedLines: [OrderLine]
    ) throws -> [Move] {
        let index = try batchIndex(reference)
        try require(quantity >= 0, "batch \(reference) cannot have quantity \(quantity)")
        guard batches[index].purchased != quantity else { return [] }
        batches[index].purchased = quantity
        events.append(.batchQuantityChanged(ref: reference, qty: quantity))
        bumpVersion()
        return try release(from: reference, allocatedLines: allocatedLines)
    }

    /// Which lines stay on the batch `reference` and which leave: the lines stay oldest first while they fit (each
    /// stays if it still fits), the rest leave, oldest first. Leavers are re-placed by ``release(from:allocatedLines:)``
    /// on the preferred batch that can take them, recording `Deallocated` and then `Allocated`, or `OutOfStock` when
    /// they wait.
    func releasePlan(from reference: String, allocatedLines: [OrderLine]) throws -> (kept: Int, leaving: [OrderLine]) {
        let index = try batchIndex(reference)
        try require(
            allocatedLines.reduce(0) { $0 + $1.qty } == batches[index].allocated,
            "the lines given for batch \(reference) add up to \(allocatedLines.reduce(0) { $0 + $1.qty }), "
                + "not its allocated \(batches[index].allocated)")
        try require(
            allocatedLines.allSatisfy { $0.id != nil && $0.batchReference == reference },
            "the lines given for batch \(reference) must be stored lines on it (an id is a line's age)")
        var kept = 0
        var leaving: [OrderLine] = []
        for line in allocatedLines.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            if kept + line.qty <= batches[index].purchased {
                kept += line.qty
            } else {
                leaving.append(line)
            }
        }
        return (kept, leaving)
    }

    /// Applies ``releasePlan(from:allocatedLines:)``: the leavers are re-placed, oldest first.
    mutating func release(from reference: String, allocatedLines: [OrderLine]) throws -> [Move] {
        let (kept, leaving) = try releasePlan(from: reference, allocatedLines: allocatedLines)
        let index = try batchIndex(reference)
        batches[index].allocated = kept
        var moves: [Move] = []
        for line in leaving {
            var free = line
            free.batchReference = nil
            let target = try place(free)
            try ensure(target != reference, "line \(line.orderid) left batch \(reference) and fitted back")
            events.append(.deallocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: reference))
            if let target {
                events.append(.allocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: target))
            } else {
                events.append(.outOfStock(sku: sku, orderid: line.orderid, qty: line.qty))
            }
            moves.append(Move(orderid: line.orderid, sku: sku, qty: line.qty, from: reference, to: target))
        }
        try ensure(batches.allSatisfy { $0.allocated <= $0.purchased }, "a batch of \(sku) is over-allocated")
        return moves
    }

    /// Drops a line: an allocated line leaves its batch (`Deallocated` with the batch), a waiting line is
    /// `Cancelled`. Bumps the version.
    ///
    /// - Throws: `AllocationError.shippedLine` for a shipped line; `AllocationError.unknownBatch` when its batch
    ///   is not this product's.
    mutating func deallocate(_ line: OrderLine) throws {
        guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
        if let reference = line.batchReference {
            let index = try batchIndex(reference)
            try require(batches[index].allocated >= line.qty, "batch \(reference) does not hold \(line.qty)")
            batches[index].allocated -= line.qty
            events.append(.deallocated(orderid: line.orderid, sku: line.sku, qty: line.qty, batchref: reference))
        } else {
            events.append(.cancelled(orderid: line.orderid, sku: line.sku, qty: line.qty))
        }
        bumpVersion()
    }

    /// Allocates waiting lines oldest first, each on the preferred batch that can take it (`Allocated`); a line
    /// that fits nowhere is skipped, as a younger, smaller one may still fit. Bumps the version when any moved.
    ///
    /// - Returns: the lines that got stock, with their batch.
    /// - Throws: `ContractViolation` when a line is for another SKU or is not waiting.
    mutating func fillWaiting(_ waiting: [OrderLine]) throws -> [OrderLine] {
        var placed: [OrderLine] = []
        for line in waiting.sorted(by: { ($0.id ?? 0) < ($1.id ?? 0) }) {
            try require(line.isWaiting, "line \(line.orderid) \(line.sku) is not waiting")
            guard let reference = try place(line) else { continue }
            events.append(.allocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: reference))
            var allocated = line
            allocated.batchReference = reference
            placed.append(allocated)
        }
        if !placed.isEmpty { bumpVersion() }
        return placed
    }

    /// Records that the arriving batch `reference` is in the warehouse (`BatchReceived`): its ETA is cleared, and
    /// a `quantity` other than the ordered one applies with the quantity-change rules. Bumps the version.
    ///
    /// - Returns: the quantity received and the lines that moved off the batch (nil `to`: waiting).
    /// - Throws: `AllocationError.alreadyInWarehouse` for a batch without an ETA; `AllocationError.unknownBatch`;
    ///   `ContractViolation` as ``changeQuantity(ofBatch:to:allocatedLines:)``.
    mutating func receive(
        batch reference: String, quantity: Int?, allocatedLines: [OrderLine]
    ) throws -> (qty: Int, moves: [Move]) {
        let index = try batchIndex(reference)
        guard batches[index].eta != nil else { throw AllocationError.alreadyInWarehouse(reference) }
        let received = quantity ?? batches[index].purchased
        try require(received >= 0, "batch \(reference) cannot have quantity \(received)")
        batches[index].eta = nil
        batches[index].purchased = received
        batches.sort(by: isPreferred)
        events.append(.batchReceived(ref: reference, qty: received))
        bumpVersion()
        return (received, try release(from: reference, allocatedLines: allocatedLines))
    }
}
