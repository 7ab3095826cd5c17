import Allocation

/// What a command did, as the console's status line says it.
extension ConsoleApp {
    /// The status line's words for what a command did, e.g. `waiting: o-1 TV x8 (out of stock)`.
    static func describe(_ outcome: Outcome, of command: Command) -> String {
        func line(_ orderid: String, _ sku: String, _ qty: Int) -> String { "\(orderid) \(sku) x\(qty)" }
        func filled(_ placements: [LineOnBatch]) -> String {
            placements.isEmpty
                ? ""
                : "; filled "
                    + placements.map { "\(line($0.orderid, $0.sku, $0.qty)) to \($0.batchref)" }
                    .joined(separator: ", ")
        }
        func moved(_ moves: [Move]) -> String {
            moves.isEmpty
                ? ""
                : "; moved "
                    + moves.map { move in
                        line(move.orderid, move.sku, move.qty) + " " + (move.to.map { "to \($0)" } ?? "to waiting")
                    }.joined(separator: ", ")
        }
        switch outcome {
        case .allocated(let batch, true):
            guard case .allocate(let c) = command else { return "already allocated to \(batch); nothing changed" }
            return "\(c.orderid) \(c.sku) was already allocated to \(batch); nothing changed"
        case .allocated(let batch, false):
            guard case .allocate(let c) = command else { return "allocated to \(batch)" }
            return "allocated \(line(c.orderid, c.sku, c.qty)) to \(batch)"
        case .waiting(let orderid, let sku, let qty, let isNew):
            return "waiting: \(line(orderid, sku, qty)) (out of stock)" + (isNew ? "" : "; nothing changed")
        case .batchCreated(let reference, _, _, _, true):
            return "batch \(reference) was already there; nothing changed"
        case .batchCreated(let reference, let sku, let skuIsNew, let placements, false):
            return "batch \(reference) created" + (skuIsNew ? " (new SKU \(sku))" : "") + filled(placements)
        case .quantityChanged(let reference, _, _, false):
            return "\(reference) already had that quantity; nothing changed"
        case .quantityChanged(let reference, let moves, let placements, true):
            return "\(reference) quantity changed" + moved(moves) + filled(placements)
        case .deallocated(let batch, let placements):
            guard case .deallocate(let c) = command else { return "deallocated from \(batch)" + filled(placements) }
            return "deallocated \(c.orderid) \(c.sku) from \(batch)" + filled(placements)
        case .cancelled(let orderid, let sku, let qty):
            return "cancelled waiting line \(line(orderid, sku, qty))"
        case .received(let reference, let qty, let moves, let placements):
            return "received \(reference) (\(qty)) into the warehouse" + moved(moves) + filled(placements)
        case .etaChanged(let reference, let eta, let changed):
            return changed ? "\(reference) now due \(eta)" : "\(reference) was already due \(eta); nothing changed"
        case .shipped(let lines):
            return "shipped "
                + lines.map { "\(line($0.orderid, $0.sku, $0.qty)) from \($0.batchref)" }
                .joined(separator: ", ")
        case .moved(let orderid, let sku, let from, let to, let placements):
            return "moved \(orderid) \(sku) " + (from.map { "from \($0) " } ?? "from waiting ") + "to \(to)"
                + filled(placements)
        case .allocatedWaiting(let placements):
            guard !placements.isEmpty else { return "no waiting line fits a batch; nothing changed" }
            return "allocated \(placements.count) waiting "
                + (placements.count == 1 ? "line: " : "lines: ")
                + placements.map { "\(line($0.orderid, $0.sku, $0.qty)) to \($0.batchref)" }.joined(separator: ", ")
        }
    }
}
