import Allocation

/// Order lines with their batches, newest first, filterable by any part of an order id, a SKU or a batch
/// reference, in any case; paged by id.
struct AllocationsScreen {
    static let title = "Allocations"
    /// The most matching lines the filter counts, so a common text in a huge table does not stall a refresh;
    /// beyond it the count shows as `10000+`.
    static let countLimit = 10_000
    var list = KeysetCursor()
    var rows: [Views.LineRow] = []
    var filter: String?
    /// How many lines match the filter, up to one more than ``countLimit``.
    var matching = 0
    /// How many lines there are under a filter, up to one more than ``countLimit``, for the prompt's `2 of 5`.
    var total = 0

    var selectedRow: Views.LineRow? {
        rows.indices.contains(list.cursor) ? rows[list.cursor] : nil
    }

    /// Fits the list to the height it will be drawn in, so its next reload fetches what fits.
    mutating func resize(height: Int) {
        list.pageSize = max(1, height - 1)
    }

    /// Queries the visible lines and, under a filter, how many match.
    ///
    /// - Returns: a message for the status line when no line matches the filter.
    mutating func reload(from database: Database) throws -> String? {
        let filter = filter
        rows = try list.page(
            current: rows, id: \.id,
            older: { try Views.lines(matching: filter, from: $0, newer: false, limit: $1, in: database) },
            newer: { try Views.lines(matching: filter, from: $0, newer: true, limit: $1, in: database) })
        guard let filter else { return nil }
        matching = try Views.lineCount(matching: filter, limit: AllocationsScreen.countLimit + 1, in: database)
        total = try Views.lineCount(matching: "", limit: AllocationsScreen.countLimit + 1, in: database)
        return matching == 0 ? "no order id, SKU or batch contains \"\(filter)\"" : nil
    }

    /// Carries out one of the list's actions.
    mutating func perform(_ action: Action) -> Reaction {
        if list.move(action) { return .reload(all: false) }
        switch action {
        case .search:
            return .openFilter(FilterPrompt(subject: "order, SKU or batch", text: filter ?? ""))
        case .clearSearch:
            apply(query: "")
            return .reload(all: false)
        case .allocate:
            return .openForm(Form.allocate(orderid: selectedRow?.orderid, sku: selectedRow?.sku, qty: selectedRow?.qty))
        case .deallocate, .history:
            guard let row = selectedRow else { return .message("no order line selected", .error) }
            return action == .history
                ? .openHistory(HistoryPanel(subject: .order(row.orderid))) : .openForm(Form.deallocate(row))
        case .ship, .shipPartial:
            return .openForm(
                Form.ship(orderid: selectedRow?.orderid, sku: selectedRow?.sku, partial: action == .shipPartial))
        case .move:
            var from: String?
            if case .allocated(let batchref) = selectedRow?.status { from = batchref }
            return .openForm(
                Form.move(
                    orderid: selectedRow?.orderid, sku: selectedRow?.sku, batch: nil, qty: selectedRow?.qty, from: from)
            )
        case .allocateWaiting:
            return .openForm(Form.allocateWaiting(sku: selectedRow?.sku))
        case .changeLine:
            return .openForm(Form.changeLine(orderid: selectedRow?.orderid, sku: selectedRow?.sku))
        case .cancelOrder:
            return .openForm(Form.cancelOrder(orderid: selectedRow?.orderid))
        case .projection:
            guard let row = selectedRow else { return .message("no order line selected", .error) }
            return .openProjection(sku: row.sku)
        default:
            return .none
        }
    }

    /// Takes the text typed in the filter prompt (empty clears the filter) and goes back to the newest lines.
    mutating func apply(query: String) {
        filter = query.isEmpty ? nil : query
        list = KeysetCursor(pageSize: list.pageSize)
    }

    /// The filter prompt's count: `2 of 5`; nil without a filter.
    var filterCount: String? {
        filter.map { _ in FilterPrompt.count(matching, of: total, limit: AllocationsScreen.countLimit) }
    }

