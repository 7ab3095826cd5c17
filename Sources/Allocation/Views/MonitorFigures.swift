/// The figures of the wall monitor's header: what is available, what waits and since when, what is late, and the
/// SKUs that need attention first. Each comes from an indexed read or a bounded one, never a scan of the event log.
public struct MonitorFigures: Equatable, Sendable {
    /// A SKU with waiting lines or late batches.
    public struct Attention: Equatable, Sendable {
        public let sku: String
        public let waitingLines: Int
        public let waitingUnits: Int
        /// When its oldest waiting line started waiting; nil when none waits.
        public let oldestWaitingSince: String?
        public let lateBatches: Int
    }

    /// Units on every batch less what is allocated on them.
    public let available: Int
    public let waitingLines: Int
    public let waitingUnits: Int
    /// When the oldest waiting line started waiting; nil when none waits.
    public let oldestWaitingSince: String?
    /// Batches whose ETA is before today (not received by their date).
    public let lateBatches: Int
    /// Lines with a piece on a late batch, or waiting: the lines of ``Views/atRisk(today:limit:in:)``.
    public let linesAtRisk: Int
    /// The SKUs that need attention, most urgent first: those with waiting lines by their oldest line, then
    /// those with late batches only, by their earliest ETA; at most the limit asked for.
    public let attention: [Attention]
    /// How many SKUs need attention in all, beyond the limit too.
    public let attentionCount: Int
}

/// One event as the monitor's trend counts it.
public struct TrendEvent: Equatable, Sendable {
    public let id: Int64
    /// Seconds since 1970; nil for a timestamp the service does not write.
    public let seconds: Double?
    /// An allocation (`Allocated`), counted in allocations per hour.
    public let isAllocation: Bool
    /// A line that had to wait (`OutOfStock` naming an order), counted in new backorders per hour.
    public let isBackorder: Bool
}

extension Views {
    /// The monitor's figures as of `today`, with at most `attentionLimit` SKUs that need attention.
    ///
    /// Waiting lines are read through the partial index `order_lines_waiting`, late batches through
    /// `batches_by_eta`; the available units add up the batches' three counters, one row per batch.
    public static func monitorFigures(today: Day, attentionLimit: Int, in db: Database) throws -> MonitorFigures {
        let day = today.description.sqlValue
        let available = try db.queryOne("SELECT coalesce(sum(purchased - shipped - allocated), 0) FROM batches") {
            $0.int(0)
        }
        let waitingBySKU = try db.query(
            """
            SELECT l.sku, count(*), coalesce(sum(\(waitingPart)), 0), min(l.waiting_since)
            FROM order_lines AS l WHERE l.waiting_since IS NOT NULL GROUP BY l.sku
            """
        ) { (sku: $0.text(0), lines: $0.int(1), units: $0.int(2), oldest: $0.optionalText(3)) }
        let lateBySKU = try db.query(
            "SELECT sku, count(*), min(eta) FROM batches WHERE eta IS NOT NULL AND eta < ? GROUP BY sku",
            arguments: [day]
        ) { (sku: $0.text(0), batches: $0.int(1), earliest: $0.text(2)) }
        let atRisk = try db.queryOne(
            """
            SELECT count(*) FROM (
              SELECT a.orderline_id FROM batches AS b JOIN allocations AS a ON a.batch_id = b.id
              WHERE b.eta IS NOT NULL AND b.eta < ?
              UNION SELECT l.id FROM order_lines AS l WHERE l.waiting_since IS NOT NULL
            ) AS lines
            """, arguments: [day]
        ) { $0.int(0) }
        let late = Dictionary(lateBySKU.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        let waitingSKUs = Set(waitingBySKU.map(\.sku))
        let waiting = waitingBySKU.sorted { ($0.oldest ?? "", $0.sku) < ($1.oldest ?? "", $1.sku) }.map {
            MonitorFigures.Attention(
                sku: $0.sku, waitingLines: $0.lines, waitingUnits: $0.units, oldestWaitingSince: $0.oldest,
                lateBatches: late[$0.sku]?.batches ?? 0)
        }
        let lateOnly = lateBySKU.filter { !waitingSKUs.contains($0.sku) }.sorted {
            ($0.earliest, $0.sku) < ($1.earliest, $1.sku)
        }.map {
            MonitorFigures.Attention(
                sku: $0.sku, waitingLines: 0, waitingUnits: 0, oldestWaitingSince: nil, lateBatches: $0.batches)
        }
        return MonitorFigures(
            available: available ?? 0, waitingLines: waitingBySKU.reduce(0) { $0 + $1.lines },
            waitingUnits: waitingBySKU.reduce(0) { $0 + $1.units },
            oldestWaitingSince: waitingBySKU.compactMap(\.oldest).min(),
            lateBatches: lateBySKU.reduce(0) { $0 + $1.batches }, linesAtRisk: atRisk ?? 0,
            attention: Array((waiting + lateOnly).prefix(max(0, attentionLimit))),
            attentionCount: waiting.count + lateOnly.count)
    }

    /// The id of the first event recorded at or after `seconds`, found by bisecting the ids (events are
    /// recorded in id order, so their times rise with their ids); one past the newest when none is.
    ///
    /// Each step reads one row by the primary key: about twenty reads for a million events.
    public static func firstEventID(atOrAfter seconds: Double, in db: Database) throws -> Int64 {
        guard
            let newest = try db.queryOne("SELECT max(id) FROM events", map: { $0.isNull(0) ? nil : $0.int64(0) })
                ?? nil
        else { return 1 }
        var low: Int64 = 0
        var high = newest + 1
        while high - low > 1 {
            let middle = low + (high - low) / 2
            let found = try db.queryOne(
                "SELECT id, at FROM events WHERE id >= ? ORDER BY id LIMIT 1", middle
            ) { (id: $0.int64(0), at: $0.text(1)) }
            guard let found else {
                high = middle
                continue
            }
            if (Clock.seconds(timestamp: found.at) ?? -.infinity) >= seconds {
                high = middle
            } else {
                low = found.id
            }
        }
        return high
    }

    /// At most `limit` events after `id`, oldest first, as the monitor's trend counts them: their time and
    /// whether they are an allocation or a new backorder, read by the primary key without their payloads.
    public static func trendEvents(after id: Int64, limit: Int, in db: Database) throws -> [TrendEvent] {
        try db.query(
            """
            SELECT id, at, kind, CASE WHEN orderid IS NULL THEN 0 ELSE 1 END FROM events
            WHERE id > ? ORDER BY id LIMIT ?
            """, id, limit
        ) { row in
            let kind = row.text(2)
            return TrendEvent(
                id: row.int64(0), seconds: Clock.seconds(timestamp: row.text(1)),
                isAllocation: kind == Event.Kind.allocated.rawValue,
                isBackorder: kind == Event.Kind.outOfStock.rawValue && row.int(3) != 0)
        }
    }
}
