import Allocation

/// The wall monitor's header, shown from ``minimumWidth`` columns: its figures as words and numbers, readable in a
/// capture and from across the room, two sparklines of the last 24 hours, and the SKUs that need attention first.
/// Colour only underlines what the words say.
struct MonitorHeader {
    static let minimumWidth = 120
    /// Three lines of figures and a rule under them.
    static let height = 4
    /// How many SKUs the attention line names at most.
    static let attentionLimit = 6

    var figures: MonitorFigures?
    var trend = HourlyTrend()

    /// Reads the figures and the events since the last look.
    mutating func reload(from database: Database, today: Day, now: Double) throws {
        figures = try Views.monitorFigures(today: today, attentionLimit: MonitorHeader.attentionLimit, in: database)
        try trend.update(now: now, from: database)
    }

    func render(into canvas: inout Canvas, area: Area, now: Double) {
        guard area.height >= MonitorHeader.height else { return }
        let g = canvas.glyphs
        guard let figures else {
            _ = canvas.put("reading the figures…", x: area.x, y: area.y, limit: area.width, style: .dim)
            canvas.fill(x: area.x, y: area.y + 3, count: area.width, style: .border, text: g.horizontal)
            return
        }
        let gap = "  \(g.vertical)  "
        var x = area.x
        let right = area.x + area.width
        /// Puts `text` at `x` on line `y` when the whole of it fits (a figure is never cut), and says whether it
        /// did; once a part did not fit, nothing more goes on that line.
        var full: Set<Int> = []
        @discardableResult func put(_ text: String, _ y: Int, style: Style = .normal, keeping reserve: Int = 0) -> Bool
        {
            guard !full.contains(y), TerminalText.width(text) + reserve <= right - x else {
                full.insert(y)
                return false
            }
            x += canvas.put(text, x: x, y: area.y + y, limit: right - x, style: style)
            return true
        }

        put("AVAILABLE ", 0, style: .header)
        put("\(figures.available) units", 0)
        put(gap, 0, style: .border)
        put("WAITING ", 0, style: .header)
        if figures.waitingLines == 0 {
            put("none", 0)
        } else {
            let age = figures.oldestWaitingSince.map { ", oldest " + MonitorHeader.age(since: $0, now: now) } ?? ""
            put("\(figures.waitingLines) lines (\(figures.waitingUnits) units)\(age)", 0, style: .alert)
        }
        put(gap, 0, style: .border)
        put("LATE ", 0, style: .header)
        put(
            "\(figures.lateBatches) \(figures.lateBatches == 1 ? "batch" : "batches")", 0,
            style: figures.lateBatches > 0 ? .late : .normal)
        put(gap, 0, style: .border)
        put("AT RISK ", 0, style: .header)
        put(
            "\(figures.linesAtRisk) \(figures.linesAtRisk == 1 ? "line" : "lines")", 0,
            style: figures.linesAtRisk > 0 ? .alert : .normal)

        x = area.x
        let hour = HourlyTrend.hour(of: now)
        for (index, series) in [
            ("ALLOCATIONS/H ", trend.series(trend.allocations, endingAt: hour)),
            ("NEW BACKORDERS/H ", trend.series(trend.backorders, endingAt: hour)),
        ].enumerated() {
            if index > 0 { put(gap, 1, style: .border) }
            put(series.0, 1, style: .header)
            put(MonitorHeader.sparkline(series.1, glyphs: g), 1, style: index == 0 ? .inStock : .alert)
            put(" 24 h: \(series.1.reduce(0, +)), now \(series.1.last ?? 0)", 1)
        }
        if !trend.caughtUp { put(" (still reading the last 24 h)", 1, style: .dim) }

        x = area.x
        put("ATTENTION ", 2, style: .header)
        if figures.attention.isEmpty {
            put("none: no line waits, no batch is late", 2)
        }
        /// Says how many SKUs needing attention are not named, once `shown` are.
        func more(after shown: Int) -> String { " +\(figures.attentionCount - shown) more" }
        for (index, sku) in figures.attention.enumerated() {
            var parts: [String] = []
            if sku.waitingLines > 0 {
                let age = sku.oldestWaitingSince.map { ", oldest " + MonitorHeader.age(since: $0, now: now) } ?? ""
                parts.append("\(sku.waitingLines) waiting (\(sku.waitingUnits) units)\(age)")
            }
            if sku.lateBatches > 0 { parts.append("\(sku.lateBatches) late") }
            let name = TerminalText.sanitized(sku.sku, replacement: g.replacement)
            let details = " " + parts.joined(separator: ", ")
            // Room is kept to say how many SKUs are not named.
            let unnamedAfter = figures.attentionCount - index - 1
            let room = unnamedAfter > 0 ? TerminalText.width(more(after: index + 1)) : 0
            guard TerminalText.width((index > 0 ? gap : "") + name + details) + room <= right - x else {
                put(more(after: index), 2, style: .dim)
                break
            }
            if index > 0 { put(gap, 2, style: .border) }
            put(name, 2, style: .alert)
            put(details, 2)
            if index == figures.attention.count - 1, unnamedAfter > 0 { put(more(after: index + 1), 2, style: .dim) }
        }
        canvas.fill(x: area.x, y: area.y + 3, count: area.width, style: .border, text: g.horizontal)
    }

