extension DatabaseCopy {
    /// Copies the allocations with their per-row count paused where the engine can pause it (a server's session
    /// that owns the table), then counts each batch's `allocated` in one statement: each row's update would leave
    /// one more version of its batch in the transaction for the next row's lookups to step over, which made a
    /// batch with many lines quadratic. Elsewhere the rows are counted one by one.
    static func copyAllocations(
        _ table: CopiedTable, from source: Database, to destination: Database, meter: ProgressMeter?
    ) throws -> Int {
        let paused = try destination.withTriggerPaused("allocations_count", on: "allocations") {
            let count = try copy(table, from: source, to: destination, meter: meter)
            try destination.execute(
                """
                UPDATE batches AS b SET allocated = counted.total
                FROM (SELECT batch_id, sum(qty) AS total FROM allocations GROUP BY batch_id) AS counted
                WHERE b.id = counted.batch_id
                """)
            return count
        }
        return try paused ?? copy(table, from: source, to: destination, meter: meter)
    }

    /// Copies one table, page by page, each page inserted a few rows per statement.
    static func copy(
        _ table: CopiedTable, from source: Database, to destination: Database, meter: ProgressMeter?
    ) throws -> Int {
        var rows = PagedRows(table: table, database: source)
        var count = 0
        var chunk: [[SQLValue]] = []
        chunk.reserveCapacity(CopiedTable.rowsPerInsert)
        func flush() throws {
            guard !chunk.isEmpty else { return }
            try destination.execute(table.insertSQL(rows: chunk.count), arguments: chunk.flatMap { $0 })
            count += chunk.count
            meter?.advance(by: chunk.count)
            chunk.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            chunk.append(Array(row.prefix(table.copiedColumns)))
            if chunk.count == CopiedTable.rowsPerInsert { try flush() }
        }
        try flush()
        return count
    }
}
