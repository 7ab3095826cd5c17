/// Re-planning, as pure functions on values: allocated lines move, oldest first, to where they complete sooner
/// by the placement rule in force, never later.

/// A line re-planning moved: from its pieces, complete on `wasDay`, to `pieces`, complete on `day`.
public struct ReplannedLine: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let qty: Int
    public let from: [Piece]
    public let to: [Piece]
    public let wasDay: Day
    public let day: Day

    public init(orderid: String, sku: String, qty: Int, from: [Piece], to: [Piece], wasDay: Day, day: Day) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.from = from
        self.to = to
        self.wasDay = wasDay
        self.day = day
    }
}

extension SKUStock {
    /// Moves each wholly placed line, oldest first, to where ``placement(of:among:policy:today:)`` would put it
    /// now with its own pieces freed, when it completes sooner there: its latest piece is in the warehouse rather
    /// than arriving, or arrives on an earlier ETA, or is on time rather than on a late batch (whose date is
    /// unknown, as ``PlacementRank`` has it). A line that would complete no sooner, or would wait in part, stays.
    /// Each move changes the room the younger lines see.
    ///
    /// - Returns: the moves, oldest line first; `sku` names the stock's SKU in them.
    mutating func replan(sku: String) throws -> [ReplannedLine] {
        var moved: [ReplannedLine] = []
        for line in lines where line.waiting == 0 && !line.pieces.isEmpty {
            guard let was = completion(of: line.pieces), was.group > 0 else { continue }
            let freed = batches.map { batch in
                var batch = batch
                batch.allocated -= line.pieces.filter { $0.batchref == batch.reference }.reduce(0) { $0 + $1.qty }
                return batch
            }
            let plan = placement(of: line.qty, among: freed, policy: policy, today: today)
            guard plan.waiting == 0, let now = completion(of: plan.pieces), now.isSooner(than: was),
                let wasDay = expectedDay(pieces: line.pieces, waiting: 0, batches: batches, today: today),
                let day = expectedDay(pieces: plan.pieces, waiting: 0, batches: batches, today: today)
            else { continue }
            try movePieces(of: line.id, to: plan.pieces)
            moved.append(
                ReplannedLine(
                    orderid: line.orderid, sku: sku, qty: line.qty, from: line.pieces, to: plan.pieces, wasDay: wasDay,
                    day: day))
        }
        return moved
    }

    /// When pieces on these batches complete: the latest of their ranks (the reference aside); nil when a
    /// piece's batch is not loaded.
    private func completion(of pieces: [Piece]) -> PlacementRank? {
        var latest: PlacementRank?
        for piece in pieces {
            guard let batch = batches.first(where: { $0.reference == piece.batchref }) else { return nil }
            let rank = PlacementRank(batch, today: today)
            if latest.map({ !rank.isDatedNoLater(than: $0) }) ?? true { latest = rank }
        }
        return latest
    }
}

extension PlacementRank {
    /// Whether pieces completing at this rank complete strictly sooner than at `other`'s.
    func isSooner(than other: PlacementRank) -> Bool {
        isDatedNoLater(than: other) && !other.isDatedNoLater(than: self)
    }
}
