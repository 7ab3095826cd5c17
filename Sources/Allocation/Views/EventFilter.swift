/// What the event log's filter keeps: the events any of whose fields (order id, SKU, batch reference, quantities)
/// or whose operator contains ``text`` by the ``Search`` rule, and the events of the ``kinds`` the text names (a
/// front end knows the words it shows for them).
public struct EventFilter: Equatable, Sendable {
    public var text: String
    public var kinds: [Event.Kind]

    public init(text: String, kinds: [Event.Kind] = []) {
        self.text = text
        self.kinds = kinds
    }

    /// The term, ending in `AND `, that keeps the matching events; nothing for an empty text.
    var sql: (String, [SQLValue]) {
        guard !text.isEmpty else { return ("", []) }
        let contains = Database.containsFunction
        let kindTerm =
            kinds.isEmpty ? "" : " OR kind IN (\(Array(repeating: "?", count: kinds.count).joined(separator: ", ")))"
        return (
            "(\(contains)(payload, ?) OR \(contains)(operator, ?)\(kindTerm)) AND ",
            [text.sqlValue, text.sqlValue] + kinds.map(\.rawValue.sqlValue)
        )
    }
}

extension Views {
    /// A page of the events `filter` keeps, by id, as ``events(from:newer:limit:in:)`` pages the whole log: the
    /// filter is read along the id order, so a page of a common match costs about a page of events, and a text
    /// nothing contains reads every event.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public static func events(
        matching filter: EventFilter, from id: Int64, newer: Bool, limit: Int, in db: Database
    ) throws -> [EventRow] {
        let order = newer ? "id > ? ORDER BY id" : "id <= ? ORDER BY id DESC"
        let (matches, arguments) = filter.sql
        return try db.query(
            "SELECT \(EventRow.columns) FROM events WHERE \(matches)\(order) LIMIT ?",
            arguments: arguments + [id.sqlValue, limit.sqlValue], map: EventRow.init(row:))
    }

    /// The number of events `filter` keeps, counting at most `limit` of them, so a common text in a long log
    /// stops early.
    public static func eventCount(matching filter: EventFilter, limit: Int, in db: Database) throws -> Int {
        let (matches, arguments) = filter.sql
        return try db.queryOne(
            "SELECT count(*) FROM (SELECT 1 FROM events WHERE \(matches)TRUE LIMIT ?) AS found",
            arguments: arguments + [limit.sqlValue]
        ) { $0.int(0) } ?? 0
    }
}
