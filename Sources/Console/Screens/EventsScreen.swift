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
        case .lineChanged: "line changed"
        case .ordersDelayed: "DELAYED"
        case .batchUnreceived: "unreceived"
        case .batchVoided: "voided"
        }
    }

    /// The event's fields in a line: `o-1 LAMP ×3 → B-1`, `o-1 LAMP ×3 from B-1`, `LAMP: o-1 ×3 waits`.
    static func details(of row: EventRow, glyphs: Glyphs) -> String {
        pieces(of: row, glyphs: glyphs).map(\.text).joined(separator: " ")
    }

    /// The event's fields cut to `room` cells by leaving out the least important pieces first: words, then the
    /// quantity, the SKU, the order id; the batch reference goes last, and only the one piece left is ever cut.
    static func details(of row: EventRow, glyphs: Glyphs, room: Int) -> String {
        var kept = pieces(of: row, glyphs: glyphs)
        func text() -> String { kept.map(\.text).joined(separator: " ") }
        while kept.count > 1, TerminalText.width(text()) > room, let rank = kept.map(\.rank).max(),
            let least = kept.lastIndex(where: { $0.rank == rank })
        {
            kept.remove(at: least)
        }
        return text()
    }

    /// A part of an event's details and how much it matters: the higher the rank, the sooner it is left out.
    struct Piece {
        let text: String
        let rank: Int

        /// The batch reference, or the SKU an out-of-stock event is about: kept longest.
        static func subject(_ text: String) -> Piece { Piece(text: text, rank: 0) }
        static func order(_ text: String) -> Piece { Piece(text: text, rank: 1) }
        static func sku(_ text: String) -> Piece { Piece(text: text, rank: 2) }
        static func amount(_ text: String) -> Piece { Piece(text: text, rank: 3) }
        static func words(_ text: String) -> Piece { Piece(text: text, rank: 4) }
    }

    static func pieces(of row: EventRow, glyphs: Glyphs) -> [Piece] {
        let arrow = glyphs == .unicode ? "→" : "->"
        let times = glyphs == .unicode ? "×" : "x"
        switch row.event {
        case .allocated(let orderid, let sku, let qty, let batchref):
            return [.order(orderid), .sku(sku), .amount("\(times)\(qty)"), .words(arrow), .subject(batchref)]
        case .deallocated(let orderid, let sku, let qty, let batchref):
            return [.order(orderid), .sku(sku), .amount("\(times)\(qty)")]
                + (batchref.map { [.words("from"), .subject($0)] } ?? [])
        case .cancelled(let orderid, let sku, let qty):
            return [.order(orderid), .sku(sku), .amount("\(times)\(qty)"), .words("no longer waits")]
        case .shipped(let orderid, let sku, let qty, let batchref):
            return [.order(orderid), .sku(sku), .amount("\(times)\(qty)"), .words("from"), .subject(batchref)]
        case .outOfStock(let sku, let orderid, let qty):
            guard let orderid, let qty else { return [.subject(sku)] }
            return [.subject("\(sku):"), .order(orderid), .amount("\(times)\(qty)"), .words("waits")]
        case .batchCreated(let ref, let sku, let qty, let eta):
            return [
                .subject(ref), .sku(sku), .amount("\(times)\(qty)"),
                eta.map { .amount("eta \($0)") } ?? .words("in stock"),
            ]
        case .batchQuantityChanged(let ref, let qty):
            return [.subject(ref), .words("now"), .amount(String(qty))]
        case .batchReceived(let ref, let qty):
            return [.subject(ref), .words("in the warehouse,"), .amount(String(qty))]
        case .batchEtaChanged(let ref, let eta):
            return [.subject(ref), .words("eta"), .amount(eta.description)]
        case .lineChanged(let orderid, let sku, let qty):
            return [.subject(orderid), .sku(sku), .words("now"), .amount("\(times)\(qty)")]
        case .ordersDelayed(let ref, let delayed):
            return [.subject(ref), .words("delays")]
                + delayed.flatMap { line -> [Piece] in
                    [
                        .order(line.orderid), .sku(line.sku), .amount("\(times)\(line.qty)"),
                        .words("\(line.from) \(arrow) \(line.to?.description ?? "waiting")"),
                    ]
                }
        case .batchUnreceived(let ref, let qty, let eta):
            return [.subject(ref), .words("arriving again,"), .amount(String(qty)), .amount("eta \(eta)")]
        case .batchVoided(let ref, let sku, let qty):
            return [.subject(ref), .sku(sku), .amount("\(times)\(qty)"), .words("removed")]
        }
    }

    /// Terminals at least this wide show the operator column.
    static let operatorWidth = 100

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        let x = area.x
        let showID = area.width >= 60
        let idWidth = showID ? 7 : 0
        let times = TimeColumn(rows, context: context)
        let timeX = x + 2 + idWidth
        let operatorWidth = area.width >= EventsScreen.operatorWidth ? 13 : 0
        let operatorX = timeX + times.width + 1
        let eventX = operatorX + operatorWidth
        let detailsX = eventX + 13
        let detailsRoom = max(0, area.width - (detailsX - x))
        canvas.fill(x: x, y: area.y, count: area.width, style: .header)
        if showID { canvas.putRight("#", x: x + 2, y: area.y, limit: 6, style: .header) }
        canvas.putRight(times.header, x: timeX, y: area.y, limit: times.width, style: .header)
        if operatorWidth > 0 { canvas.put("OPERATOR", x: operatorX, y: area.y, limit: 12, style: .header) }
        canvas.put("EVENT", x: eventX, y: area.y, limit: 12, style: .header)
        canvas.put("DETAILS", x: detailsX, y: area.y, limit: detailsRoom, style: .header)
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
            canvas.putRight(times.texts[index], x: timeX, y: y, limit: times.width, style: style)
            if operatorWidth > 0 { canvas.put(event.operator, x: operatorX, y: y, limit: 12, style: style) }
            canvas.put(EventsScreen.word(for: event.event.kind), x: eventX, y: y, limit: 12, style: style)
            canvas.put(
                EventsScreen.details(of: event, glyphs: canvas.glyphs, room: detailsRoom), x: detailsX, y: y,
                limit: detailsRoom, style: style)
            if isCursor && context.focused {
                canvas.restyle(x: x, y: y, count: area.width, style: .selected)
            }
        }
    }
}
