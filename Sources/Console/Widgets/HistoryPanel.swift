import Allocation

/// The history of an order or a batch over the screen: every event that touched it, oldest first, with its time,
/// operator and details; it follows new events while scrolled to the end, and Esc closes it. An order's panel is
/// the order view: its status and each line (pieces, ETAs, late marks, expected day, waiting part) above its
/// history.
struct HistoryPanel {
    /// What the history is of.
    enum Subject: Equatable {
        case order(String)
        case batch(String)
    }

    let subject: Subject
    var rows: [EventRow] = []
    /// An order's status and lines, above its history; nil for a batch.
    var order: OrderView?
    /// The first row shown; nil keeps the newest events in view as they come.
    var offset: Int?

    var title: String {
        switch subject {
        case .order(let orderid): "Order \(orderid)" + (order.map { ": \($0.status)" } ?? "") + " and its history"
        case .batch(let reference): "History of batch \(reference)"
        }
    }

    /// Queries the subject's events (through the indexed history views), and an order's lines as of `today`.
    mutating func reload(from database: Database, today: Day) throws {
        switch subject {
        case .order(let orderid):
            rows = try Views.history(orderid: orderid, in: database)
            order = try Views.order(orderid, today: today, in: database)
        case .batch(let reference):
            rows = try Views.history(batch: reference, in: database)
        }
    }

    /// One line of text for each of the order's lines: `TV x6 allocated, expected 2026-12-15: x4 on SHELF, x2 on
    /// SHIP (eta 2026-12-15, late)`.
    var summary: [String] {
        (order?.lines ?? []).map { line in
            let expected = line.expected.map { ", expected \($0)" } ?? ""
            var parts = line.pieces.map { piece in
                "x\(piece.qty) on \(piece.batchref)"
                    + (piece.eta.map { " (eta \($0)\(piece.late ? ", late" : ""))" } ?? "")
            }
            if line.waiting > 0, !parts.isEmpty { parts.append("x\(line.waiting) waiting") }
            if line.shipped > 0, line.status != "shipped" { parts.insert("x\(line.shipped) shipped", at: 0) }
            return "\(line.sku) x\(line.qty) \(line.status)\(expected)" + (parts.isEmpty ? "" : ": ")
                + parts.joined(separator: ", ")
        }
    }

    /// Rows that fit in the panel, set from the content area's height.
    var visible = 10

    /// The first row shown: `offset`, or the one that puts the newest event on the last line.
    var start: Int {
        let last = max(0, rows.count - eventRowsThatFit)
        return min(offset ?? last, last)
    }

    /// Scrolls for `j`/`k`, arrows, pages, `g`/`G`; Esc (or Enter, or `q`) closes.
    mutating func handle(_ key: Key) -> Reaction {
        let visible = eventRowsThatFit
        let last = max(0, rows.count - visible)
        let step: Int
        switch key {
        case .escape, .enter, .character("q"): return .closeOverlay
        case .down, .character("j"): step = 1
        case .up, .character("k"): step = -1
        case .pageDown: step = visible
        case .pageUp: step = -visible
        case .home, .character("g"): step = -rows.count
        case .end, .character("G"): step = rows.count
        default: return .none
        }
        let next = max(0, start + step)
        offset = next >= last ? nil : next
        return .redraw
    }

    /// The height of the panel's box in an area of `height` lines: the rows, the frame, the footer and a blank.
    static func rowsThatFit(height: Int) -> Int { max(1, height - 3) }

    /// Event rows that fit under an order's summary (its lines and a blank line) in an area of `height` lines.
    var eventRowsThatFit: Int {
        let above = summary.isEmpty ? 0 : summary.count + 1
        return max(1, visible - above)
    }

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        // Lower, the footer would cover the frame and the position would count no row ("16-15 of 16").
        guard area.height >= Box.minimumHeight else {
            Box.notice("make the terminal taller for the history; Esc closes it", in: area, on: &canvas)
            return
        }
        let summary = summary
        let above = summary.isEmpty ? 0 : summary.count + 1
        let box = Box.centred(width: area.width, height: min(area.height, above + rows.count + 4), in: area)
        Box.draw(title, in: box, on: &canvas)
        let inner = box.width - 4
        for (index, text) in summary.enumerated() where index < box.height - 3 {
            canvas.put(text, x: box.x + 2, y: box.y + 1 + index, limit: inner, style: .normal)
        }
        let room = min(eventRowsThatFit, max(0, box.height - 3 - above))
        let footer = box.y + box.height - 2
        guard !rows.isEmpty else {
            canvas.put("No events.", x: box.x + 2, y: box.y + 1 + above, limit: inner, style: .dim)
            canvas.put("Esc closes", x: box.x + 2, y: footer, limit: inner, style: .dim)
            return
        }
        // No header to name the zone once: each time names it.
        let times = TimeColumn(rows, context: context, zoneInEveryRow: true)
        let operatorWidth = min(12, rows.map { TerminalText.width($0.operator) }.max() ?? 0)
        for (line, row) in rows.dropFirst(start).prefix(room).enumerated() {
            let y = box.y + 1 + above + line
            let style: Style = row.event.kind == .outOfStock ? .alert : .normal
            var x = box.x + 2
            canvas.putRight(times.texts[start + line], x: x, y: y, limit: times.width, style: .dim)
            x += times.width + 1
            if operatorWidth > 0 {
                canvas.put(row.operator, x: x, y: y, limit: operatorWidth, style: .dim)
                x += operatorWidth + 1
            }
            canvas.put(EventsScreen.word(for: row.event.kind), x: x, y: y, limit: 12, style: style)
            x += 13
            let detailsRoom = max(0, box.x + 2 + inner - x)
            canvas.put(
                EventsScreen.details(of: row, glyphs: canvas.glyphs, room: detailsRoom), x: x, y: y,
                limit: detailsRoom, style: style)
        }
        let position =
            rows.count > room ? "\(start + 1)-\(min(rows.count, start + room)) of \(rows.count), j/k scroll, " : ""
        canvas.put("\(position)Esc closes", x: box.x + 2, y: footer, limit: inner, style: .dim)
    }
}
