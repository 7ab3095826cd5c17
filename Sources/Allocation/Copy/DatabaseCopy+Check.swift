extension DatabaseCopy {
    /// What differs between the two databases' rows, table by table in key order: a row only one of them has,
    /// or a row whose columns differ (each shown `column=value`); empty when they are identical. Stops after
    /// the first few differences.
    ///
    /// - Throws: `DatabaseError`.
    public static func differences(between source: Database, and destination: Database) throws -> [String] {
        try differences(between: source, and: destination, meter: nil)
    }

    static func differences(between source: Database, and destination: Database, meter: ProgressMeter?)
        throws -> [String]
    {
        var found: [String] = []
        for table in CopiedTable.all {
            var left = PagedRows(table: table, database: source)
            var right = PagedRows(table: table, database: destination)
            var a = try left.next()
            var b = try right.next()
            while let row = a ?? b, found.count < reportedDifferences {
                switch table.order(a, b) {
                case .orderedAscending:
                    found.append("\(table.name) \(table.keyText(row)) is missing from \(destination.path)")
                    a = try left.next()
                case .orderedDescending:
                    found.append("\(table.name) \(table.keyText(b ?? row)) is only in \(destination.path)")
                    b = try right.next()
                case .orderedSame:
                    meter?.advance(by: 1)
                    if a != b, let one = a, let other = b {
                        found.append(
                            "\(table.name) \(table.keyText(one)) differs: \(source.path) has \(table.shown(one)), "
                                + "\(destination.path) has \(table.shown(other))")
                    }
                    a = try left.next()
                    b = try right.next()
                }
            }
        }
        return found
    }
}
