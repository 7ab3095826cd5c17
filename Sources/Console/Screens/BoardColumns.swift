import Allocation

/// The board's columns sized by what they hold: references and SKUs are cut only when the fill gauge has given
/// all the room it can.
extension BatchesScreen.Columns {
    /// The cells the full board takes besides the reference, SKU and gauge columns with the usual three
    /// quantities: the cursor, ETA, its word, the quantities and the gaps.
    static let fixedWidth = fixedWidth(quantities: 3)

    /// The same with `count` quantity columns of ``quantityWidth`` cells and a gap each, and the ETA's date or
    /// not.
    static func fixedWidth(quantities count: Int, showsDate: Bool = true) -> Int {
        24 - (showsDate ? 0 : dateWidth) + (quantityWidth + 1) * count
    }

    /// The cells of a quantity column.
    static let quantityWidth = 6
    /// The cells of the ETA's date and its gap; its word (`in 3d`, `2d late`) stays when the date goes.
    static let dateWidth = 11

    /// The quantities a board shows, and whether it shows the ETA's date beside its word: purchased, allocated
    /// and available while nothing shown has shipped (on hand is then what was purchased); once something has,
    /// purchased, shipped, on hand, allocated and available where they fit with references and SKUs whole, with
    /// the date or else without it; narrower still, on hand, allocated and available, so that each row's figures
    /// still add up.
    static func layout(
        width: Int, reference: Int, sku: Int, anyShipped: Bool
    ) -> (quantities: [BoardQuantity], showsDate: Bool) {
        guard anyShipped else { return ([.purchased, .allocated, .available], true) }
        let all: [BoardQuantity] = [.purchased, .shipped, .onHand, .allocated, .available]
        let needs = max(least.reference, reference) + max(least.sku, sku) + gauge.least
        for showsDate in [true, false]
        where width - fixedWidth(quantities: all.count, showsDate: showsDate) >= needs {
            return (all, showsDate)
        }
        return ([.onHand, .allocated, .available], true)
    }

    /// The narrowest fill gauge (its header, `FILL`), and the widest.
    static let gauge = (least: 4, most: 20)
    /// The most cells a reference or SKU column gets beyond what it holds.
    static let spacing = 6
    /// The narrowest reference and SKU columns: their headers.
    static let least = (reference: 9, sku: 3)

    /// Columns for `width` cells showing references up to `reference` cells and SKUs up to `sku` cells wide: each
    /// gets its width while the gauge can shrink; room to spare goes to the gauge, then a little to both columns.
    init(
        width: Int, reference: Int, sku: Int, quantities: [BoardQuantity] = [.purchased, .allocated, .available],
        showsDate: Bool = true
    ) {
        self.init(width: width)
        guard !compact else { return }
        self.quantities = quantities
        self.showsDate = showsDate
        let flex = width - Self.fixedWidth(quantities: quantities.count, showsDate: showsDate)
        let needs = (reference: max(Self.least.reference, reference), sku: max(Self.least.sku, sku))
        let spare = flex - needs.reference - needs.sku - Self.gauge.least
        if spare >= 0 {
            gauge = Self.gauge.least + min(spare, Self.gauge.most - Self.gauge.least)
            // A few cells more apart, but not so far apart that a row no longer reads as one; the rest is left
            // blank at the end.
            let extra = min(flex - gauge - needs.reference - needs.sku, 2 * Self.spacing)
            self.reference = needs.reference + extra / 2
            self.sku = needs.sku + extra - extra / 2
        } else {
            gauge = Self.gauge.least
            let room = flex - gauge
            // The narrower of the two keeps its width when it takes at most half; the other is cut.
            if needs.sku <= room / 2 {
                self.sku = needs.sku
            } else if needs.reference <= room / 2 {
                self.sku = room - needs.reference
            } else {
                self.sku = room - room * 11 / 20
            }
            self.reference = room - self.sku
        }
    }

    /// Columns for `width` cells fitted to the widest reference and SKU of `rows`, with the quantities
    /// and ETA ``layout(width:reference:sku:anyShipped:)`` chooses for them.
    init(width: Int, fitting rows: [BatchRow]) {
        let widest = BatchesScreen.Columns.widest(of: rows)
        let layout = Self.layout(
            width: width, reference: widest.reference, sku: widest.sku, anyShipped: rows.contains { $0.shipped > 0 })
        self.init(
            width: width, reference: widest.reference, sku: widest.sku, quantities: layout.quantities,
            showsDate: layout.showsDate)
    }

    /// The widest reference and SKU of `rows`, in cells.
    static func widest(of rows: [BatchRow]) -> (reference: Int, sku: Int) {
        (
            rows.map { TerminalText.width($0.reference) }.max() ?? 0,
            rows.map { TerminalText.width($0.sku) }.max() ?? 0
        )
    }

    /// The narrowest full board that shows references and SKUs this wide whole, with the narrowest gauge.
    static func fullWidth(reference: Int, sku: Int) -> Int {
        max(
            64,
            fixedWidth + max(least.reference, reference) + max(least.sku, sku) + gauge.least)
    }
}

/// A quantity column of the board: its title and what it reads of a row.
enum BoardQuantity {
    case purchased
    case shipped
    case onHand
    case allocated
    case available

    var title: String {
        switch self {
        case .purchased: "PURCH"
        case .shipped: "SHIP"
        case .onHand: "ONHAND"
        case .allocated: "ALLOC"
        case .available: "AVAIL"
        }
    }

    func value(of row: BatchRow) -> Int {
        switch self {
        case .purchased: row.purchased
        case .shipped: row.shipped
        case .onHand: row.onHand
        case .allocated: row.allocated
        case .available: row.available
        }
    }
}
