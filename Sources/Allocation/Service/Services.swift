/// The use cases: one function per command, each run inside the bus's transaction. Each loads the records it
/// needs, lets the rules in `Logic` decide, saves the rows and returns the product's new events.
enum Services {
    /// Inserts the batch before the rules see it: the UNIQUE reference is the one check, so two transactions
    /// of a server engine cannot both pass a read that found no such batch.
    static func createBatch(_ command: CreateBatch, in db: Database) throws -> (Outcome, [Event]) {
        let stored = try Product.load(sku: command.sku, in: db)
        var product = stored ?? Product(sku: command.sku)
        let readVersion = product.version
        if stored == nil { try product.insert(into: db) }
        let batch: Batch
        do {
            batch = try Batch(reference: command.ref, sku: command.sku, purchased: command.qty, eta: command.eta)
                .insert(into: db)
        } catch let error as DatabaseError where error.kind == .uniqueViolation {
            throw AllocationError.duplicateBatch(command.ref)
        }
        try product.add(batch)
        try product.saveVersion(readAt: readVersion, in: db)
        return (.batchCreated(reference: command.ref), product.events)
    }

    static func allocate(_ command: Allocate, in db: Database) throws -> (Outcome, [Event]) {
        guard var product = try Product.load(sku: command.sku, in: db) else {
            throw AllocationError.invalidSKU(command.sku)
        }
        let readVersion = product.version
        let requested = OrderLine(orderid: command.orderid, sku: command.sku, qty: command.qty)
        let existing = try OrderLine.find(orderid: command.orderid, sku: command.sku, in: db)
        var line = try lineToAllocate(requested: requested, existing: existing)
        if let current = line.batchReference {
            return (.allocated(batchReference: current, wasAlreadyAllocated: true), [])
        }
        guard let reference = try product.allocate(line) else {
            return (.outOfStock(sku: command.sku), product.events)
        }
        if line.id == nil { line = try line.insert(into: db) }
        try line.saveAllocation(to: product.batches.first { $0.reference == reference }, in: db)
        try product.saveVersion(readAt: readVersion, in: db)
        return (.allocated(batchReference: reference, wasAlreadyAllocated: false), product.events)
    }

    static func changeBatchQuantity(_ command: ChangeBatchQuantity, in db: Database) throws -> (Outcome, [Event]) {
        guard var product = try Product.load(batchReference: command.ref, in: db) else {
            throw AllocationError.unknownBatch(command.ref)
        }
        let readVersion = product.version
        let lines = try OrderLine.allocated(toBatch: command.ref, in: db)
        let moves = try product.changeQuantity(ofBatch: command.ref, to: command.qty, allocatedLines: lines)
        // Lines move off first: the schema refuses a batch whose allocated exceeds its purchased, even briefly.
        for move in moves {
            for line in lines where line.orderid == move.orderid {
                try line.saveAllocation(to: product.batches.first { $0.reference == move.to }, in: db)
            }
        }
        try Batch.savePurchased(command.qty, reference: command.ref, in: db)
        try product.saveVersion(readAt: readVersion, in: db)
        return (.quantityChanged(reference: command.ref, moved: moves), product.events)
    }

    static func deallocate(_ command: Deallocate, in db: Database) throws -> (Outcome, [Event]) {
        guard var product = try Product.load(sku: command.sku, in: db) else {
            throw AllocationError.invalidSKU(command.sku)
        }
        let readVersion = product.version
        guard let line = try OrderLine.find(orderid: command.orderid, sku: command.sku, in: db) else {
            throw AllocationError.unknownLine(orderid: command.orderid, sku: command.sku)
        }
        try product.deallocate(line)
        try line.delete(in: db)
        try product.saveVersion(readAt: readVersion, in: db)
        return (.deallocated(batchReference: line.batchReference), product.events)
    }
}
