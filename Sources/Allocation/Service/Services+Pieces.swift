/// The commands that move pieces of lines (a batch's quantity, a receipt, a freed line, waiting lines filled): the
/// rules run on an ``SKUStock`` holding what the command loaded, and its changes are written row by row.
extension Services {
    /// The SKU's stock a command decides on: the product's loaded batches, every batch with room, the batches
    /// holding pieces of `lines`, `lines` themselves and (when `filling`) the SKU's waiting lines.
    static func stock(
        of product: Product, lines: [OrderLine], filling: Bool, context: Context, in db: Database
    ) throws -> (stock: SKUStock, stored: [OrderLine]) {
        var product = product
        try product.include(try Batch.candidates(sku: product.sku, available: 1, in: db))
        let held = Set(lines.flatMap(\.pieces).map(\.batchref)).filter { product.batch($0) == nil }
        try product.include(try held.sorted().compactMap { try Batch.find(reference: $0, in: db) })
        var stored = lines
        if filling {
            for line in try OrderLine.waiting(sku: product.sku, in: db)
            where !stored.contains(where: { $0.id == line.id }) {
                stored.append(line)
            }
        }
        let stock = SKUStock(
            batches: product.batches,
            lines: stored.compactMap { line in
                line.id.map { LineStock(id: $0, orderid: line.orderid, qty: line.open, pieces: line.pieces) }
            }, policy: context.splitLines, today: context.today)
        return (stock, stored)
    }

    /// Writes `stock`'s changes to the rows and returns their events: a piece placed is inserted or grows, a
    /// piece freed shrinks or is deleted, and a line's `waiting_since` follows whether any of it waits (set at
    /// `context.now` when it begins to wait, cleared before its last piece completes it, as the schema requires).
    static func save(_ stock: SKUStock, lines: [OrderLine], sku: String, context: Context, in db: Database) throws
        -> [Event]
    {
        var held: [Int64: [String: Int]] = [:]
        var placed: [Int64: Int] = [:]
        var byID: [Int64: OrderLine] = [:]
        for line in lines {
            guard let id = line.id else { continue }
            byID[id] = line
            placed[id] = line.placed
            for piece in line.pieces { held[id, default: [:]][piece.batchref] = piece.qty }
        }
        var events: [Event] = []
        for change in stock.changes {
            switch change {
            case .placed(let id, let reference, let qty):
                let line = byID[id]
                let total = (placed[id] ?? 0) + qty
                if let line, total == line.open { try db.execute(Self.stopWaitingSQL, id) }
                try db.execute(Self.placeSQL, id, reference, qty)
                placed[id] = total
                held[id, default: [:]][reference, default: 0] += qty
                events.append(.allocated(orderid: line?.orderid ?? "", sku: sku, qty: qty, batchref: reference))
            case .freed(let id, let reference, let qty):
                let piece = held[id]?[reference] ?? 0
                if piece == qty {
                    try db.execute(Self.deletePieceSQL, id, reference)
                    held[id]?[reference] = nil
                } else {
                    try db.execute(Self.shrinkPieceSQL, qty, id, reference)
                    held[id]?[reference] = piece - qty
                }
                placed[id] = (placed[id] ?? 0) - qty
                events.append(.deallocated(orderid: byID[id]?.orderid ?? "", sku: sku, qty: qty, batchref: reference))
            case .startsWaiting(let id, let qty):
                try db.execute(Self.startWaitingSQL, context.now, id)
                events.append(.outOfStock(sku: sku, orderid: byID[id]?.orderid, qty: qty))
            }
        }
        return events
    }

    /// The moves off batch `reference` and the waiting lines filled, as the outcomes say them: for each line
    /// that lost stock on `reference`, what went to each other batch and what was left waiting (what was placed
    /// back on `reference` itself did not move).
    static func movesAndFills(
        _ stock: SKUStock, off reference: String?, lines: [OrderLine], sku: String
    ) -> (moves: [Move], filled: [LineOnBatch]) {
        let waitingBefore = Set(lines.filter { $0.waitingPart > 0 }.compactMap(\.id))
        let orderids = Dictionary(lines.compactMap { line in line.id.map { ($0, line.orderid) } }) { first, _ in first }
        var moves: [Move] = []
        var filled: [LineOnBatch] = []
        var leavers: [Int64] = []
        var freed: [Int64: Int] = [:]
        var placed: [Int64: [(batch: String, qty: Int)]] = [:]
        for change in stock.changes {
            switch change {
            case .freed(let id, let from, let qty) where from == reference:
                if freed[id] == nil { leavers.append(id) }
                freed[id, default: 0] += qty
            case .placed(let id, let batch, let qty):
                if freed[id] != nil {
                    placed[id, default: []].append((batch, qty))
                } else if waitingBefore.contains(id) {
                    filled.append(LineOnBatch(orderid: orderids[id] ?? "", sku: sku, qty: qty, batchref: batch))
                }
            default:
                break
            }
        }
        for id in leavers {
            guard let reference, let total = freed[id] else { continue }
            let went = placed[id] ?? []
            let back = went.filter { $0.batch == reference }.reduce(0) { $0 + $1.qty }
            let elsewhere = went.filter { $0.batch != reference }
            for target in elsewhere {
                moves.append(
                    Move(orderid: orderids[id] ?? "", sku: sku, qty: target.qty, from: reference, to: target.batch))
            }
            let waits = total - back - elsewhere.reduce(0) { $0 + $1.qty }
            if waits > 0 {
                moves.append(Move(orderid: orderids[id] ?? "", sku: sku, qty: waits, from: reference, to: nil))
            }
        }
        return (moves, filled)
    }

    private static let stopWaitingSQL = SQL("UPDATE order_lines SET waiting_since = NULL WHERE id = ?")
    private static let startWaitingSQL = SQL(
        "UPDATE order_lines SET waiting_since = ? WHERE id = ? AND waiting_since IS NULL")
    private static let placeSQL = SQL(
        """
        INSERT INTO allocations (orderline_id, batch_id, qty)
          VALUES (?, (SELECT id FROM batches WHERE reference = ?), ?)
          ON CONFLICT (orderline_id, batch_id) DO UPDATE SET qty = allocations.qty + excluded.qty
        """)
    private static let deletePieceSQL = SQL(
        "DELETE FROM allocations WHERE orderline_id = ? AND batch_id = (SELECT id FROM batches WHERE reference = ?)")
    private static let shrinkPieceSQL = SQL(
        """
        UPDATE allocations SET qty = qty - ?
        WHERE orderline_id = ? AND batch_id = (SELECT id FROM batches WHERE reference = ?)
        """)
}
