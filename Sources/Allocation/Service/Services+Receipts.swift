/// Receipts as warehouses do them (a short receipt whose rest still arrives, a receipt taken back) and voiding a
/// batch made by mistake. Each runs in the command's one transaction, deciding only on what it read after it
/// holds the SKU's product row (``loadProduct(ofBatch:in:)``).
extension Services {
    /// Batch `reference` is in the warehouse with `received` units, less than the `ordered` ones; the rest is
    /// inserted as the next free `REF-REST…` batch due `restEta` (with its `BatchCreated`), then the lines that no
    /// longer fit on `reference` are placed by the rules, the rest batch among the others.
    static func receive(
        _ reference: String, qty received: Int, restArrivingOn restEta: Day, product: Product, context: Context,
        in db: Database
    ) throws -> (Outcome, [Event]) {
        var product = product
        let index = try product.batchIndex(reference)
        let before = product.batches[index]
        let ordered = before.purchased
        try checkRestReceipt(of: reference, received: received, ordered: ordered)
        product.batches[index].eta = nil
        product.events.append(.batchReceived(ref: reference, qty: received))
        product.bumpVersion()
        try Batch.saveETA(nil, reference: reference, in: db)
        let rest = try insertRestBatch(of: reference, sku: product.sku, qty: ordered - received, eta: restEta, in: db)
        try product.add(rest)
        let (moved, filled, delayed) = try changePurchased(
            of: reference, from: ordered, to: received, before: before, product: &product, context: context, in: db)
        try product.saveVersion(in: db)
        return (
            .receivedWithRest(
                reference: reference, qty: received,
                rest: RestBatch(reference: rest.reference, qty: rest.purchased, eta: restEta), moved: moved,
                filled: filled, delayed: delayed),
            product.events
        )
    }

    /// Inserts the rest batch under the first free name ``restReference(of:number:)`` gives.
    private static func insertRestBatch(
        of reference: String, sku: String, qty: Int, eta: Day, in db: Database
    ) throws -> Batch {
        for number in 1...Self.restNamesTried {
            let batch = Batch(
                reference: restReference(of: reference, number: number), sku: sku, purchased: qty, eta: eta)
            if let inserted = try batch.insertIfNew(into: db) { return inserted }
        }
        throw AllocationError.duplicateBatch(restReference(of: reference, number: Self.restNamesTried))
    }

    private static let restNamesTried = 1000

    /// Takes back batch `ref`'s last receipt (``receiptToUndo(of:history:)``): the batch is arriving again with
    /// its ETA from before. A rest batch the receipt made is folded back: the batch gets the received quantity
    /// plus what the rest batch holds now, the rest batch's lines are placed again by the rules (mostly back on
    /// the batch) and its row is removed, with a `BatchVoided`. Without a rest batch the batch gets its ordered
    /// quantity back. Refused while the rest batch is in the warehouse itself: take its receipt back first.
    static func unreceiveBatch(
        _ command: UnreceiveBatch, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        var product = try loadProduct(ofBatch: command.ref, in: db)
        let current = try product.batches[product.batchIndex(command.ref)]
        guard current.eta == nil else {
            throw AllocationError.cannotUnreceive(batch: command.ref, why: "it is still arriving")
        }
        let history = try Views.history(batch: command.ref, in: db)
        let undo = try receiptToUndo(of: command.ref, history: history.map(\.event))
        let restName = try restBatch(madeBy: history[undo.receiptIndex], of: command.ref, in: db)
        let rest = try restName.flatMap { try Batch.find(reference: $0, in: db) }
        if let rest {
            guard rest.eta != nil else {
                throw AllocationError.cannotUnreceive(
                    batch: command.ref,
                    why: "its rest batch \(rest.reference) was received since; unreceive \(rest.reference) first")
            }
            try product.include([rest])
        }
        let restored = restName == nil ? undo.orderedQty : current.purchased + (rest?.purchased ?? 0)
        product.batches[try product.batchIndex(command.ref)].eta = undo.eta
        product.events.append(.batchUnreceived(ref: command.ref, qty: restored, eta: undo.eta))
        if let rest { product.events.append(.batchVoided(ref: rest.reference, sku: rest.sku, qty: rest.purchased)) }
        product.bumpVersion()
        var lines = try OrderLine.allocated(toBatch: command.ref, in: db)
        if let rest {
            for line in try OrderLine.allocated(toBatch: rest.reference, in: db)
            where !lines.contains(where: { $0.id == line.id }) {
                lines.append(line)
            }
        }
        var (stock, stored) = try stock(
            of: product, lines: lines, filling: context.autoAllocate, context: context, in: db)
        try stock.changePurchased(of: command.ref, to: restored)
        if let rest { try stock.changePurchased(of: rest.reference, to: 0) }
        if context.autoAllocate { try stock.fillWaiting() }
        try Batch.saveETA(undo.eta, reference: command.ref, in: db)
        if restored > current.purchased { try Batch.savePurchased(restored, reference: command.ref, in: db) }
        product.events += try save(stock, lines: stored, sku: product.sku, context: context, in: db)
        if restored < current.purchased { try Batch.savePurchased(restored, reference: command.ref, in: db) }
        if let rest { try db.execute(Self.deleteBatchSQL, rest.reference) }
        try product.saveVersion(in: db)
        let offBatch = movesAndFills(stock, off: command.ref, lines: stored, sku: product.sku)
        let offRest = rest.map { movesAndFills(stock, off: $0.reference, lines: stored, sku: product.sku) }
        return (
            .unreceived(
                reference: command.ref, qty: restored, eta: undo.eta, removedRest: rest?.reference,
                moved: offBatch.moves + (offRest?.moves ?? []), filled: offBatch.filled),
            product.events
        )
    }

