import Synchronization

/// Reads the events committed since its last read, each exactly once: what `events --follow` prints.
///
/// On SQLite one writer commits at a time, so ids grow in commit order and the follower keeps the last id read.
/// On a server, transactions take event ids when they insert and commit in any order, so an event with a lower id
/// can commit after a higher one was read. There each event row also holds its transaction's id (`tx`):
/// - the first reads list every event committed so far, by id, at once; before them the follower notes the oldest
///   transaction still running (`pg_snapshot_xmin`), its horizon: every event of an older transaction is final and
///   is in that listing;
/// - then it reads in (`tx`, id) order, from the horizon on, only the events of transactions older than the oldest
///   one still running: every one of those has finished, and any transaction that commits later has a `tx` at
///   least that, so nothing can appear behind the follower's place. An event the listing already gave is skipped.
public struct EventFollower {
    /// Events up to this id are never read (`--since`).
    private let floor: Int64
    private var lastID: Int64
    /// The server transaction of the last event read in (`tx`, id) order, as text; nil while listing by id.
    private var lastTransaction: String?
    /// On a server, while listing: the horizon noted before the listing began.
    private var horizon: UInt64?
    /// On a server, the events the listing gave whose transactions are not older than the horizon: the
    /// (`tx`, id) reads meet them again.
    private var listed: Set<Int64> = []
    /// On a server, whether the last read left committed events unread because an older transaction was still
    /// running: they become readable when it ends, which no commit announces, so the caller reads again later.
    public private(set) var isHoldingBack = false

    /// A follower of the events after `id`.
    public init(after id: Int64) {
        floor = id
        lastID = id
    }

    /// The next events, oldest first: `limit` or more when more may be ready (up to twice `limit` on a server,
    /// which leaves out what the listing gave), fewer only when none is left that can be read yet.
    ///
    /// The follower moves on only when it returns the events: a read that fails part way (a connection lost
    /// between two of its statements) leaves it where it was, so that a read on a new connection gives them.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``), or from the database.
    public mutating func next(limit: Int, in db: Database) throws -> [EventRow] {
        var moved = self
        let rows = try moved.advance(limit: limit, in: db)
        self = moved
        return rows
    }

    private mutating func advance(limit: Int, in db: Database) throws -> [EventRow] {
        guard case .byTransaction(let order) = db.features.commitOrder else {
            let rows = try Views.events(after: lastID, limit: limit, in: db)
            if let last = rows.last { lastID = last.id }
            return rows
        }
        let queries = EventFollower.queries(order)
        if lastTransaction != nil { return try following(limit: limit, queries: queries, in: db) }
        let horizon = try horizon ?? db.queryOne(queries.horizon) { UInt64($0.text(0)) ?? 0 } ?? 0
        self.horizon = horizon
        var transactions: [UInt64] = []
        let rows = try db.query(queries.listing, lastID, limit) { row in
            transactions.append(UInt64(row.text(5)) ?? 0)
            return try EventRow(row: row)
        }
        for (row, transaction) in zip(rows, transactions) where transaction >= horizon { listed.insert(row.id) }
        lastID = rows.last?.id ?? lastID
        if rows.count < limit {
            lastTransaction = String(horizon)
            lastID = 0
        }
        return rows
    }

    /// The next events taken from `newest`, the newest events newest first, instead of read: on SQLite, when the
    /// page reaches back to the event after the last one read, it holds every event committed since (ids grow in
    /// commit order). Nil when it may not, and on a server, whose follower reads by transaction.
    public mutating func next(fromNewest newest: [EventRow], in db: Database) -> [EventRow]? {
        guard db.features.commitsInIDOrder, newest.last.map({ $0.id <= lastID + 1 }) ?? true else { return nil }
        let rows = Array(newest.prefix { $0.id > lastID }.reversed())
        if let last = rows.last { lastID = last.id }
        return rows
    }

    /// The events after (``lastTransaction``, ``lastID``) of finished transactions older than every running one,
    /// leaving out those the listing gave.
    ///
    /// One statement a page: it reads past the finished transactions too, marking each row finished or not, and
    /// since a transaction is finished exactly when its id is below the oldest one running, the finished rows come
    /// first in (`tx`, id) order; a row that is not finished ends the page and tells that events are held back.
    private mutating func following(limit: Int, queries: Queries, in db: Database) throws -> [EventRow] {
        var kept: [EventRow] = []
        var page: [EventRow]
        var heldBack = false
        repeat {
            var transactions: [String] = []
            var finished: [Bool] = []
            let read = try db.query(queries.following, floor, lastTransaction, lastID, limit) { row in
                transactions.append(row.text(5))
                finished.append(row.text(6) == "t")
                return try EventRow(row: row)
            }
            let ready = finished.prefix { $0 }.count
            heldBack = ready < read.count
            page = Array(read.prefix(ready))
            if let last = page.last {
                lastID = last.id
                lastTransaction = transactions[ready - 1]
            }
            kept += page.filter { listed.remove($0.id) == nil }
        } while page.count == limit && kept.count < limit
        isHoldingBack = heldBack
        return kept
    }

    /// The statements that read by transaction, made once per engine from its ``EngineFeatures/TransactionOrder``.
    struct Queries: Sendable {
        let horizon: SQL
        let listing: SQL
        let following: SQL
    }

    static func queries(_ order: EngineFeatures.TransactionOrder) -> Queries {
        madeQueries.withLock { made in
            if let queries = made[order.horizonSQL] { return queries }
            let queries = Queries(
                horizon: SQL(order.horizonSQL),
                listing: SQL(
                    "SELECT \(EventRow.columns), \(order.transactionText) FROM events WHERE id > ? ORDER BY id LIMIT ?"),
                following: SQL(
                    """
                    SELECT \(EventRow.columns), \(order.transactionText), \(order.finishedCondition) FROM events
                    WHERE id > ? AND (tx, id) > (\(order.transactionPlaceholder), ?)
                    ORDER BY events.tx, events.id LIMIT ?
                    """))
            made[order.horizonSQL] = queries
            return queries
        }
    }

    private static let madeQueries = Mutex<[String: Queries]>([:])
}
