import Allocation

/// The read queries the screens make, all paged; the loop hands one to a screen's `reload`.
protocol DataSource {
    func batches(limit: Int, offset: Int) throws -> [BatchRow]
    func batchCount() throws -> Int
    func boardPosition(reference: String) throws -> Int?
    func nextBatch(containing text: String, after reference: String?, forward: Bool) throws -> String?
    func totals(skus: [String]) throws -> [SKUTotals]
    func skuCount() throws -> Int
    /// Order lines by id: newest first with id ≤ `id`, or (`newer`) oldest first with id > `id`.
    func lines(matching filter: String?, from id: Int64, newer: Bool, limit: Int) throws -> [Views.LineRow]
    func lineCount(matching filter: String) throws -> Int
    /// Events by id: newest first with id ≤ `id`, or (`newer`) oldest first with id > `id`.
    func events(from id: Int64, newer: Bool, limit: Int) throws -> [EventRow]
}
