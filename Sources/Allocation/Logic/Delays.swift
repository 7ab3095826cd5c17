/// Which lines a supplier's change delays, as a pure function on values.

/// The lines of one SKU that `after` makes later than `before`: each line expected complete before (it had pieces
/// and nothing waiting) whose expected day (``expectedDay(pieces:waiting:batches:today:)``) is later after, or
/// that now waits. A line expected earlier, or that waited already, is not listed. In `before`'s order.
///
/// - Parameters:
///   - before: the lines as they were, with `batchesBefore` (the batches their pieces were on, as they were).
///   - after: the same lines after the change (a line missing here was dropped and is not listed), with
///     `batchesAfter`.
func delayedLines(
    sku: String, before: [LineStock], batchesBefore: [Batch], after: [LineStock], batchesAfter: [Batch], today: Day
) -> [Delay] {
    before.compactMap { old in
        guard
            let from = expectedDay(pieces: old.pieces, waiting: old.waiting, batches: batchesBefore, today: today),
            let new = after.first(where: { $0.id == old.id })
        else { return nil }
        let to = expectedDay(pieces: new.pieces, waiting: new.waiting, batches: batchesAfter, today: today)
        if let to, to <= from { return nil }
        return Delay(orderid: old.orderid, sku: sku, qty: old.qty, from: from, to: to)
    }
}
