import Allocation

/// The home screen: every batch grouped by SKU in allocation-preference order, a totals line heading each SKU;
/// a filter that narrows the board in its query (text, late, empty, SKUs with waiting lines), other orders as a
/// flat list (ETA, available, fill), and a search that steps through the shown batches whose reference or SKU
/// contains the typed text.
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
    /// What narrows the board; its late day is set to today at every reload while ``late`` is on.
    var filter = BoardFilter()
    var late = false
    var sort = BoardSort.preference
    /// Batches on the whole board, for the filter's `3 of 120`.
    var total = 0
    /// The filter or the order changed: the next reload puts the cursor back on the selected batch, or on the
    /// first row when the filter dropped it.
    var refollow = false
    /// The height the board is drawn in.
    var height = 2
    var emptyText = "No batches yet: press b to add one."
    /// A board shown for reading only, its filter fixed (the monitor's attention board): no cursor is drawn and
    /// no key is offered to clear the filter.
    var isPinned = false

    var selectedRow: BatchRow? {
        let index = list.cursor - list.top
        return rows.indices.contains(index) ? rows[index] : nil
    }

    /// Whether the line under the column titles shows the filter or the order.
    var showsQuery: Bool { filter.isActive || late || sort != .preference }

    /// Fits the board to the height it will be drawn in, so its next reload fetches what fits.
    mutating func resize(height: Int) {
        self.height = height
        list.pageSize = max(1, height - (showsQuery ? 2 : 1))
    }

    /// Queries the visible rows; `follow` keeps the cursor on the selected batch when rows moved under it;
    /// `today` is the day the late filter measures to.
    ///
    /// - Returns: a message for the status line when a search step found nothing.
    /// - Throws: what the views throw; the board keeps its previous rows.
    mutating func reload(from database: Database, follow: Bool, today: Day = Clock.system.today) throws -> String? {
        filter.lateOn = late ? today : nil
        resize(height: height)
        let (filter, sort) = (self.filter, self.sort)
        list.count = try Views.batchCount(filter: filter, in: database)
        total = filter.isActive ? try Views.batchCount(in: database) : list.count
        var message: String?
        var target = follow || refollow ? selected : nil
        let toFirstRowWhenGone = refollow
        refollow = false
        if let step = pendingSearch, let search {
            pendingSearch = nil
            if step.inclusive, let row = selectedRow, matches(row) {
                target = row.reference
            } else if let found = try Views.nextBatch(
                containing: search, after: selected, forward: step.forward, filter: filter, sort: sort, in: database)
            {
                target = found
            } else {
                message =
                    "no batch reference or SKU contains \"\(search)\""
                    + (filter.isActive ? " on the filtered board" : "")
            }
        }
        if let target {
            if let position = try Views.boardPosition(reference: target, filter: filter, sort: sort, in: database) {
                list.cursor = position
            } else if toFirstRowWhenGone {
                list.cursor = 0
            }
        }
        list.clamp()
        let page = { (top: Int, size: Int) in
            try Views.batches(filter: filter, sort: sort, limit: size, offset: top, in: database)
        }
        rows = try page(list.top, list.pageSize)
        var fitted = BatchesScreen.fitting(rows, lines: list.pageSize, grouped: sort.isGrouped)
        var attempts = 0
        while list.cursor >= list.top + fitted, fitted > 0, attempts < list.pageSize {
            list.top += list.cursor - (list.top + fitted) + 1
            rows = try page(list.top, list.pageSize)
            fitted = BatchesScreen.fitting(rows, lines: list.pageSize, grouped: sort.isGrouped)
            attempts += 1
        }
        rows = Array(rows.prefix(fitted))
        selected = selectedRow?.reference
        var skus: [String] = []
        for row in rows where skus.last != row.sku { skus.append(row.sku) }
        totals =
            sort.isGrouped
            ? Dictionary(uniqueKeysWithValues: try Views.totals(skus: skus, in: database).map { ($0.sku, $0) }) : [:]
        return message
    }

    /// How many of `rows` fit in `lines`; grouped, each SKU's first row on screen takes a totals line too.
    static func fitting(_ rows: [BatchRow], lines: Int, grouped: Bool = true) -> Int {
        var used = 0
        var count = 0
        var previous: String?
        for row in rows {
            let need = row.sku == previous || !grouped ? 1 : 2
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
        case .filter:
            return .openFilter(FilterPrompt(subject: "reference or SKU", text: filter.text))
        case .toggleLate, .toggleEmpty, .toggleWaiting:
            switch action {
            case .toggleLate: late.toggle()
            case .toggleEmpty: filter.empty.toggle()
            default: filter.waiting.toggle()
            }
            refollow = true
            return .reload(all: false)
        case .cycleSort:
            sort = sort.next
            refollow = true
            return .reload(all: false)
        case .nextMatch, .previousMatch:
            guard search != nil else { return .message("no search yet: press / to search", .error) }
            pendingSearch = (action == .nextMatch, false)
            return .reload(all: false)
        case .clearSearch:
            search = nil
            if filter.isActive || late {
                filter = BoardFilter()
                late = false
                refollow = true
            }
            return .reload(all: false)
        case .allocate:
            return .openForm(Form.allocate(orderid: nil, sku: selectedRow?.sku))
        case .newBatch:
            return .openForm(Form.newBatch(sku: selectedRow?.sku))
        case .changeQuantity, .receive, .changeEta, .history, .projection:
            guard let row = selectedRow else { return .message("no batch selected", .error) }
            switch action {
            case .projection: return .openProjection(sku: row.sku)
            case .receive: return .openForm(Form.receive(row))
            case .changeEta: return .openForm(Form.changeEta(row))
            case .history: return .openHistory(HistoryPanel(subject: .batch(row.reference)))
            default: return .openForm(Form.changeQuantity(of: row))
            }
        case .ship, .shipPartial:
            return .openForm(Form.ship(orderid: nil, sku: nil, partial: action == .shipPartial))
        case .move:
            return .openForm(Form.move(orderid: nil, sku: selectedRow?.sku, batch: selectedRow?.reference))
        case .allocateWaiting:
            return .openForm(Form.allocateWaiting(sku: selectedRow?.sku))
        case .replan:
            return .openForm(Form.replan(sku: selectedRow?.sku))
        default:
            return .none
        }
    }

    /// Takes the text typed in the search prompt (empty clears the search).
    mutating func apply(query: String) {
        search = query.isEmpty ? nil : query
        pendingSearch = search == nil ? nil : (true, true)
    }

    /// Narrows the board to `text` as it is typed in the filter prompt: the next reload queries it, counts its
    /// matches, and puts the cursor back on the selected batch, or on the first row when the filter dropped it.
    mutating func narrow(to text: String) {
        filter.text = text
        refollow = true
    }

    /// The filter prompt's count: `2 of 6`; nil without a filter.
    var filterCount: String? {
        filter.isActive || late ? "\(list.count) of \(total)" : nil
    }

    // MARK: Rendering

    /// Column widths for a width: the full board, or a compact one below 64 columns.
    struct Columns {
        var compact: Bool
        var reference: Int
        var sku: Int
        var gauge: Int
        /// The quantity columns between the ETA's word and the gauge.
        var quantities: [BoardQuantity] = [.purchased, .allocated, .available]
        /// Whether the ETA's date is shown before its word.
        var showsDate = true

        init(width: Int) {
            compact = width < 64
            if compact {
                reference = max(4, width - 17)
                sku = 0
                gauge = 0
            } else {
                let flex = width - Self.fixedWidth
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
        let filled = row.onHand > 0 ? min(width, (row.allocated * width + row.onHand / 2) / row.onHand) : 0
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
            let quantityWidth = Columns.quantityWidth
            let eta = columns.showsDate ? [("ETA", 10, false), ("", 8, false)] : [("ETA", 8, false)]
            for (title, width, right) in [("REFERENCE", columns.reference, false), ("SKU", columns.sku, false)] + eta
                + columns.quantities.map({ ($0.title, quantityWidth, true) }) + [("FILL", columns.gauge, false)]
            {
                if right {
                    canvas.putRight(title, x: column, y: area.y, limit: width, style: .header)
                } else {
                    canvas.put(title, x: column, y: area.y, limit: width, style: .header)
                }
                column += width + 1
            }
        }
        var y = area.y + 1
        if showsQuery {
            renderQuery(x: x, y: y, width: area.width, on: &canvas)
            y += 1
        }
        if rows.isEmpty {
            let text = filter.isActive && !isPinned ? "No batch matches the filter (Esc clears it)." : emptyText
            canvas.put(text, x: x + 2, y: y + 1, limit: area.width - 2, style: .dim)
            return
        }
        var previous: String?
        for (index, row) in rows.enumerated() {
            if sort.isGrouped, row.sku != previous {
                guard y + 1 < area.y + area.height else { break }
                renderGroup(row.sku, y: y, x: x, width: area.width, compact: columns.compact, on: &canvas)
                y += 1
                previous = row.sku
            }
            guard y < area.y + area.height else { break }
            let isCursor = !isPinned && index == list.cursor - list.top
            renderRow(
                row, y: y, x: x, width: area.width, columns: columns, cursor: isCursor,
                context: context, on: &canvas)
            y += 1
        }
    }

    /// The line under the column titles: the filter with its count of matches, and the order when not the
    /// default; the filter's text is cut first, so the quick filters and the counts always show.
    private func renderQuery(x: Int, y: Int, width: Int, on canvas: inout Canvas) {
        let dot = " \(canvas.glyphs.dot) "
        let sorted = sort == .preference ? "" : "sorted by \(sort.label)"
        guard filter.isActive else {
            canvas.put(" " + sorted, x: x, y: y, limit: width, style: .match)
            return
        }
        var parts = filter.parts
        let text = filter.text.isEmpty ? "" : parts.removeFirst()
        let rest =
            (text.isEmpty || parts.isEmpty ? "" : dot) + parts.joined(separator: dot)
            + " \(list.count) of \(total)" + (sorted.isEmpty ? "" : dot + sorted)
        var column = x + canvas.put(" filter: ", x: x, y: y, limit: width, style: .match)
        let room = width - (column - x) - TerminalText.width(rest)
        if !text.isEmpty { column += canvas.put(text, x: column, y: y, limit: max(1, room), style: .match) }
        column += canvas.put(rest, x: column, y: y, limit: max(0, x + width - column), style: .match)
        let help = "  Esc clears"
        if !isPinned, column - x + TerminalText.width(help) <= width {
            canvas.put(help, x: column, y: y, limit: x + width - column, style: .dim)
        }
    }

    private func renderGroup(_ sku: String, y: Int, x: Int, width: Int, compact: Bool, on canvas: inout Canvas) {
        let g = canvas.glyphs
        canvas.fill(x: x, y: y, count: width, style: .group, text: g.horizontal)
        var text = "\(g.horizontal) \(sku) "
        var waiting = ""
        if let total = totals[sku] {
            let batches = "\(total.batches) \(total.batches == 1 ? "batch" : "batches") \(g.dot) "
            let shipped = total.shipped > 0 ? "\(total.shipped) shipped \(g.dot) " : ""
            let quantities =
                "\(total.purchased) purchased \(g.dot) \(shipped)\(total.allocated) allocated \(g.dot) "
                + "\(total.available) available "
            if total.waiting > 0 { waiting = "\(g.dot) \(total.waiting) waiting " }
            // The units waiting matter more than the number of batches, which the rows below show anyway.
            let full = text + "\(g.horizontal) " + batches + quantities + waiting
            // In a narrow board the word "available" gives way before the units waiting, which colour alone
            // must not carry.
            let fraction = "\(g.horizontal) \(total.available)/\(total.onHand) "
            let narrow = TerminalText.width(text + fraction + "available " + waiting) > width
            text +=
                compact
                ? fraction + (narrow && !waiting.isEmpty ? "" : "available ")
                : "\(g.horizontal) " + (TerminalText.width(full) > width ? "" : batches) + quantities
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
            if columns.showsDate {
                canvas.put(row.eta?.description ?? "", x: column, y: y, limit: 10)
                column += Columns.dateWidth
            }
            canvas.put(when, x: column, y: y, limit: 8, style: status)
            column += 9
            for quantity in columns.quantities {
                let style = quantity == .available ? status : .normal
                canvas.putRight(
                    String(quantity.value(of: row)), x: column, y: y, limit: Columns.quantityWidth, style: style)
                column += Columns.quantityWidth + 1
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
