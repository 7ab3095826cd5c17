import Allocation

/// The data source over a database: each method is one view of the core.
struct DatabaseSource: DataSource {
    let database: Database

    func batches(limit: Int, offset: Int) throws -> [BatchRow] {
        try Views.batches(limit: limit, offset: offset, in: database)
    }

    func batchCount() throws -> Int { try Views.batchCount(in: database) }

    func boardPosition(reference: String) throws -> Int? {
        try Views.boardPosition(reference: reference, in: database)
    }

    func nextBatch(containing text: String, after reference: String?, forward: Bool) throws -> String? {
        try Views.nextBatch(containing: text, after: reference, forward: forward, in: database)
    }

    func totals(skus: [String]) throws -> [SKUTotals] { try Views.totals(skus: skus, in: database) }

    func skuCount() throws -> Int { try Views.skuCount(in: database) }

    func lines(matching filter: String?, from id: Int64, newer: Bool, limit: Int) throws -> [Views.LineRow] {
        try Views.lines(matching: filter, from: id, newer: newer, limit: limit, in: database)
    }

    func lineCount(matching filter: String) throws -> Int { try Views.lineCount(matching: filter, in: database) }

    func events(from id: Int64, newer: Bool, limit: Int) throws -> [EventRow] {
        try Views.events(from: id, newer: newer, limit: limit, in: database)
    }
}
