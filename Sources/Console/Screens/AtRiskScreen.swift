import Allocation

/// The `!` panel, in the operator console and the monitor: the lines at risk (``Views/atRisk(today:limit:in:)``),
/// pieces on late batches first, then waiting lines, each with the batch that could take it now and its ETA;
/// re-queried at each refresh. `j`/`k` scroll it, `q` quits, any other key closes it.
struct AtRiskScreen {
    static let title = "At risk: late or waiting"
    /// The most rows one refresh reads, so a long backorder list costs one page.
    static let limit = 200
    var rows: [AtRiskRow] = []
    /// The first row shown when the rows do not fit.
    var offset = 0

    mutating func reload(from database: Database, today: Day) throws {
        rows = try Views.atRisk(today: today, limit: AtRiskScreen.limit, in: database)
    }

    mutating func handle(_ key: Key) -> Reaction {
        OverlayKeys.handle(key, offset: &offset)
    }

    /// A row's cells: order, SKU, quantity, why (`late 2d` on a batch, `waiting`), the batch, and where it could go
    /// (`→ B-2 (in stock)`, `→ S-1 (2026-12-09)`, `no batch has room`).
    static func cells(of row: AtRiskRow, today: Day) -> [String] {
        let why: String
        if row.status == .late, let eta = row.eta {
            why = "late \(today.daysSinceEpoch - eta.daysSinceEpoch)d"
        } else {
            why = "waiting"
        }
        let alternative =
            row.alternative.map { "→ \($0) (\(row.alternativeEta?.description ?? "in stock"))" } ?? "no batch has room"
        return [row.line.orderid, row.line.sku, String(row.line.qty), why, row.batchref ?? "-", alternative]
    }

    func render(into canvas: inout Canvas, area: Area, today: Day) {
        guard area.height >= Box.minimumHeight + 1 else {
            Box.notice("make the terminal taller for the lines at risk; Esc closes it", in: area, on: &canvas)
            return
        }
        let width = min(area.width, 100)
        let room = max(1, area.height - 4)
        let box = Box.centred(width: width, height: min(max(rows.count, 1), room) + 4, in: area)
        Box.draw(AtRiskScreen.title, in: box, on: &canvas)
        let columns = [("ORDER", 12), ("SKU", 14), ("QTY", 5), ("WHY", 9), ("BATCH", 12)]
        var x = box.x + 2
        let right = box.x + box.width - 2
        for (title, cellWidth) in columns {
            canvas.put(title, x: x, y: box.y + 1, limit: max(0, min(cellWidth - 1, right - x)), style: .header)
            x += cellWidth
        }
        canvas.put("COULD TAKE IT NOW", x: x, y: box.y + 1, limit: max(0, right - x), style: .header)
        let shown = max(0, box.height - 4)
        if rows.isEmpty {
            canvas.put("No line is late or waiting.", x: box.x + 2, y: box.y + 2, limit: box.width - 4, style: .dim)
        }
        let start = min(offset, max(0, rows.count - shown))
        for (index, row) in rows.dropFirst(start).prefix(shown).enumerated() {
            let y = box.y + 2 + index
            let style: Style = row.alternative == nil ? .alert : .normal
            var x = box.x + 2
            let cells = AtRiskScreen.cells(of: row, today: today)
            for (cell, column) in zip(cells, columns) {
                canvas.put(cell, x: x, y: y, limit: max(0, min(column.1 - 1, right - x)), style: style)
                x += column.1
            }
            canvas.put(cells[5], x: x, y: y, limit: max(0, right - x), style: style)
        }
        let more = rows.count > shown ? "j/k scroll, " : ""
        canvas.put(
            "\(more)any other key closes", x: box.x + 2, y: box.y + box.height - 2, limit: box.width - 4,
            style: .dim)
    }
}
