import Allocation

/// The live tail of the event log, newest first, with out-of-stock alerts highlighted.
struct EventsScreen {
    static let title = "Events"
    var list = KeysetCursor()
    var rows: [EventRow] = []

    /// Fits the log to the height it will be drawn in, so its next reload fetches what fits.
    mutating func resize(height: Int) {
        list.pageSize = max(1, height - 1)
    }

    /// Queries the visible events; at the top of the log, new events come in above.
    mutating func reload(from database: Database) throws {
        rows = try list.page(
            current: rows, id: \.id,
            older: { try Views.events(from: $0, newer: false, limit: $1, in: database) },
            newer: { try Views.events(from: $0, newer: true, limit: $1, in: database) })
    }

    /// Carries out one of the log's actions: it only moves.
    mutating func perform(_ action: Action) -> Reaction {
        list.move(action) ? .reload(all: false) : .none
    }

    /// The word shown for an event kind.
    static func word(for kind: Event.Kind) -> String {
        switch kind {
        case .allocated: "allocated"
        case .deallocated: "deallocated"
        case .outOfStock: "OUT OF STOCK"
        case .batchCreated: "new batch"
        case .batchQuantityChanged: "qty changed"
        case .batchReceived: "received"
        case .batchEtaChanged: "eta changed"
        case .shipped: "shipped"
        case .cancelled: "cancelled"
        }
    }

    /// The event's fields in a line: `o-1 LAMP ×3 → B-1`, `o-1 LAMP ×3 from B-1`, `LAMP: o-1 ×3 waits`.
    static func details(of row: EventRow, glyphs: Glyphs) -> String {
        let arrow = glyphs == .unicode ? "→" : "->"
        let times = glyphs == .unicode ? "×" : "x"
        switch row.event {
        case .allocated(let orderid, let sku, let qty, let batchref):
            return "\(orderid) \(sku) \(times)\(qty) \(arrow) \(batchref)"
        case .deallocated(let orderid, let sku, let qty, let batchref):
            return "\(orderid) \(sku) \(times)\(qty)" + (batchref.map { " from \($0)" } ?? "")
        case .cancelled(let orderid, let sku, let qty):
            return "\(orderid) \(sku) \(times)\(qty) no longer waits"
        case .shipped(let orderid, let sku, let qty, let batchref):
            return "\(orderid) \(sku) \(times)\(qty) from \(batchref)"
        case .outOfStock(let sku, let orderid, let qty):
            guard let orderid, let qty else { return sku }
            return "\(sku): \(orderid) \(times)\(qty) waits"
        case .batchCreated(let ref, let sku, let qty, let eta):
            let when = eta.map { "eta \($0)" } ?? "in stock"
            return "\(ref) \(sku) \(times)\(qty) \(when)"
        case .batchQuantityChanged(let ref, let qty):
            return "\(ref) now \(qty)"
        case .batchReceived(let ref, let qty):
            return "\(ref) in the warehouse, \(qty)"
        case .batchEtaChanged(let ref, let eta):
            return "\(ref) eta \(eta)"
        }
    }

    /// Terminals at least this wide show the operator column.
    static let operatorWidth = 100

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        let x = area.x
        let showID = area.width >= 60
        let idWidth = showID ? 7 : 0
        let operatorWidth = area.width >= EventsScreen.operatorWidth ? 13 : 0
        let operatorX = x + 2 + idWidth + 9
        let eventX = operatorX + operatorWidth
        let detailsX = eventX + 13
        canvas.fill(x: x, y: area.y, count: area.width, style: .header)
        if showID { canvas.putRight("#", x: x + 2, y: area.y, limit: 6, style: .header) }
        canvas.put("TIME", x: x + 2 + idWidth, y: area.y, limit: 8, style: .header)
        if operatorWidth > 0 { canvas.put("OPERATOR", x: operatorX, y: area.y, limit: 12, style: .header) }
        canvas.put("EVENT", x: eventX, y: area.y, limit: 12, style: .header)
        canvas.put("DETAILS", x: detailsX, y: area.y, limit: max(0, area.width - (detailsX - x)), style: .header)
        if rows.isEmpty {
            canvas.put("No events yet.", x: x + 2, y: area.y + 2, limit: area.width - 2, style: .dim)
            return
        }
        for (index, event) in rows.enumerated() where index + 1 < area.height {
            let y = area.y + 1 + index
            let isCursor = index == list.cursor
            let alert = event.event.kind == .outOfStock
            let style: Style = alert ? .alert : .normal
            canvas.fill(x: x, y: y, count: area.width, style: style)
            canvas.put(isCursor ? ">" : " ", x: x, y: y, style: style)
            if showID { canvas.putRight(String(event.id), x: x + 2, y: y, limit: 6, style: style) }
            canvas.put(event.time, x: x + 2 + idWidth, y: y, limit: 8, style: style)
            if operatorWidth > 0 { canvas.put(event.operator, x: operatorX, y: y, limit: 12, style: style) }
            canvas.put(EventsScreen.word(for: event.event.kind), x: eventX, y: y, limit: 12, style: style)
            canvas.put(
                EventsScreen.details(of: event, glyphs: canvas.glyphs), x: detailsX, y: y,
                limit: max(0, area.width - (detailsX - x)), style: style)
            if isCursor && context.focused {
                canvas.restyle(x: x, y: y, count: area.width, style: .selected)
            }
        }
    }
}
