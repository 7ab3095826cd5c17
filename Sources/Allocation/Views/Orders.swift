/// An order as a whole: its status, and each line with its pieces, their batches' ETAs and late marks, the day
/// it is expected complete and how long it has waited; cancelled and shipped lines stay listed.
public struct OrderView: Equatable, Sendable {
    public let orderid: String
    /// `open`, `partly shipped`, `shipped` or `cancelled` (``OrderView/status(of:)``).
    public let status: String
    public let lines: [OrderLineView]

    /// An order is `cancelled` when every line is, `shipped` when every line is shipped or cancelled and one is
    /// shipped, `partly shipped` when some units shipped and some lines are open, else `open`.
    static func status(of lines: [OrderLine]) -> String {
        if lines.allSatisfy(\.isCancelled) { return "cancelled" }
        if lines.allSatisfy({ !$0.isOpen }) { return "shipped" }
        if lines.contains(where: { $0.shippedQty > 0 }) { return "partly shipped" }
        return "open"
    }

    /// `{"orderid","status","lines":[…]}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("status", status)
        json.addRaw("lines", jsonArray(lines.map(\.json)))
        return json.text
    }
}

/// One line of an ``OrderView``.
public struct OrderLineView: Equatable, Sendable {
    public let sku: String
    public let qty: Int
    /// `allocated` (all it has open is placed), `waiting` (any part waits), `shipped` or `cancelled`.
    public let status: String
    public let pieces: [PieceView]
    /// The units no batch holds yet.
    public let waiting: Int
    /// The day the line is expected complete (``expectedDay(pieces:waiting:batches:today:)``); nil while any part
    /// waits, and for a shipped or cancelled line.
    public let expected: Day?
    /// When the line began to wait; nil unless it waits.
    public let since: String?
    /// The units shipped so far, and when the last of them left.
    public let shipped: Int
    public let shippedAt: String?
    public let cancelledAt: String?

    /// `{"sku","qty","status","pieces":[{"batchref","qty","eta","late"}],"waiting","expected","since","shipped",
    /// "shippedAt","cancelledAt"}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("sku", sku)
        json.add("qty", qty)
        json.add("status", status)
        json.addRaw("pieces", jsonArray(pieces.map(\.json)))
        json.add("waiting", waiting)
        json.add("expected", expected?.description)
        json.add("since", since)
        json.add("shipped", shipped)
        json.add("shippedAt", shippedAt)
        json.add("cancelledAt", cancelledAt)
        return json.text
    }
}

/// A piece of a line in an ``OrderView``, with its batch's ETA (nil in the warehouse) and whether it is late.
public struct PieceView: Equatable, Sendable {
    public let batchref: String
    public let qty: Int
    public let eta: Day?
    public let late: Bool

    /// `{"batchref","qty","eta","late"}`.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("batchref", batchref)
        json.add("qty", qty)
        json.add("eta", eta?.description)
        json.add("late", late)
        return json.text
    }
}

extension Views {
    /// Order `orderid` as a whole on `today`: every line, by SKU, with the batches its pieces are on; nil when the
    /// order has no line (see ``requireKnownOrder(_:in:)``).
    public static func order(_ orderid: String, today: Day, in db: Database) throws -> OrderView? {
        let lines = try OrderLine.forOrder(orderid, in: db)
        guard !lines.isEmpty else { return nil }
        let references = Set(lines.flatMap(\.pieces).map(\.batchref)).sorted()
        let batches = try references.compactMap { try Batch.find(reference: $0, in: db) }
        let views = lines.map { line in
            let pieces = line.pieces.map { piece in
                let batch = batches.first { $0.reference == piece.batchref }
                return PieceView(
                    batchref: piece.batchref, qty: piece.qty, eta: batch?.eta,
                    late: batch?.isLate(today: today) ?? false)
            }
            let status =
                if line.isCancelled { "cancelled" } else if line.isShipped { "shipped" } else if line.waitingPart > 0 {
                    "waiting"
                } else { "allocated" }
            return OrderLineView(
                sku: line.sku, qty: line.qty, status: status, pieces: pieces, waiting: line.waitingPart,
                expected: line.isOpen
                    ? expectedDay(pieces: line.pieces, waiting: line.waitingPart, batches: batches, today: today) : nil,
                since: line.waitingPart > 0 ? line.waitingSince : nil, shipped: line.shippedQty,
                shippedAt: line.shippedAt ?? line.partShippedAt, cancelledAt: line.cancelledAt)
        }
        return OrderView(orderid: orderid, status: OrderView.status(of: lines), lines: views)
    }
}
