/// What narrows the board: text in the reference or SKU, and quick filters, all of which a batch must meet.
public struct BoardFilter: Equatable, Sendable {
    /// Text the batch's reference or SKU contains by the ``Search`` rule; empty: any.
    public var text: String
    /// Only batches late on this day (an ETA before it); nil: any.
    public var lateOn: Day?
    /// Only batches with nothing available (allocated up to what is on hand).
    public var empty: Bool
    /// Only batches of SKUs with waiting lines (backorders).
    public var waiting: Bool
    /// Only what needs attention on this day: the batches of SKUs with waiting lines, and late batches (an ETA
    /// before it); nil: any.
    public var attentionOn: Day?

    public init(text: String = "", lateOn: Day? = nil, empty: Bool = false, waiting: Bool = false) {
        self.text = text
        self.lateOn = lateOn
        self.empty = empty
        self.waiting = waiting
    }

    /// Whether anything narrows the board.
    public var isActive: Bool { !text.isEmpty || lateOn != nil || empty || waiting || attentionOn != nil }

    /// What the filter keeps, in words, e.g. `"brass"`, `late`, `empty`; none when nothing narrows the board.
    public var parts: [String] {
        var parts: [String] = []
        if !text.isEmpty { parts.append("\"\(text)\"") }
        if lateOn != nil { parts.append("late") }
        if empty { parts.append("empty") }
        if waiting { parts.append("waiting") }
        if attentionOn != nil { parts.append("needs attention") }
        return parts
    }

    /// The filter's terms over the unqualified columns of `batches`, joined by AND, with their arguments.
    ///
    /// Late batches are those of the partial index `batches_by_eta`; SKUs with waiting lines come from the partial
    /// index `order_lines_waiting`, so neither reads the shipped history.
    var terms: [(sql: String, arguments: [SQLValue])] {
        var terms: [(sql: String, arguments: [SQLValue])] = []
        if !text.isEmpty {
            let contains = Database.containsFunction
            // SKUs are matched once each in `products`, not once per batch.
            terms.append(
                (
                    "(\(contains)(reference, ?) OR sku IN (SELECT sku FROM products WHERE \(contains)(sku, ?)))",
                    [text.sqlValue, text.sqlValue]
                ))
        }
        if let lateOn { terms.append(("eta IS NOT NULL AND eta < ?", [lateOn.description.sqlValue])) }
        if empty { terms.append(("purchased - shipped <= allocated", [])) }
        if waiting {
            terms.append(("sku IN (SELECT sku FROM order_lines WHERE waiting_since IS NOT NULL)", []))
        }
        if let attentionOn {
            terms.append(
                (
                    "(sku IN (SELECT sku FROM order_lines WHERE waiting_since IS NOT NULL) OR (eta IS NOT NULL AND eta < ?))",
                    [attentionOn.description.sqlValue]
                ))
        }
        return terms
    }
}

/// The board's order: allocation preference grouped by SKU, or one flat list by ETA, availability or fill.
public enum BoardSort: CaseIterable, Equatable, Sendable {
    /// By SKU, each SKU's batches in allocation preference (``BatchOrder/board``), under the SKU's totals.
    case preference
    /// Arriving batches by ETA, the latest-overdue first, then batches in the warehouse.
    case eta
    /// The least available first.
    case available
    /// The fullest first: allocated over on hand (a batch with nothing on hand counts as unfilled, as its gauge shows).
    case fill

    /// Whether rows come in groups of one SKU, each under its totals line.
    public var isGrouped: Bool { self == .preference }

    /// The sort after this one, as a key cycles through them.
    public var next: BoardSort {
        let all = BoardSort.allCases
        return all[((all.firstIndex(of: self) ?? 0) + 1) % all.count]
    }

    /// How the header names the order.
    public var label: String {
        switch self {
        case .preference: "preference"
        case .eta: "ETA"
        case .available: "available, least first"
        case .fill: "fill, fullest first"
        }
    }

    /// The order as SQL and Swift read it; every order ends on the reference, so keyset positions are exact.
    var order: BatchOrder {
        switch self {
        case .preference: BatchOrder.board
        case .eta: BatchOrder.byETA
        case .available: BatchOrder.byAvailable
        case .fill: BatchOrder.byFill
        }
    }
}

extension BatchOrder {
    /// Arriving batches first, then allocation preference's own keys: the ETA, then the reference.
    static let byETA = BatchOrder(
        keys: [BatchOrderKey(sql: "eta IS NULL", isNullable: false) { $0.eta != nil && $1.eta == nil }]
            + preference.keys.dropFirst())

    static let byAvailable = BatchOrder(keys: [
        BatchOrderKey(sql: "purchased - shipped - allocated", isNullable: false) { $0.available < $1.available },
        .text("reference", \.reference),
    ])

    /// Parts per million of what is on hand that lines hold, in integers so SQL and Swift round alike; negated,
    /// so the fullest come first.
    static let byFill = BatchOrder(keys: [
        BatchOrderKey(
            sql: "-(CASE WHEN purchased > shipped THEN allocated * 1000000 / (purchased - shipped) ELSE 0 END)",
            isNullable: false
        ) { fill($0) > fill($1) },
        .text("reference", \.reference),
    ])

    private static func fill(_ batch: Batch) -> Int {
        batch.onHand > 0 ? batch.allocated * 1_000_000 / batch.onHand : 0
    }
}
