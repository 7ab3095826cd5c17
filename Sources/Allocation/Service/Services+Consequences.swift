/// The consequences of a supplier's change: the lines a later ETA, a short receipt or a smaller quantity delays.
extension Services {
    /// The lines as the placement rules see them, before a command changes them.
    static func lineStocks(_ lines: [OrderLine]) -> [LineStock] {
        lines.compactMap { line in
            line.id.map { LineStock(id: $0, orderid: line.orderid, qty: line.open, pieces: line.pieces) }
        }
    }

    /// The lines batch `reference`'s change delayed (``delayedLines(sku:before:batchesBefore:after:batchesAfter:today:)``),
    /// with the `OrdersDelayed` event appended to `events` when there are any.
    ///
    /// `batchesAfter` hold every batch the lines' pieces are on after the change; the batches before are the same
    /// but for `reference`, which was `batchBefore`.
    static func delays(
        of reference: String, sku: String, before: [LineStock], batchBefore: Batch, after: [LineStock],
        batchesAfter: [Batch], today: Day, events: inout [Event]
    ) -> [Delay] {
        let batchesBefore = batchesAfter.map { $0.reference == reference ? batchBefore : $0 }
        let delayed = delayedLines(
            sku: sku, before: before, batchesBefore: batchesBefore, after: after, batchesAfter: batchesAfter,
            today: today)
        if !delayed.isEmpty { events.append(.ordersDelayed(ref: reference, delayed: delayed)) }
        return delayed
    }
}
