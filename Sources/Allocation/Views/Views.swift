/// The read side: plain SQL over indexed tables, returning display-ready rows. Nothing here writes.
///
/// Grouped by subject: batches (the board and `stock batches`), order lines (where orders went) and events (the
/// log). Paged views take a limit and an offset, or an id to start after, so a screen fetches only the rows it
/// shows; without a limit they return every row.
public enum Views {}

extension Views {
    /// ` LIMIT ? OFFSET ?` with its arguments when `limit` is given, else nothing: every row.
    ///
    /// - Throws: `ContractViolation` for an offset without a limit, which SQL has no portable form for.
    static func page(limit: Int?, offset: Int = 0) throws -> (sql: String, arguments: [SQLValue]) {
        guard let limit else {
            try require(offset == 0, "an offset of \(offset) needs a limit")
            return ("", [])
        }
        return (" LIMIT ? OFFSET ?", [limit.sqlValue, offset.sqlValue])
    }
}
