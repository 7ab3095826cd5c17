/// The rules of a batch's and a line's life after allocation: receiving, re-dating, shipping and moving.
extension Product {

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

    /// Why `line` cannot ship, e.g. `o1 TV is on arriving batch B-2`; nil when it can: every piece of it is on a
    /// batch of this product that is in the warehouse, and no part of it waits. With `partial`, a line can ship
    /// when any piece of it is in the warehouse, and the rest stays open.
    func shippingProblem(_ line: OrderLine, partial: Bool = false) -> String? {
        if line.isShipped { return "\(line.orderid) \(line.sku) was shipped" }
        if line.pieces.isEmpty { return "\(line.orderid) \(line.sku) is waiting for stock" }
        let arriving = line.pieces.filter { !isInWarehouse($0) }
        if partial, arriving.count < line.pieces.count { return nil }
        if !arriving.isEmpty, line.pieces.count == 1, line.waitingPart == 0 {
            return "\(line.orderid) \(line.sku) is on arriving batch \(arriving[0].batchref)"
        }
        var parts = arriving.map { "x\($0.qty) on arriving batch \($0.batchref)" }
        if line.waitingPart > 0 { parts.append("x\(line.waitingPart) waiting") }
        guard !parts.isEmpty else { return nil }
        let nothingHere = arriving.count == line.pieces.count ? "nothing in the warehouse: " : ""
        return "\(line.orderid) \(line.sku) has \(nothingHere)\(parts.joined(separator: ", "))"
    }

    /// Whether `piece` is on a batch of this product that is in the warehouse.
    func isInWarehouse(_ piece: Piece) -> Bool {
        batches.contains { $0.reference == piece.batchref && $0.eta == nil }
    }

    /// Ships a line from its batches in the warehouse: each piece there leaves its batch (its shipped count
    /// grows and its allocated drops, so on hand drops; purchased stays what was bought) with a `Shipped` of its
    /// quantity. Without `partial` that is the whole line; with it, the pieces on arriving batches and the waiting part stay open. Bumps the version.
    ///
    /// - Returns: each piece shipped.
    /// - Throws: `AllocationError.notShippable` naming the line when ``shippingProblem(_:partial:)`` finds one.
    mutating func ship(_ line: OrderLine, partial: Bool = false) throws -> [LineOnBatch] {
        if let problem = shippingProblem(line, partial: partial) { throw AllocationError.notShippable([problem]) }
        var shipped: [LineOnBatch] = []
        for piece in line.pieces where isInWarehouse(piece) {
            let index = try batchIndex(piece.batchref)
            try require(batches[index].allocated >= piece.qty, "batch \(piece.batchref) does not hold \(piece.qty)")
            batches[index].shipped += piece.qty
            batches[index].allocated -= piece.qty
            events.append(.shipped(orderid: line.orderid, sku: sku, qty: piece.qty, batchref: piece.batchref))
            try ensure(batches[index].allocated <= batches[index].onHand, "batch \(piece.batchref) over-allocated")
            shipped.append(LineOnBatch(orderid: line.orderid, sku: sku, qty: piece.qty, batchref: piece.batchref))
        }
        try ensure(!shipped.isEmpty, "\(line.orderid) \(line.sku) shipped nothing")
        bumpVersion()
        return shipped
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
        let own = line.pieces.first { $0.batchref == reference }?.qty ?? 0
        guard batches[target].available + own >= line.open else {
            throw AllocationError.noRoom(
                batch: reference, available: batches[target].available + own, needed: line.open)
        }
        for piece in line.pieces {
            let index = try batchIndex(piece.batchref)
            batches[index].allocated -= piece.qty
            events.append(.deallocated(orderid: line.orderid, sku: sku, qty: piece.qty, batchref: piece.batchref))
        }
        batches[target].allocated += line.open
        events.append(.allocated(orderid: line.orderid, sku: sku, qty: line.open, batchref: reference))
        bumpVersion()
        try ensure(batches.allSatisfy { $0.allocated >= 0 }, "a batch of \(sku) holds less than nothing")
        return line.pieces.isEmpty ? nil : line.pieces.map(\.batchref).joined(separator: ", ")
    }

    /// The preferred batch other than the line's own that could take `line` now; nil when none can.
    func alternativeBatch(for line: OrderLine) -> Batch? {
        preferredBatchIndex(for: line, excluding: line.batchReference).map { batches[$0] }
    }
}
