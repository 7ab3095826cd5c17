/// Reads the events committed since its last read, each exactly once: what `events --follow` prints.
///
/// On SQLite one writer commits at a time, so ids grow in commit order and the follower keeps the last id read.
/// On a server, transactions take event ids when they insert and commit in any order, so an event with a lower id
/// can commit after a higher one was read. There each event row also holds its transaction's id (`tx`), and the
/// follower reads in (`tx`, id) order only the events of transactions older than the oldest one still running
/// (`pg_snapshot_xmin`): every one of those has finished, and any transaction that commits later has a `tx` at
/// least that, so nothing can appear behind the follower's place. An event is read once its transaction and
/// every older one have finished.
public struct EventFollower {
    /// Events up to this id are never read (`--since`).
    private let floor: Int64
    private var lastID: Int64
    /// The server transaction of the last event read, as text; "0" before the first.
    private var lastTransaction = "0"

    /// A follower of the events after `id`.
    public init(after id: Int64) {
        floor = id
        lastID = id
    }

    /// The next events, oldest first, at most `limit`.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public mutating func next(limit: Int, in db: Database) throws -> [EventRow] {
        guard db.engine == .postgresql else {
            let rows = try Views.events(after: lastID, limit: limit, in: db)
            if let last = rows.last { lastID = last.id }
            return rows
        }
        var transactions: [String] = []
        let rows = try db.query(
            EventFollower.serverSQL, floor, lastTransaction, lastID, limit
        ) { row in
            transactions.append(row.text(5))
            return try EventRow(row: row)
        }
        if let last = rows.last, let transaction = transactions.last {
            lastID = last.id
            lastTransaction = transaction
        }
        return rows
    }

    private static let serverSQL = SQL(
        """
        SELECT \(EventRow.columns), tx::text FROM events
        WHERE id > ? AND (tx, id) > (CAST(? AS xid8), ?)
          AND tx < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY tx, id LIMIT ?
        """)
}
