/// A SKU's stock day by day, as a pure function on values: what is in the warehouse or arrived by each day from
/// today to the last ETA, what of it is allocated and free, and the units its waiting lines need.

/// The projection of `sku`'s `batches` (any order, emptied ones too) with `waiting` units of waiting lines, from
/// `today` to the last ETA, at most `maximumDays` days (``Projection``'s rules).
func projection(
    sku: String, batches: [Batch], waiting: Int, today: Day, maximumDays: Int = Projection.maximumDays
) -> Projection {
    let counted = batches.filter { $0.onHand > 0 }
    let byETA = { (a: ProjectedBatch, b: ProjectedBatch) in (a.eta, a.batchref) < (b.eta, b.batchref) }
    func projected(_ batch: Batch, _ eta: Day) -> ProjectedBatch {
        ProjectedBatch(batchref: batch.reference, qty: batch.onHand, allocated: batch.allocated, eta: eta)
    }
    var late: [ProjectedBatch] = []
    var coming: [ProjectedBatch] = []
    var onHand = 0
    var allocated = 0
    for batch in counted {
        guard let eta = batch.eta else {
            onHand += batch.onHand
            allocated += batch.allocated
            continue
        }
        if eta < today { late.append(projected(batch, eta)) } else { coming.append(projected(batch, eta)) }
    }
    coming.sort(by: byETA)
    let lastETA = coming.last?.eta ?? today
    let count = max(1, min(maximumDays, today.days(until: lastETA) + 1))
    let lastDay = today.adding(days: count - 1)
    var days: [ProjectionDay] = []
    var next = coming.startIndex
    for offset in 0..<count {
        let date = today.adding(days: offset)
        var arriving = 0
        while next < coming.endIndex, coming[next].eta == date {
            arriving += coming[next].qty
            onHand += coming[next].qty
            allocated += coming[next].allocated
            next += 1
        }
        days.append(
            ProjectionDay(date: date, arriving: arriving, onHand: onHand, allocated: allocated, waiting: waiting))
    }
    return Projection(
        sku: sku, days: days, arrivals: coming.filter { $0.eta <= lastDay }, late: late.sorted(by: byETA),
        later: coming.filter { $0.eta > lastDay })
}
