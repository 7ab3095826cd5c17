/// The schema's steps on a SQLite file: the page size, the one migrating transaction, WAL mode.
extension Schema {
    /// The page size of a new file, fixed once its first table exists.
    ///
    /// Every commit appends each page it changed to the WAL, and an allocation changes about a dozen pages (the
    /// line, the allocation, the batch, the product, the event and their indexes), each holding only a small
    /// row: 1 KiB pages make that about a quarter of the bytes written and copied per commit of 4 KiB pages.
    static let pageSize = 1024

    /// Brings the file to the current version all or nothing: in one transaction it checks the catalog against
    /// the version the file claims (``bringCatalogInLine(_:claimedVersion:)``), applies every migration the
    /// file has not had and sets `user_version`. A failure rolls all of it back, leaving the file at its old
    /// version and content, and says which step failed. The page size of a new file is set before, and WAL mode
    /// after, since neither can change inside a transaction.
    ///
    /// - Throws: `DatabaseError`, also when the file was made by a newer `stock`, holds another program's
    ///   tables, or lacks what its version claims.
    static func migrateFile(_ database: Database) throws {
        let start = try version(of: database)
        guard start <= currentVersion else { throw newerSchema(start, in: database) }
        if start == 0 {
            let tables = try database.queryOne("SELECT count(*) FROM sqlite_schema") { $0.int(0) } ?? 0
            guard tables == 0 else {
                throw DatabaseError.wrongFile(
                    "\(database.path) already holds tables of another program; stock init only creates "
                        + "its schema in a new or empty database")
            }
            try database.execute("PRAGMA page_size = \(pageSize)")
        }
        try database.transaction { db in
            // Another stock init may have brought the file up to date while this one waited for the lock.
            let found = try version(of: db)
            guard found <= currentVersion else { throw newerSchema(found, in: db) }
            var step = "bringing its indexes and triggers in line with version \(found)"
            do {
                if found > 0 { try bringCatalogInLine(db, claimedVersion: found) }
                for (index, migration) in migrations.enumerated() where index >= found {
                    step = "migration \(index + 1) (\(migration.name))"
                    for sql in migration.sqlite { try db.execute(sql) }
                }
                if found < currentVersion { try db.execute("PRAGMA user_version = \(currentVersion)") }
            } catch let error as DatabaseError where error.sql != nil {
                throw DatabaseError.wrongFile(
                    found == 0
                        ? "stock init could not create its schema in \(db.path) at \(step): \(error.message)"
                        : "stock init could not bring \(db.path) from schema version \(found) to "
                            + "\(currentVersion) at \(step): \(error.message); it changed nothing, the file is "
                            + "still at version \(found)")
            }
        }
        // WAL lets the console and the monitor read while another process writes; the file keeps the setting.
        let mode = try database.queryOne("PRAGMA journal_mode=WAL") { $0.text(0) } ?? ""
        guard mode.lowercased() == "wal" else {
            throw DatabaseError.wrongFile("\(database.path) refused WAL mode (journal_mode=\(mode))")
        }
    }
}
