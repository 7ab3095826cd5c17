/// The rules of a batch's and a line's life after allocation: receiving, re-dating, shipping and moving.
extension Product {
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

    /// Changes the ETA of the arriving batch `reference` (`BatchEtaChanged`); lines stay where they are. The same
    /// ETA changes nothing.
    ///
    /// - Returns: whether anything changed.
    /// - Throws: `AllocationError.alreadyInWarehouse` for a batch without an ETA; `AllocationError.unknownBatch`.
    mutating func changeEta(ofBatch reference: String, to eta: Day) throws -> Bool {
        let index = try batchIndex(reference)
        guard let current = batches[index].eta else { throw AllocationError.alreadyInWarehouse(reference) }
        guard current != eta else { return false }
        batches[index].eta = eta
        batches.sort(by: isPreferred)
        events.append(.batchEtaChanged(ref: reference, eta: eta))
        bumpVersion()
        return true
    }

    /// Why `line` cannot ship, e.g. `o1 TV is on arriving batch B-2`; nil when it can: it is allocated to a batch
    /// of this product that is in the warehouse.
    func shippingProblem(_ line: OrderLine) -> String? {
        if line.isShipped { return "\(line.orderid) \(line.sku) was shipped" }
        guard let reference = line.batchReference else { return "\(line.orderid) \(line.sku) is waiting for stock" }
        guard let batch = batches.first(where: { $0.reference == reference }), batch.eta == nil else {
            return "\(line.orderid) \(line.sku) is on arriving batch \(reference)"
        }
        return nil
    }

    /// Ships an allocated line from its batch in the warehouse: the quantity leaves the batch (purchased and
    /// allocated both drop) and `Shipped` is recorded. Bumps the version.
    ///
    /// - Throws: `AllocationError.notShippable` naming the line when ``shippingProblem(_:)`` finds one.
    mutating func ship(_ line: OrderLine) throws -> LineOnBatch {
        if let problem = shippingProblem(line) { throw AllocationError.notShippable([problem]) }
        let reference = line.batchReference ?? ""
        let index = try batchIndex(reference)
        try require(batches[index].allocated >= line.qty, "batch \(reference) does not hold \(line.qty)")
        batches[index].purchased -= line.qty
        batches[index].allocated -= line.qty
        events.append(.shipped(orderid: line.orderid, sku: sku, qty: line.qty, batchref: reference))
        bumpVersion()
        try ensure(batches[index].allocated <= batches[index].purchased, "batch \(reference) over-allocated")
        return LineOnBatch(orderid: line.orderid, sku: sku, qty: line.qty, batchref: reference)
    }

    /// Moves an allocated or waiting line to the batch `reference` of this product: `Deallocated` from its batch
    /// (none when it was waiting), then `Allocated` to the target. Bumps the version.
    ///
    /// - Returns: the batch the line left, nil when it was waiting.
    /// - Throws: `AllocationError` when the line was shipped, the batch is unknown here, the line is already on
    ///   it, or it has too little available.
    mutating func move(_ line: OrderLine, to reference: String) throws -> String? {
        guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
        try require(line.sku == sku, "line \(line.orderid) is for \(line.sku), not \(sku)")
        let target = try batchIndex(reference)
        guard line.batchReference != reference else {
            throw AllocationError.alreadyOnBatch(orderid: line.orderid, sku: line.sku, batch: reference)
        }
        guard batches[target].available >= line.qty else {
            throw AllocationError.noRoom(batch: reference, available: batches[target].available, needed: line.qty)
        }
        if let from = line.batchReference {
            let index = try batchIndex(from)
            batches[index].allocated -= line.qty
            events.append(.deallocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: from))
        }
        batches[target].allocated += line.qty
        events.append(.allocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: reference))
        bumpVersion()
        try ensure(batches.allSatisfy { $0.allocated >= 0 }, "a batch of \(sku) holds less than nothing")
        return line.batchReference
    }

    /// The preferred batch other than the line's own that could take `line` now; nil when none can.
    func alternativeBatch(for line: OrderLine) -> Batch? {
        preferredBatchIndex(for: line, excluding: line.batchReference).map { batches[$0] }
    }
}
