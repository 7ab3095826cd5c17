extension Product {
    /// Adds a new batch to the product and bumps the version.
    ///
    /// - Throws: `ContractViolation` when the batch is for another SKU or its reference is already here.
    mutating func add(_ batch: Batch) throws {
        try require(batch.sku == sku, "batch \(batch.reference) is for \(batch.sku), not \(sku)")
        try require(!batches.contains { $0.reference == batch.reference }, "batch \(batch.reference) already exists")
        batches.append(batch)
        batches.sort(by: isPreferred)
        bumpVersion()
        events.append(.batchCreated(ref: batch.reference, sku: sku, qty: batch.purchased, eta: batch.eta))
    }
}
