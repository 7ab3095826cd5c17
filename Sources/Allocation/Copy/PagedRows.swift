/// A table's rows in key order, read a page at a time.
struct PagedRows {
    let table: CopiedTable
    let database: Database
    private var page: [[SQLValue]] = []
    private var index = 0
    private var finished = false

    init(table: CopiedTable, database: Database) {
        self.table = table
        self.database = database
    }

    /// The next row, or nil after the last.
    mutating func next() throws -> [SQLValue]? {
        if index == page.count {
            guard !finished else { return nil }
            let after = page.last?.prefix(table.keyColumns)
            var arguments = after.map { Array($0) } ?? []
            arguments.append(.integer(Int64(CopiedTable.pageSize)))
            page = try database.query(
                table.pageSQL(after: after != nil, features: database.features), arguments: arguments, map: table.values
            )
            index = 0
            finished = page.count < CopiedTable.pageSize
            if page.isEmpty { return nil }
        }
        index += 1
        return page[index - 1]
    }
}