    /// The BATCH column of a line: its batch, `waiting 2h` (its age), or `shipped from B-1` greyed.
    static func status(of row: Views.LineRow, now: Double) -> (String, Style) {
        switch row.status {
        case .allocated(let batchref): (batchref, .normal)
        case .waiting(let since): ("waiting " + age(since: since, now: now), .late)
        case .shipped(_, let from): ("shipped from \(from)", .dim)
        case .cancelled: ("cancelled", .dim)
        }
    }

    /// How long ago an ISO 8601 timestamp (`2026-11-25T10:15:02.120Z`) was: `<1m`, `5m`, `2h`, `3d`; the
    /// timestamp itself when it cannot be read.
    static func age(since timestamp: String, now: Double) -> String {
        let clock = timestamp.dropFirst(11).prefix(8).split(separator: ":").compactMap { Int($0) }
        guard let day = Day(String(timestamp.prefix(10))), clock.count == 3 else { return timestamp }
        let start = day.daysSinceEpoch * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        let seconds = max(0, Int(now) - start)
        switch seconds {
        case ..<60: return "<1m"
        case ..<3600: return "\(seconds / 60)m"
        case ..<86_400: return "\(seconds / 3600)h"
        default: return "\(seconds / 86_400)d"
        }
    }

    /// The filter label right-aligned in the header after the BATCH title, between `start` and `end`: the text is
    /// cut first, so the count always shows, and nothing is drawn over a column title.
    private func renderFilter(_ filter: String, from start: Int, to end: Int, y: Int, on canvas: inout Canvas) {
        let count = matching > AllocationsScreen.countLimit ? "\(AllocationsScreen.countLimit)+" : "\(matching)"
        let (head, tail) = ("filter: ", " (\(count))")
        let room = end - start - 1
        let fixed = TerminalText.width(head) + TerminalText.width(tail)
        guard room > fixed else {
            canvas.putRight(tail, x: start + 1, y: y, limit: room, style: .match)
            return
        }
        let width = fixed + min(TerminalText.width(filter), room - fixed)
        var column = end - width
        column += canvas.put(head, x: column, y: y, style: .match)
        column += canvas.put(filter, x: column, y: y, limit: width - fixed, style: .match)
        canvas.put(tail, x: column, y: y, limit: end - column, style: .match)
    }

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        let flex = max(9, area.width - 2 - 7 - 3)
        let order = flex * 5 / 16
        let sku = flex * 5 / 16
        let batch = flex - order - sku
        let x = area.x
        canvas.fill(x: x, y: area.y, count: area.width, style: .header)
        canvas.put("ORDER", x: x + 2, y: area.y, limit: order, style: .header)
        canvas.put("SKU", x: x + 3 + order, y: area.y, limit: sku, style: .header)
        canvas.putRight("QTY", x: x + 4 + order + sku, y: area.y, limit: 6, style: .header)
        canvas.put("BATCH", x: x + 11 + order + sku, y: area.y, limit: batch, style: .header)
        if let filter {
            renderFilter(filter, from: x + 16 + order + sku, to: x + area.width, y: area.y, on: &canvas)
        }
        if rows.isEmpty {
            let text = filter == nil ? "No order lines yet: press a to allocate one." : "No line matches the filter."
            canvas.put(text, x: x + 2, y: area.y + 2, limit: area.width - 2, style: .dim)
            return
        }
        for (index, row) in rows.enumerated() where index + 1 < area.height {
            let y = area.y + 1 + index
            let isCursor = index == list.cursor
            // Shipped lines are history: greyed, still in their place among the order's lines.
            let text: Style = row.status.name == "shipped" ? .dim : .normal
            canvas.put(isCursor ? ">" : " ", x: x, y: y)
            canvas.put(row.orderid, x: x + 2, y: y, limit: order, style: text)
            canvas.put(row.sku, x: x + 3 + order, y: y, limit: sku, style: text)
            canvas.putRight(String(row.qty), x: x + 4 + order + sku, y: y, limit: 6, style: text)
            let (shown, style) = AllocationsScreen.status(of: row, now: context.now)
            canvas.put(shown, x: x + 11 + order + sku, y: y, limit: batch, style: style)
            if isCursor && context.focused {
                canvas.restyle(x: x, y: y, count: area.width, style: .selected)
            }
        }
    }
}
