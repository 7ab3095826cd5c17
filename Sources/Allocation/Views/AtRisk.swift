/// A line at risk: a piece on a late batch (its ETA before today), or the part of a line that waits for stock,
/// with the batch that could take it now.
public struct AtRiskRow: Equatable, Sendable {
    /// Why the line is at risk.
    public enum Status: String, Sendable {
        /// A piece of it is on a batch whose ETA has passed.
        case late
        /// A part of it waits for stock.
        case waiting
    }

    /// The late piece, or the waiting part, with its quantity.
    public let line: Views.LineRow
    public let status: Status
    /// The late batch; nil for a waiting part.
    public let batchref: String?
    /// The late batch's ETA; nil for a waiting part.
    public let eta: Day?
    /// The preferred batch in the warehouse or still to come with room for it now
    /// (``atRiskAlternative(for:among:excluding:today:)``); nil when none has.
    public let alternative: String?
    /// The alternative's ETA; nil for one in the warehouse, or no alternative.
    public let alternativeEta: Day?

    /// `{"orderid","sku","qty","status","batchref","eta","alternative","alternativeEta"}`, `status` `late` or
    /// `waiting`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", line.orderid)
        json.add("sku", line.sku)
        json.add("qty", line.qty)
        json.add("status", status.rawValue)
        json.add("batchref", batchref)
        json.add("eta", eta?.description)
        json.add("alternative", alternative)
        json.add("alternativeEta", alternativeEta?.description)
        return json.text
    }
}

extension Views {
    /// The lines at risk: pieces on batches whose ETA is before `today`, by batch ETA, batch and age (a line in
    /// pieces is listed for each piece on a late batch, with that piece's quantity), then the waiting parts of
    /// lines, oldest first; at most `limit` rows when given. Each has the batch that could take it now.
    ///
    /// Late batches are found through the partial index `batches_by_eta`, waiting lines through
    /// `order_lines_waiting`; each SKU's batches are read once.
    public static func atRisk(today: Day, limit: Int? = nil, in db: Database) throws -> [AtRiskRow] {
        let page = try page(limit: limit)
        let late = try db.query(
            """
            SELECT \(OrderLine.columns), b.eta FROM batches AS b JOIN allocations AS a ON a.batch_id = b.id
              JOIN order_lines AS l ON l.id = a.orderline_id
            WHERE b.eta IS NOT NULL AND b.eta < ? ORDER BY b.eta, b.reference, l.id\(page.sql)
            """, arguments: [today.description.sqlValue] + page.arguments
        ) { (line: OrderLine(row: $0), eta: $0.optionalText(OrderLine.columnCount).flatMap(Day.init)) }
        let waiting = try backorders(limit: limit.map { max(0, $0 - late.count) }, in: db)
        var batches: [String: [Batch]] = [:]
        func alternative(for qty: Int, sku: String, excluding excluded: String?) throws -> Batch? {
            if batches[sku] == nil { batches[sku] = try Batch.forSKU(sku, in: db) }
            return atRiskAlternative(for: qty, among: batches[sku] ?? [], excluding: excluded, today: today)
        }
        var rows: [AtRiskRow] = []
        for found in late {
            let piece = LineRow(found.line)
            let other = try alternative(for: piece.qty, sku: piece.sku, excluding: piece.batchref)
            rows.append(
                AtRiskRow(
                    line: piece, status: .late, batchref: piece.batchref, eta: found.eta ?? today,
                    alternative: other?.reference, alternativeEta: other?.eta))
        }
        for line in waiting where limit.map({ rows.count < $0 }) ?? true {
            let other = try alternative(for: line.qty, sku: line.sku, excluding: nil)
            rows.append(
                AtRiskRow(
                    line: line, status: .waiting, batchref: nil, eta: nil, alternative: other?.reference,
                    alternativeEta: other?.eta))
        }
        return rows
    }
}
