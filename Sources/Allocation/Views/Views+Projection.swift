/// A SKU's projection (``Projection``) and the query that reads it.
/// One day of a ``Projection``.
public struct ProjectionDay: Equatable, Sendable {
    public let date: Day
    /// Units of the batches due that day.
    public let arriving: Int
    /// Units of the batches in the warehouse or arrived by that day.
    public let onHand: Int
    /// Units allocated on those batches.
    public let allocated: Int
    /// Units of the SKU's waiting lines.
    public let waiting: Int
    /// Units on hand that no line holds.
    public var available: Int { onHand - allocated }

    public init(date: Day, arriving: Int, onHand: Int, allocated: Int, waiting: Int) {
        self.date = date
        self.arriving = arriving
        self.onHand = onHand
        self.allocated = allocated
        self.waiting = waiting
    }

    /// Waiting units that the units available that day do not cover: the deficit below zero.
    public var uncovered: Int { max(0, waiting - available) }

    /// `{"date","arriving","onHand","allocated","available","waiting"}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("date", date.description)
        json.add("arriving", arriving)
        json.add("onHand", onHand)
        json.add("allocated", allocated)
        json.add("available", available)
        json.add("waiting", waiting)
        return json.text
    }
}

/// A batch still to come in a ``Projection``: due on a day of it, after its last day, or late.
public struct ProjectedBatch: Equatable, Sendable {
    public let batchref: String
    /// Its units on hand (what was purchased and has not shipped).
    public let qty: Int
    /// The units of it that lines hold.
    public let allocated: Int
    public let eta: Day

    public init(batchref: String, qty: Int, allocated: Int = 0, eta: Day) {
        self.batchref = batchref
        self.qty = qty
        self.allocated = allocated
        self.eta = eta
    }

    /// `{"batchref","qty","eta"}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("batchref", batchref)
        json.add("qty", qty)
        json.add("eta", eta.description)
        return json.text
    }
}

/// A SKU's available stock day by day, from today to the last ETA, at most ``Projection/maximumDays`` days.
///
/// A batch in the warehouse is on hand from today; an arriving batch from its ETA on. A late batch (ETA before
/// today) is never counted as arrived, its day being unknown: it is listed under ``late``. A batch due after the
/// last day shown is listed under ``later``. A batch of zero units changes nothing and is left out, so it neither
/// lengthens the series nor is listed.
public struct Projection: Equatable, Sendable {
    /// The most days a projection holds: 8 weeks.
    public static let maximumDays = 56

    public let sku: String
    /// One entry a day from today, at least today's.
    public let days: [ProjectionDay]
    /// The batches due on the days shown, by ETA.
    public let arrivals: [ProjectedBatch]
    /// The batches whose ETA is before today, by ETA.
    public let late: [ProjectedBatch]
    /// The batches due after the last day shown, by ETA.
    public let later: [ProjectedBatch]

    public init(
        sku: String, days: [ProjectionDay], arrivals: [ProjectedBatch] = [], late: [ProjectedBatch] = [],
        later: [ProjectedBatch] = []
    ) {
        self.sku = sku
        self.days = days
        self.arrivals = arrivals
        self.late = late
        self.later = later
    }

    /// Units of the SKU's waiting lines.
    public var waiting: Int { days.first?.waiting ?? 0 }

    /// The first day whose available units cover the waiting lines; nil when no line waits or no day covers them.
    public var coveredFrom: Day? {
        guard waiting > 0 else { return nil }
        return days.first { $0.available >= waiting }?.date
    }

    /// What the series says, in words: when the waiting lines are covered, or that they are not, and the late
    /// batches; e.g. `Waiting lines (40 units) covered from 2027-01-12` or `Waiting lines (40 units) are not
    /// covered by any batch; late: B-1 (20 units, ETA 2026-11-20)`.
    public var summary: String {
        var sentence: String
        let units = waiting == 1 ? "1 unit" : "\(waiting) units"
        if waiting == 0 {
            let available = days.first?.available ?? 0
            sentence = "No line waits; \(available) available today"
            if let last = days.last, days.count > 1, last.available != available {
                sentence += ", \(last.available) by \(last.date)"
            }
        } else if let covered = coveredFrom {
            sentence =
                covered == days.first?.date
                ? "Waiting lines (\(units)) covered today" : "Waiting lines (\(units)) covered from \(covered)"
        } else {
            sentence = "Waiting lines (\(units)) are not covered by any batch"
            if let last = days.last, days.count > 1 { sentence += " due by \(last.date)" }
        }
        if !late.isEmpty {
            sentence +=
                "; late: "
                + late.map { "\($0.batchref) (\($0.qty) units, ETA \($0.eta))" }.joined(separator: ", ")
        }
        if !later.isEmpty {
            let units = later.reduce(0) { $0 + $1.qty }
            sentence += "; \(units) more units due after \(days.last?.date.description ?? "")"
        }
        return sentence
    }

    /// `{"sku","days":[{"date","arriving","onHand","allocated","available","waiting"}],"late":[{"batchref","qty","eta"}]}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("sku", sku)
        json.addRaw("days", jsonArray(days.map(\.json)))
        json.addRaw("late", jsonArray(late.map(\.json)))
        return json.text
    }
}

extension Views {
    /// The projection of `sku` as of `today` (``Projection``): its batches through the index on `batches.sku`, its
    /// waiting units through the partial index `order_lines_waiting`; nil when no product has the SKU.
    public static func projection(sku: String, today: Day, in db: Database) throws -> Projection? {
        guard try productExists(sku: sku, in: db) else { return nil }
        let batches = try Batch.forSKU(sku, in: db)
        let waiting =
            try db.queryOne(
                """
                SELECT coalesce(sum(\(waitingPart)), 0) FROM order_lines AS l
                WHERE l.sku = ? AND l.waiting_since IS NOT NULL
                """, sku
            ) { $0.int(0) } ?? 0
        return Allocation.projection(sku: sku, batches: batches, waiting: waiting, today: today)
    }
}

extension Views {
    /// The most SKUs ``skus(resembling:in:)`` reads in full, beyond which it reads only those sharing a prefix.
    static let resemblingLimit = 20_000

    /// Known SKUs that a mistyped `sku` may have meant, for a "did you mean" suggestion: every SKU when there are
    /// at most 20,000, else those differing only in case and those beginning with its first character either
    /// way, at most 20,000 of them; read only when a SKU is unknown.
    public static func skus(resembling sku: String, in db: Database) throws -> [String] {
        if try skuCount(in: db) <= resemblingLimit {
            return try db.query("SELECT sku FROM products ORDER BY sku") { $0.text(0) }
        }
        let first = String(sku.prefix(1))
        return try db.query(
            """
            SELECT sku FROM products
            WHERE lower(sku) = lower(?) OR substr(sku, 1, 1) IN (?, ?) ORDER BY sku LIMIT ?
            """, sku, first.uppercased(), first.lowercased(), resemblingLimit
        ) { $0.text(0) }
    }
}
