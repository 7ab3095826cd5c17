import Allocation

/// The `P` panel over the board, the allocations and the monitor: the projection of the selected row's SKU
/// (``Views/projection(sku:today:in:)``) as a chart of block and braille characters, one column a day from today:
/// the units available stacked on those allocated, the waiting units no day covers as a deficit below zero, the
/// late batches in a column of their own left of today; under it the arrivals and the oldest waiting lines. A
/// sentence above the chart says what it shows, for a screen reader or a monochrome terminal. Re-queried at each
/// refresh; Esc or `q` closes it.
struct ProjectionScreen {
    /// The most waiting lines one refresh reads.
    static let waitingLimit = 12

    let sku: String
    /// Nil until the first reload, and once no product has the SKU.
    var projection: Projection?
    /// The SKU's oldest waiting lines, oldest first.
    var waiting: [Views.LineRow] = []
    var loaded = false

    init(sku: String) {
        self.sku = sku
    }

    var title: String { "Projection: \(sku)" }

    mutating func reload(from database: Database, today: Day) throws {
        projection = try Views.projection(sku: sku, today: today, in: database)
        waiting = try Views.backorders(sku: sku, limit: ProjectionScreen.waitingLimit, in: database)
        loaded = true
    }

    mutating func handle(_ key: Key) -> Reaction {
        switch key {
        case .escape, .character("q"): .closeOverlay
        default: .none
        }
    }

    /// The chart's characters: UTF-8 blocks and braille, or ASCII when the locale is not UTF-8.
    struct Marks: Equatable {
        var available: String
        var allocated: String
        var deficit: String
        var late: String
        var axis: String
        var tick: String
        var day: String

        static let unicode = Marks(
            available: "█", allocated: "▒", deficit: "⣿", late: "░", axis: "─", tick: "┤", day: "▲")
        static let ascii = Marks(
            available: "#", allocated: "=", deficit: "x", late: "?", axis: "-", tick: "+", day: "^")

        static func of(_ glyphs: Glyphs) -> Marks { glyphs == .ascii ? .ascii : .unicode }

        /// The legend line: what each mark means in words.
        var legend: String {
            "\(available) available  \(allocated) allocated  \(deficit) waiting short  \(late) late  "
                + "\(day) today, arrival"
        }
    }

    /// Where the chart's parts go in a box's inner area of `width` × `height`.
    struct Layout: Equatable {
        var summaryLines: Int
        var chartRows: Int
        var listRows: Int

