/// Where a line at risk could go, as a pure function on values.

/// The batch to suggest for `qty` of a line at risk (a piece on a late batch, or a part that waits): the first in
/// placement rank (``PlacementRank``: in the warehouse, then by ETA) with room for all of it that is not late and
/// is not `excluded` (the line's own late batch); nil when none.
///
/// A line at risk has no date anyone can count on (a late batch's ETA has passed, a waiting part has none), so
/// every batch in the warehouse or still to come is before its present expected date; a late batch never is.
func atRiskAlternative(for qty: Int, among batches: [Batch], excluding excluded: String?, today: Day) -> Batch? {
    rankedForPlacement(batches, today: today).first {
        $0.reference != excluded && !$0.isLate(today: today) && $0.available >= qty
    }
}
