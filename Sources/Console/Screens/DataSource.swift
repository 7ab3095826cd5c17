import Allocation

/// The read queries the screens make, all paged; the loop hands one to a screen's `reload`.
protocol DataSource {
    func batches(limit: Int, offset: Int) throws -> [BatchRow]
    func batchCount() throws -> Int
    func boardPosition(reference: String) throws -> Int?
    func nextBatch(containing text: String, after reference: String?, forward: Bool) throws -> String?
    func totals(skus: [String]) throws -> [SKUTotals]
    func orderLines(matching filter: String?, limit: Int, offset: Int) throws -> [OrderLineRow]
    func orderLineCount(matching filter: String?) throws -> Int
    func latestEvents(limit: Int, offset: Int) throws -> [EventRow]
    func events(after id: Int64, limit: Int) throws -> [EventRow]
    func eventCount() throws -> Int
}

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

    func orderLines(matching filter: String?, limit: Int, offset: Int) throws -> [OrderLineRow] {
        try Views.orderLines(matching: filter, limit: limit, offset: offset, in: database)
    }

    func orderLineCount(matching filter: String?) throws -> Int {
        try Views.orderLineCount(matching: filter, in: database)
    }

    func latestEvents(limit: Int, offset: Int) throws -> [EventRow] {
        try Views.latestEvents(limit: limit, offset: offset, in: database)
    }

    func events(after id: Int64, limit: Int) throws -> [EventRow] {
        try Views.events(after: id, limit: limit, in: database)
    }

    func eventCount() throws -> Int { try Views.eventCount(in: database) }
}
