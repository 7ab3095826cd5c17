extension Product {
    /// Adds a new batch to the product and bumps the version.
    ///
    /// - Throws: `ContractViolation` when the batch is for another SKU or its reference is already here.
    mutating func add(_ batch: Batch) throws {
        try require(batch.sku == sku, "batch \(batch.reference) is for \(batch.sku), not \(sku)")
        try require(!batches.contains { $0.reference == batch.reference }, "batch \(batch.reference) already exists")
        batches.append(batch)
        batches.sort(by: isPreferred)
        version += 1
        events.append(.batchCreated(ref: batch.reference, sku: sku, qty: batch.purchased, eta: batch.eta))
    }

    /// Sets a batch's purchased quantity. While it is over-allocated, its lines give way in the order given
    /// (the caller passes the newest order line first); each is re-placed on the preferred batch that can
    /// take it, or left waiting with an `OutOfStock` event. A line that fits back on the same batch stays, with
    /// no event. Bumps the version once.
    ///
    /// - Parameter allocatedLines: the lines on the batch now.
    /// - Returns: the lines that moved, with where they went (nil: nowhere, waiting for stock).
    /// - Throws: `ContractViolation` when the batch is not this product's or the quantity is negative.
    mutating func changeQuantity(
        ofBatch reference: String, to quantity: Int, allocatedLines: [OrderLine]
    ) throws -> [Move] {
        guard let index = batches.firstIndex(where: { $0.reference == reference }) else {
            throw ContractViolation(kind: .precondition, message: "batch \(reference) is not a batch of \(sku)")
        }
        try require(quantity >= 0, "batch \(reference) cannot have quantity \(quantity)")
        try require(
            allocatedLines.reduce(0) { $0 + $1.qty } == batches[index].allocated,
            "the lines given for batch \(reference) do not add up to its allocated quantity")
        batches[index].purchased = quantity
        events.append(.batchQuantityChanged(ref: reference, qty: quantity))
        var released: [OrderLine] = []
        for line in allocatedLines where batches[index].available < 0 {
            batches[index].allocated -= line.qty
            var waiting = line
            waiting.batchReference = nil
            released.append(waiting)
        }
        var moves: [Move] = []
        for line in released {
            let target = try place(line)
            if target == reference { continue }
            events.append(.deallocated(orderid: line.orderid, sku: line.sku, qty: line.qty))
            recordPlacement(of: line, on: target)
            moves.append(Move(orderid: line.orderid, sku: line.sku, qty: line.qty, from: reference, to: target))
        }
        version += 1
        try ensure(batches.allSatisfy { $0.allocated <= $0.purchased }, "a batch of \(sku) is over-allocated")
        return moves
    }

    /// Takes an allocated line off its batch and bumps the version.
    ///
    /// - Throws: `ContractViolation` when the line is not on one of this product's batches.
    mutating func deallocate(_ line: OrderLine) throws {
        if let reference = line.batchReference {
            guard let index = batches.firstIndex(where: { $0.reference == reference }) else {
                throw ContractViolation(kind: .precondition, message: "batch \(reference) is not a batch of \(sku)")
            }
            try require(batches[index].allocated >= line.qty, "batch \(reference) does not hold \(line.qty)")
            batches[index].allocated -= line.qty
        }
        version += 1
        events.append(.deallocated(orderid: line.orderid, sku: line.sku, qty: line.qty))
    }
}
