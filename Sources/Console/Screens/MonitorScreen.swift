import Allocation

/// The read-only wall screen: the batches board and the event log side by side when both fit, else the log under
/// the board, and which of the two has the keyboard. The board and the log are the console's own; the monitor only
/// lays them out.
struct MonitorScreen {
    static let title = "Monitor"

    /// The half of the monitor that has the keyboard.
    enum Panel {
        case board, log
    }

    var focus = Panel.board
    var width = 80
    var height = 21
    /// The widest reference and SKU the board has held, in cells. It only grows, so that the layout does not flip
    /// back and forth as the rows on the board change.
    var widest = (reference: 0, sku: 0)

    /// The figures, trends and attention line over the board and the log, from ``MonitorHeader/minimumWidth``.
    var header = MonitorHeader()

    /// Whether the header is shown: wide enough, and tall enough to leave the board and the log ten lines.
    var showsHeader: Bool { width >= MonitorHeader.minimumWidth && height >= MonitorHeader.height + 10 }

    /// Under the header, the batches that need attention first: those of SKUs with waiting lines, and late
    /// batches, grouped by SKU as on the board, at the top of the monitor's table; read-only, without a cursor.
    var attention = BatchesScreen(
        emptyText: "Nothing needs attention: no line waits, no batch is late.", isPinned: true)

    /// Whether the attention board is shown: with the header, when a third of what is left is at least 5 lines.
    var showsAttention: Bool { showsHeader && attentionHeight >= 5 }

    /// The attention board's lines with its title: a third of what the header leaves, at most 12.
    private var attentionHeight: Int { min(12, (height - MonitorHeader.height) / 3) }

    /// The lines above the board and the log.
    private var top: Int {
        showsHeader ? MonitorHeader.height + (showsAttention ? attentionHeight + 1 : 0) : 0
    }

    /// The narrowest useful event log: its cursor, id, time and event word, and 39 cells of details, room for
    /// an order id, a SKU, a quantity and a batch reference of the usual lengths.
    static let logMinimum = 70

    /// The narrowest board that shows every reference and SKU it has held whole.
    var boardMinimum: Int {
        BatchesScreen.Columns.fullWidth(reference: widest.reference, sku: widest.sku)
    }

    /// Side by side when the whole board and a useful log fit next to each other.
    var sideBySide: Bool { width >= boardMinimum + 1 + MonitorScreen.logMinimum }

    var boardArea: Area {
        let height = height - top
        return sideBySide
            ? Area(
                x: 0, y: top, width: max(boardMinimum, min(width * 11 / 20, width - 1 - MonitorScreen.logMinimum)),
                height: height)
            : Area(x: 0, y: top, width: width, height: max(2, height * 3 / 5))
    }

    var logArea: Area {
        let board = boardArea
        return sideBySide
            ? Area(x: board.width + 1, y: top, width: width - board.width - 1, height: board.height)
            : Area(x: 0, y: board.y + board.height + 1, width: width, height: max(0, height - top - board.height - 1))
    }

    /// Fits the layout, and the board and log in it, to the content area.
    mutating func resize(width: Int, height: Int, board: inout BatchesScreen, log: inout EventsScreen) {
        self.width = width
        self.height = height
        board.resize(height: boardArea.height)
        log.resize(height: logArea.height)
        attention.resize(height: attentionHeight)
    }

    /// Queries the board and the log; when the board now holds a wider reference or SKU than the layout was made
    /// for, lays them out again and queries what fits the new layout.
    ///
    /// - Returns: the board's message for the status line.
    mutating func reload(
        board: inout BatchesScreen, log: inout EventsScreen, from database: Database, follow: Bool, today: Day,
        now: Double
    ) throws -> String? {
        if showsHeader { try header.reload(from: database, today: today, now: now) }
        if showsAttention {
            attention.filter.attentionOn = today
            _ = try attention.reload(from: database, follow: false, today: today)
        }
        let message = try board.reload(from: database, follow: follow, today: today)
        _ = try log.reload(from: database)
        if fit(board: &board, log: &log) {
            _ = try board.reload(from: database, follow: true, today: today)
            _ = try log.reload(from: database)
        }
        return message
    }

    /// Keeps room for the widest reference and SKU of the board's rows; true when that changed the layout (the
    /// board and the log are then resized, and need a reload).
    mutating func fit(board: inout BatchesScreen, log: inout EventsScreen) -> Bool {
        let seen = BatchesScreen.Columns.widest(of: board.rows)
        let before = sideBySide
        widest = (max(widest.reference, seen.reference), max(widest.sku, seen.sku))
        guard sideBySide != before else { return false }
        resize(width: width, height: height, board: &board, log: &log)
        return true
    }

    /// Switches panels, sends searches to the board and everything else to the focused panel.
    mutating func perform(_ action: Action, board: inout BatchesScreen, log: inout EventsScreen) -> Reaction {
        switch action {
        case .switchPanel:
            focus = focus == .board ? .log : .board
            return .redraw
        case .search, .nextMatch, .previousMatch, .clearSearch, .filter, .toggleLate, .toggleEmpty, .toggleWaiting,
            .cycleSort:
            focus = .board
            return board.perform(action)
        case .projection:
            return board.perform(action)
        default:
            return focus == .board ? board.perform(action) : log.perform(action)
        }
    }

    func render(
        board: BatchesScreen, log: EventsScreen, into canvas: inout Canvas, area: Area, context: RenderContext
    ) {
        func shifted(_ inner: Area) -> Area {
            Area(x: area.x + inner.x, y: area.y + inner.y, width: inner.width, height: inner.height)
        }
        var boardContext = context
        boardContext.focused = context.focused && focus == .board
        var logContext = context
        logContext.focused = context.focused && focus == .log
        if showsHeader {
            header.render(
                into: &canvas, area: shifted(Area(x: 0, y: 0, width: width, height: MonitorHeader.height)),
                now: context.now)
        }
        if showsAttention {
            var attentionContext = context
            attentionContext.focused = false
            attention.render(
                into: &canvas,
                area: shifted(Area(x: 0, y: MonitorHeader.height, width: width, height: attentionHeight)),
                context: attentionContext)
            let rule = area.y + MonitorHeader.height + attentionHeight
            canvas.fill(x: area.x, y: rule, count: area.width, style: .border, text: canvas.glyphs.horizontal)
            canvas.put(
                "\(canvas.glyphs.horizontal) All batches ", x: area.x, y: rule, limit: area.width, style: .border)
        }
        board.render(into: &canvas, area: shifted(boardArea), context: boardContext)
        let logAt = shifted(logArea)
        if sideBySide {
            for y in logAt.y..<(area.y + area.height) {
                canvas.put(canvas.glyphs.vertical, x: logAt.x - 1, y: y, style: .border)
            }
        } else {
            let y = logAt.y - 1
            canvas.fill(x: area.x, y: y, count: area.width, style: .border, text: canvas.glyphs.horizontal)
            canvas.put("\(canvas.glyphs.horizontal) Event log ", x: area.x, y: y, limit: area.width, style: .border)
        }
        if logAt.height > 0 {
            log.render(into: &canvas, area: logAt, context: logContext)
        }
    }
}
