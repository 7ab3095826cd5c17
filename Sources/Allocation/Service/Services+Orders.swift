/// Orders as a whole: cancelling a line or an order, changing a line's quantity in its place, and the errors
/// that tell an unknown order from a missing line.
extension Services {
    /// Why order `orderid` has no line for `sku` (or no line at all, for `sku` nil): `Unknown order` (with a
    /// known order differing only in case, `did you mean …?`) when no line or event ever named the order, else
    /// `order … has no line for …`.
    static func missing(orderid: String, sku: String?, in db: Database) throws -> AllocationError {
        if let unknown = try OrderLine.unknownOrder(orderid, in: db) { return unknown }
        guard let sku else { return .unknownOrder(orderid, suggestion: nil) }
        return .unknownLine(orderid: orderid, sku: sku)
    }

    /// The product of the order's line for `sku`, locked.
    ///
    /// - Throws: ``missing(orderid:sku:in:)``'s error when no product has the SKU, so no line can.
    static func productOfLine(orderid: String, sku: String, in db: Database) throws -> Product {
        guard let product = try Product.loadVersion(sku: sku, in: db) else {
            throw try missing(orderid: orderid, sku: sku, in: db)
        }
        return product
    }

    /// The order's line for `sku`, read after the caller locked the SKU's product row.
    ///
    /// - Throws: ``missing(orderid:sku:in:)``'s error when there is none.
    static func existingLine(orderid: String, sku: String, in db: Database) throws -> OrderLine {
        guard let line = try OrderLine.find(orderid: orderid, sku: sku, in: db) else {
            throw try missing(orderid: orderid, sku: sku, in: db)
        }
        return line
    }

    /// Cancels an open line: its pieces are freed (filling waiting lines, oldest first, when `autoAllocate` is
    /// on), its waiting part is cancelled, and the line is kept as cancelled (or, when a part of it shipped, as
    /// shipped with that part). `product` must be the line's locked product; its version is bumped and saved.
    ///
    /// - Returns: the deallocation's outcome (``Outcome/cancelled(orderid:sku:qty:shipped:)`` for a line
    ///   that held nothing) and its events.
    static func cancel(_ line: OrderLine, product: inout Product, context: Context, in db: Database) throws
        -> Outcome
    {
        guard let id = line.id else { preconditionFailure("cancelling a line that was never stored") }
        product.bumpVersion()
        guard !line.pieces.isEmpty else {
            try line.close(at: context.now, in: db)
            product.events.append(.cancelled(orderid: line.orderid, sku: line.sku, qty: line.waitingPart))
            try product.saveVersion(in: db)
            return .cancelled(orderid: line.orderid, sku: line.sku, qty: line.waitingPart, shipped: line.shippedQty)
        }
        var (stock, stored) = try stock(
            of: product, lines: [line], filling: context.autoAllocate, context: context, in: db)
        try stock.free(id)
        if context.autoAllocate { try stock.fillWaiting() }
        product.events += try save(stock, lines: stored, sku: product.sku, context: context, in: db)
        if line.waitingPart > 0 {
            product.events.append(.cancelled(orderid: line.orderid, sku: line.sku, qty: line.waitingPart))
        }
        try line.close(at: context.now, in: db)
        try product.saveVersion(in: db)
        let filled = movesAndFills(stock, off: nil, lines: stored, sku: product.sku).filled
        return .deallocated(
            batchReference: line.pieces.map(\.batchref).joined(separator: ", "), filled: filled,
            pieces: line.pieces.count > 1 ? line.pieces : [], cancelled: line.waitingPart, shipped: line.shippedQty)
    }

    /// Cancels every open line of the order in one transaction, each as ``deallocate(_:context:in:)`` would; an
    /// order with no open line changes nothing.
    static func cancelOrder(_ command: CancelOrder, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        let (all, locked) = try lockedLines(of: command.orderid, in: db)
        guard !all.isEmpty else { throw try missing(orderid: command.orderid, sku: nil, in: db) }
        var products = locked
        var cancelled: [CancelledLine] = []
        var filled: [LineOnBatch] = []
        for line in all where line.isOpen {
            guard let index = products.firstIndex(where: { $0.sku == line.sku }) else { continue }
            let outcome = try cancel(line, product: &products[index], context: context, in: db)
            if case .deallocated(_, let lineFilled, _, _, _) = outcome { filled += lineFilled }
            cancelled.append(
                CancelledLine(sku: line.sku, qty: line.open, pieces: line.pieces, shipped: line.shippedQty))
        }
        return (
            .orderCancelled(orderid: command.orderid, lines: cancelled, filled: filled),
            products.flatMap(\.events)
        )
    }

    /// Sets an open line's quantity, keeping its place in the waiting queue: less frees stock to the waiting
    /// lines (oldest first, when `autoAllocate` is on), more is placed by the placement rule in force
    /// (``SKUStock/changeQuantity(of:to:)``). The same quantity changes nothing.
    static func changeLine(_ command: ChangeLine, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try productOfLine(orderid: command.orderid, sku: command.sku, in: db)
        let line = try existingLine(orderid: command.orderid, sku: command.sku, in: db)
        guard let id = line.id else { preconditionFailure("a stored line without an id") }
        guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
        guard !line.isCancelled else { throw AllocationError.cancelledLine(orderid: line.orderid, sku: line.sku) }
        guard command.qty > line.shippedQty else {
            throw AllocationError.belowShipped(
                orderid: line.orderid, sku: line.sku, shipped: line.shippedQty, requested: command.qty)
        }
        guard command.qty != line.qty else {
            return (
                .lineChanged(
                    orderid: line.orderid, sku: line.sku, from: line.qty, to: line.qty, pieces: line.pieces,
                    waiting: line.waitingPart, filled: [], wasChanged: false),
                []
            )
        }
        let open = command.qty - line.shippedQty
        var (stock, stored) = try stock(
            of: product, lines: [line], filling: context.autoAllocate, context: context, in: db)
        try stock.changeQuantity(of: id, to: open)
        if context.autoAllocate { try stock.fillWaiting() }
        var changed = line
        changed.qty = command.qty
        let lines = stored.map { $0.id == id ? changed : $0 }
        let after = stock.line(id) ?? LineStock(id: id, orderid: line.orderid, qty: open, pieces: [])
        if command.qty > line.qty { try changed.saveQuantity(waiting: true, in: db) }
        product.events.append(.lineChanged(orderid: line.orderid, sku: line.sku, qty: command.qty))
        product.events += try save(stock, lines: lines, sku: product.sku, context: context, in: db)
        if command.qty < line.qty { try changed.saveQuantity(waiting: after.waiting > 0, in: db) }
        product.bumpVersion()
        try product.saveVersion(in: db)
        let filled = movesAndFills(stock, off: nil, lines: lines, sku: product.sku).filled
            .filter { $0.orderid != line.orderid }
        return (
            .lineChanged(
                orderid: line.orderid, sku: line.sku, from: line.qty, to: command.qty, pieces: after.pieces,
                waiting: after.waiting, filled: filled),
            product.events
        )
    }
}
