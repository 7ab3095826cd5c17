/// One row of the event log, its event decoded once from `kind` and `payload`.
public struct EventRow: Equatable, Sendable {
    public let id: Int64
    /// When it was recorded, an ISO 8601 timestamp such as `2026-11-25T10:15:02.120Z`.
    public let at: String
    public let event: Event
    /// Who caused it (the settings' `user`); empty for events recorded before operators were kept.
    public let `operator`: String

    /// The event's fields as a JSON object, as stored: what ``Event/payload`` writes.
    public let payload: String

    public init(id: Int64, at: String, event: Event, operator: String = "") {
        self.init(id: id, at: at, event: event, payload: event.payload, operator: `operator`)
    }

    private init(id: Int64, at: String, event: Event, payload: String, operator: String) {
        self.id = id
        self.at = at
        self.event = event
        self.payload = payload
        self.operator = `operator`
    }

    /// The event's kind as stored, e.g. `Allocated`.
    public var kind: String { event.kind.rawValue }

    /// ``at`` in the zone times are shown in; nil when it is not a timestamp the service wrote.
    public func shownTime(in zone: LocalZone) -> ShownTime? {
        ShownTime(timestamp: at, in: zone)
    }

    /// The row as one JSON object: `{"id","at","operator","kind", ...the event's fields}`.
    public var json: String {
        var head = JSONObjectWriter()
        head.add("id", Int(id))
        head.add("at", at)
        head.add("operator", `operator`)
        head.add("kind", kind)
        head.addMembers(of: payload)
        return head.text
    }

    /// Whether a stored payload can be printed as it is, without encoding its event again. Only the bus writes
    /// payloads (migrations and copies keep its text), so the stored text is what ``Event/payload`` writes, but
    /// rows written before it escaped C1 controls and text-direction marks may hold them raw: a payload holding
    /// a control byte, or a byte that leads one of those marks (0xC2, 0xD8, 0xE2, 0xEF, which lead other
    /// characters too), is encoded again, so that no JSON output can steer a terminal.
    static func isAsWritten(_ payload: String) -> Bool {
        func plain(_ byte: UInt8) -> Bool {
            byte >= 0x20 && byte != 0x7F && byte != 0xC2 && byte != 0xD8 && byte != 0xE2 && byte != 0xEF
        }
        return payload.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where !plain(byte) { return false }
            return true
        } ?? payload.utf8.allSatisfy(plain)
    }

    /// Columns read by ``init(row:)``, in order.
    static let columns = "id, at, kind, payload, operator"

    /// Decodes a row of ``columns``.
    ///
    /// - Throws: `DatabaseError.unreadable` naming the event's id and kind when its kind or payload is
    ///   not one this program writes: a row is never skipped or shown half-read.
    init(row: Row) throws {
        try self.init(id: row.int64(0), at: row.text(1), kind: row.text(2), stored: row.text(3), operator: row.text(4))
    }

    /// Decodes a row's columns; see ``init(row:)``.
    init(id: Int64, at: String, kind: String, stored: String, operator: String) throws {
        do {
            let event = try Event.stored(kind: kind, payload: stored) ?? Event(kind: kind, payload: stored)
            self.init(
                id: id, at: at, event: event, payload: EventRow.isAsWritten(stored) ? stored : event.payload,
                operator: `operator`)
        } catch {
            throw DatabaseError.unreadable(
                "event \(id) (\(Validation.shown(kind))) cannot be read: \(operatorMessage(for: error))")
        }
    }
}

/// An `events` row read in place, its payload as the bus writes it (``Event/Kind/storedAsWritten(name:payload:)``):
/// for listings of the whole log that copy the stored text out without decoding the event. Valid only inside the
/// closure it is handed to.
public struct StoredEvent {
    public let id: Int64
    /// ``EventRow/at``'s bytes.
    public let at: UnsafeBufferPointer<UInt8>
    public let kind: Event.Kind
    /// ``EventRow/payload``'s bytes: flat, printable ASCII.
    public let payload: UnsafeBufferPointer<UInt8>
    /// ``EventRow/operator``'s bytes.
    public let `operator`: UnsafeBufferPointer<UInt8>

    /// The row decoded, as ``EventRow/init(row:)`` reads it.
    ///
    /// - Throws: `DatabaseError.unreadable`, as ``EventRow/init(row:)`` does.
    public func decoded() throws -> EventRow {
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        return try EventRow(
            id: id, at: text(at), kind: kind.rawValue, stored: text(payload), operator: text(`operator`))
    }