    /// How long ago `timestamp` was: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`; `?` for text that is not a
    /// timestamp.
    static func age(since timestamp: String, now: Double) -> String {
        guard let then = Clock.seconds(timestamp: timestamp) else { return "?" }
        let seconds = max(0, Int(now - then))
        if seconds < 60 { return "\(seconds) s" }
        let minutes = seconds / 60
        if minutes < 60 { return "\(minutes) min" }
        let hours = minutes / 60
        if hours < 24 { return "\(hours) h \(minutes % 60 < 10 ? "0" : "")\(minutes % 60) min" }
        return "\(hours / 24) d \(hours % 24) h"
    }

    /// One cell per value, its height scaled to the largest; a dot for none.
    static func sparkline(_ values: [Int], glyphs: Glyphs) -> String {
        let levels = glyphs == .ascii ? Array("_.-=+*#@").map(String.init) : Array("▁▂▃▄▅▆▇█").map(String.init)
        let largest = values.max() ?? 0
        return values.map { value in
            guard value > 0, largest > 0 else { return glyphs.dot }
            return levels[min(levels.count - 1, (value * levels.count - 1) / largest)]
        }.joined()
    }
}

/// Allocations and new backorders per hour over the last 24 hours, kept as events are recorded: the first look
/// finds where the 24 hours start by bisecting the event ids, and each look reads only the events after the last
/// one counted, at most ``readLimit`` of them, so a refresh never scans the log.
struct HourlyTrend {
    static let hours = 24
    static let readLimit = 20_000
    static let page = 2_000

    /// The id of the last event counted; nil before the first look.
    private(set) var lastID: Int64?
    /// Counts by hour since 1970.
    private(set) var allocations: [Int: Int] = [:]
    private(set) var backorders: [Int: Int] = [:]
    /// False while events of the last 24 hours remain to be read.
    private(set) var caughtUp = false

    static func hour(of seconds: Double) -> Int {
        Int((seconds / 3600).rounded(.down))
    }

    mutating func update(now: Double, from database: Database) throws {
        let first = HourlyTrend.hour(of: now) - HourlyTrend.hours + 1
        var after = try lastID ?? (Views.firstEventID(atOrAfter: Double(first) * 3600, in: database) - 1)
        var read = 0
        caughtUp = false
        while read < HourlyTrend.readLimit {
            let events = try Views.trendEvents(after: after, limit: HourlyTrend.page, in: database)
            for event in events {
                guard let seconds = event.seconds else { continue }
                let hour = HourlyTrend.hour(of: seconds)
                guard hour >= first else { continue }
                if event.isAllocation { allocations[hour, default: 0] += 1 }
                if event.isBackorder { backorders[hour, default: 0] += 1 }
            }
            after = events.last?.id ?? after
            read += events.count
            if events.count < HourlyTrend.page {
                caughtUp = true
                break
            }
        }
        lastID = after
        allocations = allocations.filter { $0.key >= first }
        backorders = backorders.filter { $0.key >= first }
    }

    /// The 24 hourly counts ending with hour `last`, oldest first.
    func series(_ counts: [Int: Int], endingAt last: Int) -> [Int] {
        ((last - HourlyTrend.hours + 1)...last).map { counts[$0] ?? 0 }
    }
}
