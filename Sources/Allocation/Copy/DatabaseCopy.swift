/// Copying a whole stock database into a new or empty one, on either engine, and checking the copy row by row.
///
/// The source is read in one read snapshot, page by page in key order (keyset paging, so a million lines take the
/// memory of a page); the destination is written in one transaction, ids kept, and compared with the source
/// before that transaction commits, so a copy that does not match leaves the destination as it was. A batch's
/// `allocated` is not copied but counted again by the schema as the allocations go in (lines first, then their
/// allocations, so the triggers that guard lines see valid history); the check compares it too.
public enum DatabaseCopy {
    /// The check after a copy found the destination different from the source; the destination's transaction
    /// was rolled back, so it holds nothing of the copy.
    public struct Mismatch: Error, CustomStringConvertible, Sendable {
        /// Where it was copied from and to, as messages show them (passwords hidden).
        public let source: String
        public let destination: String
        /// What differs, one sentence each, the first few of them.
        public let differences: [String]

        public var description: String {
            "copied from \(source) to \(destination), but the check found them different: "
                + differences.joined(separator: "; ") + "; nothing was kept: \(destination) is as it was"
        }
    }

    /// How many differences a check reports before it stops looking.
    static let reportedDifferences = 10

    /// Opens the database to copy from, read-only, as every reader opens it (its current schema required).
    ///
    /// - Throws: `DatabaseError` saying there is no database to copy from when a file is missing, or what
    ///   ``Database/open(settings:access:)`` says.
    public static func openSource(settings: Settings) throws -> Database {
        if Database.isMissingFile(settings: settings) {
            throw DatabaseError(.notFound, message: "nothing to copy: there is no database at \(settings.databasePath)")
        }
        return try Database.open(settings: settings, access: .readOnly)
    }

    /// Refuses a destination that already holds stock data, before anything is created or migrated in it: a
    /// missing file, a file or schema without stock's tables, and stock's empty tables pass.
    ///
    /// - Throws: `InputError` naming what the destination holds; `DatabaseError` when it cannot be read.
    public static func requireNoStockData(settings: Settings) throws {
        guard let probe = try Database.openIfPresent(settings: settings), try Schema.version(of: probe) > 0 else {
            return
        }
        try requireEmpty(probe)
    }

    /// Refuses `database` when any of stock's tables holds a row.
    private static func requireEmpty(_ database: Database) throws {
        let held = try rowCounts(in: database)
        guard held.total == 0 else {
            throw InputError(
                message: "\(database.path) already holds stock data (\(held.fullSummary)); stock copy writes only "
                    + "into a new or empty database, and changed nothing")
        }
    }

    /// The rows each of stock's tables holds.
    private static func rowCounts(in database: Database) throws -> Counts {
        var counts = Counts()
        for table in CopiedTable.all {
            counts[table] = try database.queryOne("SELECT count(*) FROM \(table.name)") { $0.int(0) } ?? 0
        }
        return counts
    }

    /// Copies every row of `source` into `destination` in one transaction and compares the two before it
    /// commits; the identity sequences, where the engine has them, are then set past the largest ids, so the next
    /// insert does not collide with a copied row.
    ///
    /// `source` is read in one snapshot (``Database/beginReadSnapshot()``), begun here unless already open.
    /// `destination` must hold stock's current schema with no rows (``Database/open(settings:access:)`` with
    /// `.create` makes one).
    ///
    /// `progress`, when given, is called every few hundred rows with the rows written and checked so far and the
    /// rows there are to write and check (each source row twice).
    ///
    /// - Returns: the rows copied per table.
    /// - Throws: ``Mismatch`` when the check finds a difference (nothing is kept); `InputError` when the
    ///   destination holds stock data; `DatabaseError` from either database (nothing is kept).
    public static func copy(
        from source: Database, to destination: Database, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> Counts {
        let ownSnapshot = !source.isInReadSnapshot
        if ownSnapshot { try source.beginReadSnapshot() }
        defer { if ownSnapshot { try? source.endReadSnapshot() } }
        let meter = try progress.map { report in
            ProgressMeter(total: 2 * (try rowCounts(in: source).total), report: report)
        }
        return try destination.transaction { db in
            try requireEmpty(db)
            var counts = Counts()
            for table in CopiedTable.all {
                counts[table] =
                    if table.name == "allocations" {
                        try copyAllocations(table, from: source, to: db, meter: meter)
                    } else {
                        try copy(table, from: source, to: db, meter: meter)
                    }
            }
            let differences = try self.differences(between: source, and: db, meter: meter)
            guard differences.isEmpty else {
                throw Mismatch(source: source.path, destination: db.path, differences: differences)
            }
            for table in CopiedTable.all where table.hasIdentity {
                try db.moveIdentityPastLargestID(of: table.name)
            }
            return counts
        }
    }
}
