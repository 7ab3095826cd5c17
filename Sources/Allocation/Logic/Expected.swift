/// When an order line is expected complete, as pure functions on values: the rule the order view, the
/// consequences of a supplier's change and at-risk share.

extension Batch {
    /// Whether the batch is late on `today`: still to come with an ETA already past.
    func isLate(today: Day) -> Bool {
        eta.map { $0 < today } ?? false
    }

    /// How many days the batch is late on `today`: the days since its ETA for a late batch, else 0.
    func daysLate(today: Day) -> Int {
        guard let eta, eta < today else { return 0 }
        return today.daysSinceEpoch - eta.daysSinceEpoch
    }

    /// The day the batch's stock can leave: `today` in the warehouse, else its ETA (a past one for a late batch).
    func availableDay(today: Day) -> Day {
        eta ?? today
    }
}

/// The day a line with `pieces` and `waiting` units waiting is expected complete: the latest day among its pieces'
/// batches (``Batch/availableDay(today:)``); nil while any part of it waits or a piece's batch is not in `batches`.
func expectedDay(pieces: [Piece], waiting: Int, batches: [Batch], today: Day) -> Day? {
    guard waiting == 0, !pieces.isEmpty else { return nil }
    var latest: Day?
    for piece in pieces {
        guard let batch = batches.first(where: { $0.reference == piece.batchref }) else { return nil }
        let day = batch.availableDay(today: today)
        if latest.map({ day > $0 }) ?? true { latest = day }
    }
    return latest
}
