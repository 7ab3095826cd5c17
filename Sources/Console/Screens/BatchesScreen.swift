import Allocation

/// The home screen: every batch grouped by SKU in allocation-preference order, a totals line heading each SKU,
/// and a search that steps through batches whose reference or SKU contains the typed text.
struct BatchesScreen {
    static let title = "Batches"
    var list = ListCursor()
    /// The page of rows from `list.top`, possibly more than fit.
    var rows: [BatchRow] = []
    var totals: [String: SKUTotals] = [:]
    /// The reference under the cursor, followed across refreshes.
    var selected: String?
    var search: String?
    /// A search step for the next reload: forward or backward, and whether the selected batch itself counts.
    var pendingSearch: (forward: Bool, inclusive: Bool)?
    var emptyText = "No batches yet: press b to add one."

    var selectedRow: BatchRow? {
        let index = list.cursor - list.top
        return rows.indices.contains(index) ? rows[index] : nil
    }

    /// Fits the board to the height it will be drawn in, so its next reload fetches what fits.
    mutating func resize(height: Int) {
        list.pageSize = max(1, height - 1)
    }

    /// Queries the visible rows; `follow` keeps the cursor on the selected batch when rows moved under it.
    ///
    /// - Returns: a message for the status line when a search step found nothing.
    /// - Throws: what the views throw; the board keeps its previous rows.
    mutating func reload(from database: Database, follow: Bool) throws -> String? {
        list.count = try Views.batchCount(in: database)
        var message: String?
        var target = follow ? selected : nil
        if let step = pendingSearch, let search {
            pendingSearch = nil
            if step.inclusive, let row = selectedRow, matches(row) {
                target = row.reference
            } else if let found = try Views.nextBatch(
                containing: search, after: selected, forward: step.forward, in: database)
            {
                target = found
            } else {
                message = "no batch reference or SKU contains \"\(search)\""
            }
        }
        if let target, let position = try Views.boardPosition(reference: target, in: database) {
            list.cursor = position
        }
        list.clamp()
        rows = try Views.batches(limit: list.pageSize, offset: list.top, in: database)
        var fitted = BatchesScreen.fitting(rows, lines: list.pageSize)
        var attempts = 0
        while list.cursor >= list.top + fitted, fitted > 0, attempts < list.pageSize {
            list.top += list.cursor - (list.top + fitted) + 1
            rows = try Views.batches(limit: list.pageSize, offset: list.top, in: database)
            fitted = BatchesScreen.fitting(rows, lines: list.pageSize)
            attempts += 1
        }
        rows = Array(rows.prefix(fitted))
        selected = selectedRow?.reference
        var skus: [String] = []
        for row in rows where skus.last != row.sku { skus.append(row.sku) }
        totals = Dictionary(uniqueKeysWithValues: try Views.totals(skus: skus, in: database).map { ($0.sku, $0) })
        return message
    }

    /// How many of `rows` fit in `lines`, each SKU's first row on screen taking a totals line too.
    static func fitting(_ rows: [BatchRow], lines: Int) -> Int {
        var used = 0
        var count = 0
        var previous: String?
        for row in rows {
            let need = row.sku == previous ? 1 : 2
            if used + need > lines { break }
            used += need
            count += 1
            previous = row.sku
        }
        return count
    }

    func matches(_ row: BatchRow) -> Bool {
        guard let search, !search.isEmpty else { return false }
        let rule = Search(search)
        return rule.matches(row.reference) || rule.matches(row.sku)
    }

    /// Carries out one of the board's actions.
    mutating func perform(_ action: Action) -> Reaction {
        if list.move(action) { return .reload(all: false) }
        switch action {
        case .search:
            return .openForm(Form.prompt(title: "Search", label: "Contains", text: search ?? ""))
        case .nextMatch, .previousMatch:
            guard search != nil else { return .message("no search yet: press / to search", .error) }
            pendingSearch = (action == .nextMatch, false)
            return .reload(all: false)
        case .clearSearch:
            search = nil
            return .reload(all: false)
        case .allocate:
            return .openForm(Form.allocate(orderid: nil, sku: selectedRow?.sku))
        case .newBatch:
            return .openForm(Form.newBatch(sku: selectedRow?.sku))
        case .changeQuantity, .receive, .changeEta, .history:
            guard let row = selectedRow else { return .message("no batch selected", .error) }
            switch action {
            case .receive: return .openForm(Form.receive(row))
            case .changeEta: return .openForm(Form.changeEta(row))
            case .history: return .openHistory(HistoryPanel(subject: .batch(row.reference)))
            default: return .openForm(Form.changeQuantity(of: row))
            }
        case .ship:
            return .openForm(Form.ship(orderid: nil, sku: nil))
        case .move:
            return .openForm(Form.move(orderid: nil, sku: selectedRow?.sku, batch: selectedRow?.reference))
        case .allocateWaiting:
            return .openForm(Form.allocateWaiting(sku: selectedRow?.sku))
        default:
            return .none
        }
    }

    /// Takes the text typed in the search prompt (empty clears the search).
    mutating func apply(query: String) {
        search = query.isEmpty ? nil : query
        pendingSearch = search == nil ? nil : (true, true)
    }

    // MARK: Rendering

    /// Column widths for a width: the full board, or a compact one below 64 columns.
    struct Columns {
        var compact: Bool
        var reference: Int
        var sku: Int
        var gauge: Int

        init(width: Int) {
            compact = width < 64
            if compact {
                reference = max(4, width - 17)
                sku = 0
                gauge = 0
            } else {
                let flex = width - 45
                gauge = max(6, min(20, flex / 4))
                reference = (flex - gauge) * 11 / 20
                sku = flex - gauge - reference
            }
        }
    }