        /// Nil when the area is too small for a chart of at least 3 rows and a list row.
        init?(width: Int, height: Int, summaryLines: Int) {
            guard width >= 30 else { return nil }
            self.summaryLines = summaryLines
            // The summary, the legend, the date labels, the lists' header and the footer.
            let fixed = summaryLines + 1 + 1 + 1 + 1
            listRows = min(8, max(1, (height - fixed) / 3))
            chartRows = height - fixed - listRows
            guard chartRows >= 3 else { return nil }
        }
    }

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        let inner = Area(x: area.x + 2, y: area.y + 1, width: area.width - 4, height: area.height - 2)
        let summary = ProjectionScreen.wrapped(projection?.summary ?? "", width: max(1, inner.width), lines: 2)
        guard area.height >= Box.minimumHeight + 1,
            let layout = Layout(width: inner.width, height: inner.height, summaryLines: max(1, summary.count))
        else {
            Box.notice("make the terminal bigger for the projection; Esc closes it", in: area, on: &canvas)
            return
        }
        Box.draw(title, in: area, on: &canvas)
        let footerY = area.y + area.height - 2
        canvas.put("Esc or q closes", x: inner.x, y: footerY, limit: inner.width, style: .dim)
        guard let projection else {
            let text = loaded ? "No product has the SKU \(sku)." : "Reading…"
            canvas.put(text, x: inner.x, y: inner.y, limit: inner.width, style: .dim)
            return
        }
        var y = inner.y
        let summaryStyle: Style = projection.waiting > 0 && projection.coveredFrom == nil ? .alert : .normal
        for line in summary {
            canvas.put(line, x: inner.x, y: y, limit: inner.width, style: summaryStyle)
            y += 1
        }
        y = inner.y + layout.summaryLines
        let marks = Marks.of(canvas.glyphs)
        canvas.put(marks.legend, x: inner.x, y: y, limit: inner.width, style: .dim)
        y += 1
        drawChart(
            projection, marks: marks, in: Area(x: inner.x, y: y, width: inner.width, height: layout.chartRows + 1),
            on: &canvas)
        y += layout.chartRows + 1
        drawLists(
            projection, in: Area(x: inner.x, y: y, width: inner.width, height: layout.listRows + 1),
            context: context, on: &canvas)
    }

    /// `text` cut into at most `lines` lines of `width` cells at spaces; the last one ends with an ellipsis when
    /// more is left.
    static func wrapped(_ text: String, width: Int, lines: Int) -> [String] {
        var result: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if TerminalText.width(candidate) <= width || current.isEmpty {
                current = candidate
            } else {
                result.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { result.append(current) }
        guard result.count > lines else { return result }
        var kept = Array(result.prefix(lines))
        kept[lines - 1] += " " + result[lines...].joined(separator: " ")
        return kept
    }

    /// The chart in `area`: its rows, then one row of date labels.
    private func drawChart(_ projection: Projection, marks: Marks, in area: Area, on canvas: inout Canvas) {
        let rows = area.height - 1
        let lateUnits = projection.late.reduce(0) { $0 + $1.qty }
        let top = max(1, projection.days.map(\.onHand).max() ?? 0, lateUnits)
        let deficit = projection.days.map(\.uncovered).max() ?? 0
        // One row is the zero line; the rest are shared by the stock above it and the deficit below it.
        let bars = rows - 1
        var below = deficit > 0 ? max(1, Int((Double(bars * deficit) / Double(top + deficit)).rounded())) : 0
        below = min(below, max(0, bars - 1))
        let above = bars - below
        let labels = [String(top), "0", deficit > 0 ? "-\(deficit)" : ""]
        // Room left of the plot for the late column's `!late` under the labels.
        let labelWidth = max(labels.map(\.count).max() ?? 1, projection.late.isEmpty ? 1 : 4)
        let plotX = area.x + labelWidth + 1
        let lateWidth = projection.late.isEmpty ? 0 : 2
        let room = area.x + area.width - plotX - lateWidth
        let columnWidth = max(1, min(8, room / max(1, projection.days.count)))
        let shown = Array(projection.days.prefix(max(1, room / columnWidth)))
        let zeroY = area.y + above
        func padded(_ label: String) -> String {
            String(repeating: " ", count: labelWidth - label.count) + label
        }
        for row in 0..<rows {
            let y = area.y + row
            let label =
                y == area.y ? labels[0] : y == zeroY ? labels[1] : y == area.y + rows - 1 && below > 0 ? labels[2] : ""
            canvas.put(padded(label), x: area.x, y: y, style: .dim)
            canvas.put(label.isEmpty ? canvas.glyphs.vertical : marks.tick, x: area.x + labelWidth, y: y, style: .dim)
        }
        /// Cells of a bar of `value` units where `unit` cells stand for `scale` units; at least one for any units.
        func cells(_ value: Int, of scale: Int, in count: Int) -> Int {
            guard value > 0, scale > 0 else { return 0 }
            return min(count, max(1, Int((Double(value * count) / Double(scale)).rounded())))
        }
        func column(x: Int, width: Int, allocated: Int, onHand: Int, uncovered: Int, lateGlyph: Bool) {
            let allocatedCells = cells(allocated, of: top, in: above)
            var stockCells = cells(onHand, of: top, in: above)
            if onHand > allocated, stockCells == allocatedCells, stockCells < above { stockCells += 1 }
            for cell in 0..<above {
                let y = zeroY - 1 - cell
                if lateGlyph, cell < stockCells {
                    canvas.fill(x: x, y: y, count: width, style: .late, text: marks.late)
                } else if cell < allocatedCells {
                    canvas.fill(x: x, y: y, count: width, style: .arriving, text: marks.allocated)
                } else if cell < stockCells {
                    canvas.fill(x: x, y: y, count: width, style: .inStock, text: marks.available)
                }
            }
            canvas.fill(x: x, y: zeroY, count: width, style: .dim, text: marks.axis)
            for cell in 0..<cells(uncovered, of: deficit, in: below) {
                canvas.fill(x: x, y: zeroY + 1 + cell, count: width, style: .alert, text: marks.deficit)
            }
        }
        let labelY = area.y + rows
        var labelEnd = area.x
        /// Writes `text` at `x` on the labels row when it does not run into the one before it or off the area.
        func label(_ text: String, at x: Int, style: Style) {
            guard x >= labelEnd, x + TerminalText.width(text) <= area.x + area.width else { return }
            labelEnd = x + canvas.put(text, x: x, y: labelY, style: style) + 1
        }
        if lateWidth > 0 {
            column(x: plotX, width: 1, allocated: 0, onHand: lateUnits, uncovered: 0, lateGlyph: true)
            label("!late", at: plotX - 4, style: .late)
        }
        let daysX = plotX + lateWidth
        for (index, day) in shown.enumerated() {
            column(
                x: daysX + index * columnWidth, width: columnWidth, allocated: day.allocated, onHand: day.onHand,
                uncovered: day.uncovered, lateGlyph: false)
        }
        if lateWidth > 0 { labelEnd = max(labelEnd, daysX) }
        for (index, day) in shown.enumerated() where index == 0 || day.arriving > 0 || index == shown.count - 1 {
            let x = daysX + index * columnWidth
            let text =
                index == 0
                ? "\(marks.day)today" : (day.arriving > 0 ? marks.day : "") + String(day.date.description.dropFirst(5))
            if index == 0 {
                labelEnd = max(labelEnd, x)
            }
            label(text, at: x, style: index == 0 ? .header : .normal)
        }
    }

    /// The arrivals (late batches first) on the left, the oldest waiting lines on the right, each under a header.
    private func drawLists(_ projection: Projection, in area: Area, context: RenderContext, on canvas: inout Canvas) {
        let half = area.width / 2
        let rows = area.height - 1
        var arrivals: [(String, Style)] = projection.late.map { batch in
            let late = batch.eta.days(until: context.today)
            return ("! \(batch.eta) \(batch.batchref) x\(batch.qty) late \(late)d", .late)
        }
        arrivals += projection.arrivals.map { batch in
            ("\(batch.eta) \(batch.batchref) x\(batch.qty), \(batch.allocated) allocated", .normal)
        }
        arrivals += projection.later.map { batch in
            ("\(batch.eta) \(batch.batchref) x\(batch.qty), after the chart", .dim)
        }
        canvas.put("ARRIVALS", x: area.x, y: area.y, limit: half - 1, style: .header)
        if arrivals.isEmpty {
            canvas.put("none due", x: area.x, y: area.y + 1, limit: half - 1, style: .dim)
        }
        if arrivals.count > rows {
            arrivals = arrivals.prefix(rows - 1) + [("+\(arrivals.count - rows + 1) more", .dim)]
        }
        for (index, (text, style)) in arrivals.enumerated() {
            canvas.put(text, x: area.x, y: area.y + 1 + index, limit: half - 1, style: style)
        }
        let units = projection.waiting == 1 ? "1 unit" : "\(projection.waiting) units"
        let right = area.x + half + 1
        let limit = area.width - half - 1
        canvas.put("OLDEST WAITING (\(units))", x: right, y: area.y, limit: limit, style: .header)
        if waiting.isEmpty {
            canvas.put("no line waits", x: right, y: area.y + 1, limit: limit, style: .dim)
        }
        var lines: [(String, Style)] = waiting.map { line in
            let since = if case .waiting(let since) = line.status { since } else { "" }
            return (
                "\(line.orderid) x\(line.qty) waiting \(AllocationsScreen.age(since: since, now: context.now))", .alert
            )
        }
        if lines.count > rows {
            let more = lines.count >= ProjectionScreen.waitingLimit ? "more" : "+\(lines.count - rows + 1) more"
            lines = lines.prefix(rows - 1) + [(more, .dim)]
        }
        for (index, (text, style)) in lines.enumerated() {
            canvas.put(text, x: right, y: area.y + 1 + index, limit: limit, style: style)
        }
    }
}