    /// Appends ``EventRow/json`` for this row to `bytes`, and returns true; returns false, appending nothing,
    /// when `at` or the operator is not ASCII (whose bytes decoding could change) or holds a byte that JSON would
    /// escape (then ``EventRow/json`` writes the line).
    public func appendJSON(to bytes: inout [UInt8]) -> Bool {
        func plain(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
            text.allSatisfy { $0 < 0x80 } && JSONObjectWriter.isPlain(text)
        }
        guard plain(at), plain(`operator`) else { return false }
        bytes.append(contentsOf: #"{"id":"#.utf8)
        bytes.append(contentsOf: String(id).utf8)
        bytes.append(contentsOf: #","at":""#.utf8)
        bytes.append(contentsOf: at)
        bytes.append(contentsOf: #"","operator":""#.utf8)
        bytes.append(contentsOf: `operator`)
        bytes.append(contentsOf: #"","kind":""#.utf8)
        bytes.append(contentsOf: kind.rawValue.utf8)
        bytes.append(contentsOf: #"","#.utf8)
        bytes.append(contentsOf: payload.dropFirst())
        return true
    }
}

/// An event as a listing reads it: in place when its payload is as the bus writes it, else decoded with every
/// check of ``EventRow/init(row:)``.
public enum ListedEvent {
    case inPlace(StoredEvent)
    case decoded(EventRow)
}

/// The event log, by id.
extension Views {
    /// Events after `id`, oldest first, at most `limit`, each handed to `body` as ``ListedEvent``: what
    /// ``events(after:limit:in:)`` reads, without keeping the rows.
    ///
    /// - Returns: how many rows were read, and the last one's id (`id` when none was).
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``), or what `body` throws.
    @discardableResult
    public static func eachEvent(
        after id: Int64, limit: Int, in db: Database, _ body: (ListedEvent) throws -> Void
    ) throws -> (count: Int, last: Int64) {
        var count = 0
        var last = id
        try db.eachRow(
            "SELECT \(EventRow.columns) FROM events WHERE id > ? ORDER BY id LIMIT ?",
            arguments: [id.sqlValue, limit.sqlValue]
        ) { row in
            let payload = row.utf8(3)
            if let kind = Event.Kind.storedAsWritten(name: row.utf8(2), payload: payload) {
                last = row.int64(0)
                try body(
                    .inPlace(
                        StoredEvent(id: last, at: row.utf8(1), kind: kind, payload: payload, operator: row.utf8(4))))
            } else {
                let decoded = try EventRow(row: row)
                last = decoded.id
                try body(.decoded(decoded))
            }
            count += 1
        }
        return (count, last)
    }

    /// A page of the event log by id: with `newer` false, the newest events with id ≤ `id`, newest first;
    /// with `newer` true, the oldest events with id > `id`, oldest first.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public static func events(from id: Int64, newer: Bool, limit: Int, in db: Database) throws -> [EventRow] {
        try eventPage(from: id, newer: newer, limit: limit, in: db)
    }

    /// Events after `id`, oldest first, at most `limit` (every one when nil), as `stock events` prints them.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public static func events(after id: Int64 = 0, limit: Int? = nil, in db: Database) throws -> [EventRow] {
        try eventPage(from: id, newer: true, limit: limit, in: db)
    }

    private static func eventPage(from id: Int64, newer: Bool, limit: Int?, in db: Database) throws -> [EventRow] {
        let order = newer ? "id > ? ORDER BY id" : "id <= ? ORDER BY id DESC"
        let page = try page(limit: limit)
        return try db.query(
            "SELECT \(EventRow.columns) FROM events WHERE \(order)\(page.sql)",
            arguments: [id.sqlValue] + page.arguments, map: EventRow.init(row:))
    }
}

/// History: the events that touched an order or a batch, in order, through the indexed `orderid` and `ref` columns
/// the bus fills from each event.
extension Views {
    /// Every event that touched the order `orderid`, oldest first.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public static func history(orderid: String, in db: Database) throws -> [EventRow] {
        try db.query(
            "SELECT \(EventRow.columns) FROM events WHERE orderid = ? ORDER BY id", orderid, map: EventRow.init(row:))
    }

    /// Every event that touched the batch `batch` (its own and its lines'), oldest first.
    ///
    /// - Throws: `DatabaseError` for a row that cannot be decoded (``EventRow/init(row:)``).
    public static func history(batch: String, in db: Database) throws -> [EventRow] {
        try db.query(
            "SELECT \(EventRow.columns) FROM events WHERE ref = ? ORDER BY id", batch, map: EventRow.init(row:))
    }
}