    static func when(_ eta: Day?, today: Day) -> String {
        guard let eta else { return "in stock" }
        let days = today.days(until: eta)
        if days == 0 { return "today" }
        return days > 0 ? "in \(days)d" : "\(-days)d late"
    }

    static func style(of row: BatchRow, today: Day) -> Style {
        if row.available <= 0 { return .empty }
        guard let eta = row.eta else { return .inStock }
        return eta < today ? .late : .arriving
    }

    static func gauge(_ row: BatchRow, width: Int, glyphs: Glyphs) -> String {
        let filled = row.purchased > 0 ? min(width, (row.allocated * width + row.purchased / 2) / row.purchased) : 0
        return String(repeating: glyphs.gaugeFull, count: filled)
            + String(repeating: glyphs.gaugeEmpty, count: width - filled)
    }

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        let columns = Columns(width: area.width, fitting: rows)
        let x = area.x
        canvas.fill(x: x, y: area.y, count: area.width, style: .header)
        if columns.compact {
            canvas.put("REFERENCE", x: x + 2, y: area.y, limit: columns.reference, style: .header)
            canvas.put("ETA", x: x + 3 + columns.reference, y: area.y, limit: 8, style: .header)
            canvas.putRight("AVAIL", x: x + 12 + columns.reference, y: area.y, limit: 5, style: .header)
        } else {
            var column = x + 2
            for (title, width, right) in [
                ("REFERENCE", columns.reference, false), ("SKU", columns.sku, false), ("ETA", 10, false),
                ("", 8, false), ("PURCH", 6, true), ("ALLOC", 6, true), ("AVAIL", 6, true),
                ("FILL", columns.gauge, false),
            ] {
                if right {
                    canvas.putRight(title, x: column, y: area.y, limit: width, style: .header)
                } else {
                    canvas.put(title, x: column, y: area.y, limit: width, style: .header)
                }
                column += width + 1
            }
        }
        if rows.isEmpty {
            canvas.put(emptyText, x: x + 2, y: area.y + 2, limit: area.width - 2, style: .dim)
            return
        }
        var y = area.y + 1
        var previous: String?
        for (index, row) in rows.enumerated() {
            if row.sku != previous {
                guard y + 1 < area.y + area.height else { break }
                renderGroup(row.sku, y: y, x: x, width: area.width, compact: columns.compact, on: &canvas)
                y += 1
                previous = row.sku
            }
            guard y < area.y + area.height else { break }
            let isCursor = index == list.cursor - list.top
            renderRow(
                row, y: y, x: x, width: area.width, columns: columns, cursor: isCursor,
                context: context, on: &canvas)
            y += 1
        }
    }

    private func renderGroup(_ sku: String, y: Int, x: Int, width: Int, compact: Bool, on canvas: inout Canvas) {
        let g = canvas.glyphs
        canvas.fill(x: x, y: y, count: width, style: .group, text: g.horizontal)
        var text = "\(g.horizontal) \(sku) "
        var waiting = ""
        if let total = totals[sku] {
            let batches = "\(total.batches) \(total.batches == 1 ? "batch" : "batches") \(g.dot) "
            let quantities =
                "\(total.purchased) purchased \(g.dot) \(total.allocated) allocated \(g.dot) "
                + "\(total.available) available "
            if total.waiting > 0 { waiting = "\(g.dot) \(total.waiting) waiting " }
            // The units waiting matter more than the number of batches, which the rows below show anyway.
            let full = text + "\(g.horizontal) " + batches + quantities + waiting
            text +=
                compact
                ? "\(g.horizontal) \(total.available)/\(total.purchased) available "
                : "\(g.horizontal) " + (DisplayText.width(full) > width ? "" : batches) + quantities
        }
        let written = canvas.put(text, x: x, y: y, limit: width, style: .group)
        canvas.put(waiting, x: x + written, y: y, limit: max(0, width - written), style: .late)
    }

    private func renderRow(
        _ row: BatchRow, y: Int, x: Int, width: Int, columns: Columns, cursor: Bool, context: RenderContext,
        on canvas: inout Canvas
    ) {
        let status = BatchesScreen.style(of: row, today: context.today)
        let refStyle: Style = matches(row) ? .match : .normal
        canvas.put(cursor ? ">" : " ", x: x, y: y, style: .normal)
        let when = BatchesScreen.when(row.eta, today: context.today)
        if columns.compact {
            canvas.put(row.reference, x: x + 2, y: y, limit: columns.reference, style: refStyle)
            canvas.put(when, x: x + 3 + columns.reference, y: y, limit: 8, style: status)
            canvas.putRight(String(row.available), x: x + 12 + columns.reference, y: y, limit: 5, style: status)
        } else {
            var column = x + 2
            canvas.put(row.reference, x: column, y: y, limit: columns.reference, style: refStyle)
            column += columns.reference + 1
            canvas.put(row.sku, x: column, y: y, limit: columns.sku, style: matches(row) ? .match : .normal)
            column += columns.sku + 1
            canvas.put(row.eta?.description ?? "", x: column, y: y, limit: 10)
            column += 11
            canvas.put(when, x: column, y: y, limit: 8, style: status)
            column += 9
            for (number, style) in [(row.purchased, Style.normal), (row.allocated, .normal), (row.available, status)] {
                canvas.putRight(String(number), x: column, y: y, limit: 6, style: style)
                column += 7
            }
            canvas.put(
                BatchesScreen.gauge(row, width: columns.gauge, glyphs: canvas.glyphs), x: column, y: y,
                limit: columns.gauge, style: status)
        }
        if cursor && context.focused {
            canvas.restyle(x: x, y: y, count: width, style: .selected)
        }
    }
}
