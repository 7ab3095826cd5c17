import Allocation

/// The live tail of the event log, newest first, with out-of-stock alerts highlighted; filterable by any part of
/// an order id, SKU, batch reference, operator or the word of a kind, in any case, and Enter opens the history of
/// the event's order or batch.
struct EventsScreen {
    static let title = "Events"
    /// The most matching events the filter counts; beyond it the count shows as `10000+`.
    static let countLimit = 10_000
    var list = KeysetCursor()
    var rows: [EventRow] = []
    /// The filter's text; nil shows every event.
    var filter: String?
    /// How many events match the filter, and how many there are, each up to one more than ``countLimit``.
    var matching = 0
    var total = 0
    /// Whether repeated events (``LogEntry/collapse(_:)``) show as one row: the monitor's log.
    var collapsesRepeats = false
    /// The rows as shown: each event, or a run of repeats as one entry when ``collapsesRepeats``.
    var entries: [LogEntry] {
        collapsesRepeats ? LogEntry.collapse(rows) : rows.map { LogEntry(rows: [$0]) }
    }

    var selectedRow: EventRow? {
        entries.indices.contains(list.cursor) ? entries[list.cursor].newest : nil
    }

    /// What the filter keeps: the text, and the kinds whose shown word or stored name contains it.
    static func eventFilter(_ text: String) -> EventFilter {
        let rule = Search(text)
        return EventFilter(
            text: text,
            kinds: Event.Kind.allCases.filter { rule.matches(word(for: $0)) || rule.matches($0.rawValue) })
    }

    /// Fits the log to the height it will be drawn in, so its next reload fetches what fits.
    mutating func resize(height: Int) {
        list.pageSize = max(1, height - 1)
    }

    /// Queries the visible events, and under a filter how many match; at the top of the log, new events come in
    /// above. A log that collapses repeats reads up to ``collapseReach`` events for the rows it shows, and its cursor
    /// moves over the entries.
    ///
    /// - Returns: a message for the status line when no event matches the filter.
    @discardableResult
    mutating func reload(from database: Database) throws -> String? {
        let filter = filter.map(EventsScreen.eventFilter)
        let reach = collapsesRepeats ? EventsScreen.collapseReach : nil
        func page(from id: Int64, newer: Bool, limit: Int) throws -> [EventRow] {
            // A page read older; one row read asks only whether there is any.
            let limit = newer || limit == 1 ? limit : reach ?? limit
            guard let filter else { return try Views.events(from: id, newer: newer, limit: limit, in: database) }
            return try Views.events(matching: filter, from: id, newer: newer, limit: limit, in: database)
        }
        let current = reach == nil ? rows : entries.map(\.newest)
        rows = try list.page(
            current: current, id: \.id, older: { try page(from: $0, newer: false, limit: $1) },
            newer: { try page(from: $0, newer: true, limit: $1) })
        if reach != nil {
            let shown = LogEntry.collapse(rows).prefix(list.pageSize)
            rows = shown.flatMap(\.rows)
            list.cursor = min(list.cursor, max(0, shown.count - 1))
        }
        guard let filter else { return nil }
        matching = try Views.eventCount(matching: filter, limit: EventsScreen.countLimit + 1, in: database)
        total = try Views.eventCount(matching: EventFilter(text: ""), limit: EventsScreen.countLimit + 1, in: database)
        return matching == 0 ? "no event's order, SKU, batch, kind or operator contains \"\(filter.text)\"" : nil
    }

    /// The most events the monitor's log reads to collapse repeats into the rows it shows: two bulk runs of a
    /// few hundred events each still leave room for what came before them.
    static let collapseReach = 1_000

    /// Carries out one of the log's actions: moving, the filter, and the history of the event's order or batch.
    mutating func perform(_ action: Action) -> Reaction {
        if list.move(action) { return .reload(all: false) }
        switch action {
        case .search:
            return .openFilter(FilterPrompt(subject: "order, SKU, batch, kind or operator", text: filter ?? ""))
        case .clearSearch:
            narrow(to: "")
            return .reload(all: false)
        case .history:
            guard let row = selectedRow else { return .message("no event selected", .error) }
            if let orderid = row.event.orderid { return .openHistory(HistoryPanel(subject: .order(orderid))) }
            if let reference = row.event.batchReference {
                return .openHistory(HistoryPanel(subject: .batch(reference)))
            }
            return .message("this event names no order or batch", .error)
        default:
            return .none
        }
    }

    /// Narrows the log to `text` as it is typed in the filter prompt (empty shows every event), from the newest.
    mutating func narrow(to text: String) {
        filter = text.isEmpty ? nil : text
        list = KeysetCursor(pageSize: list.pageSize)
    }

    /// The filter prompt's count: `2 of 5`; nil without a filter.
    var filterCount: String? {
        filter.map { _ in FilterPrompt.count(matching, of: total, limit: EventsScreen.countLimit) }
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
        let shown = entries.map(\.newest)
        let times = TimeColumn(shown, context: context)
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
        if entries.isEmpty {
            let text = filter == nil ? "No events yet." : "No event matches the filter (Esc clears it)."
            canvas.put(text, x: x + 2, y: area.y + 2, limit: area.width - 2, style: .dim)
            return
        }
        for (index, entry) in entries.enumerated() where index + 1 < area.height {
            let event = entry.newest
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
            let details =
                entry.summary(in: context.zone, glyphs: canvas.glyphs)
                ?? EventsScreen.details(of: event, glyphs: canvas.glyphs, room: detailsRoom)
            canvas.put(details, x: detailsX, y: y, limit: detailsRoom, style: style)
            if isCursor && context.focused {
                canvas.restyle(x: x, y: y, count: area.width, style: .selected)
            }
        }
    }
}
