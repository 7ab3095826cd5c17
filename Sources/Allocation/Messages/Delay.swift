/// An order line a supplier's change made later: expected complete on `from` before, on `to` after (nil when it
/// now waits for stock, in whole or in part).
public struct Delay: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let qty: Int
    public let from: Day
    public let to: Day?

    public init(orderid: String, sku: String, qty: Int, from: Day, to: Day?) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.from = from
        self.to = to
    }

    /// `delays WEB-6 TV x2: 2026-12-09 → 2026-12-15`, or `… → waiting` for a line that now waits.
    public var reportLine: String {
        "delays \(orderid) \(sku) x\(qty): \(from) → \(to?.description ?? "waiting")"
    }

    /// `{"orderid","sku","qty","from","to"}`, `to` null for a line that now waits.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("sku", sku)
        json.add("qty", qty)
        json.add("from", from.description)
        json.add("to", to?.description)
        return json.text
    }
}