    /// The rest batch the receipt `receipt` of `reference` made: the `REF-REST…` batch created in the same
    /// transaction (same time) just after it; nil for a receipt without a rest ETA.
    private static func restBatch(madeBy receipt: EventRow, of reference: String, in db: Database) throws -> String? {
        for number in 1...Self.restNamesTried {
            let name = restReference(of: reference, number: number)
            if try db.queryOne(Self.restCreatedSQL, name, receipt.id, receipt.at, map: { _ in true }) != nil {
                return name
            }
            let known = try db.queryOne(Self.anyEventSQL, name, map: { _ in true }) != nil
            if !known, try Batch.find(reference: name, in: db) == nil { return nil }
        }
        return nil
    }

    /// Removes batch `ref`, made by mistake, when nothing shipped from it: its lines are placed again by the rules,
    /// as for a batch whose quantity becomes 0 (``SKUStock/changePurchased(of:to:)``), or wait; then its row is
    /// deleted. Its events stay, and a `BatchVoided` is added.
    static func voidBatch(_ command: VoidBatch, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try loadProduct(ofBatch: command.ref, in: db)
        let batch = try product.batches[product.batchIndex(command.ref)]
        guard try db.queryOne(Self.shippedFromSQL, command.ref, map: { _ in true }) == nil else {
            throw AllocationError.cannotVoid(batch: command.ref, why: "stock was shipped from it")
        }
        product.events.append(.batchVoided(ref: command.ref, sku: product.sku, qty: batch.purchased))
        product.bumpVersion()
        let (stock, stored) = try plannedPurchaseChange(
            of: command.ref, to: 0, product: product, context: context, in: db)
        product.events += try save(stock, lines: stored, sku: product.sku, context: context, in: db)
        try db.execute(Self.deleteBatchSQL, command.ref)
        try product.saveVersion(in: db)
        let (moved, filled) = movesAndFills(stock, off: command.ref, lines: stored, sku: product.sku)
        return (.batchVoided(reference: command.ref, moved: moved, filled: filled), product.events)
    }

    private static let deleteBatchSQL = SQL("DELETE FROM batches WHERE reference = ?")
    private static let shippedFromSQL = SQL("SELECT id FROM events WHERE ref = ? AND kind = 'Shipped' LIMIT 1")
    private static let anyEventSQL = SQL("SELECT id FROM events WHERE ref = ? LIMIT 1")
    private static let restCreatedSQL = SQL(
        "SELECT id FROM events WHERE ref = ? AND kind = 'BatchCreated' AND id > ? AND at = ? LIMIT 1")
}
