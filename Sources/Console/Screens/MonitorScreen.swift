import Allocation

/// The read-only wall screen: the batches board and the event log side by side, stacked when narrow.
struct MonitorScreen: Screen {
    let title = "Monitor"
    var keyMap: KeyMap { .monitor }
    var board = BatchesScreen(emptyText: "No batches yet.")
    var log = EventsScreen()
    /// 0: the board has the keyboard, 1: the event log.
    var focus = 0
    var width = 80
    var height = 21

    /// Side by side from 120 columns, else the log under the board.
    var sideBySide: Bool { width >= 120 }

    var boardArea: Area {
        sideBySide
            ? Area(x: 0, y: 0, width: width * 11 / 20, height: height)
            : Area(x: 0, y: 0, width: width, height: max(2, height * 3 / 5))
    }

    var logArea: Area {
        let board = boardArea
        return sideBySide
            ? Area(x: board.width + 1, y: 0, width: width - board.width - 1, height: height)
            : Area(x: 0, y: board.height + 1, width: width, height: max(0, height - board.height - 1))
    }

    mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        board.resize(width: boardArea.width, height: boardArea.height)
        log.resize(width: logArea.width, height: logArea.height)
    }

    mutating func reload(from source: any DataSource, follow: Bool) throws -> String? {
        let message = try board.reload(from: source, follow: follow)
        _ = try log.reload(from: source, follow: follow)
        return message
    }

    mutating func perform(_ action: Action) -> Reaction {
        switch action {
        case .switchPanel:
            focus = 1 - focus
            return .none
        case .search, .nextMatch, .previousMatch, .clearSearch:
            focus = 0
            return board.perform(action)
        default:
            return focus == 0 ? board.perform(action) : log.perform(action)
        }
    }

    mutating func apply(query: String) {
        board.apply(query: query)
    }

    func render(into canvas: inout Canvas, area: Area, context: RenderContext) {
        func shifted(_ inner: Area) -> Area {
            Area(x: area.x + inner.x, y: area.y + inner.y, width: inner.width, height: inner.height)
        }
        var boardContext = context
        boardContext.focused = context.focused && focus == 0
        var logContext = context
        logContext.focused = context.focused && focus == 1
        board.render(into: &canvas, area: shifted(boardArea), context: boardContext)
        let logAt = shifted(logArea)
        if sideBySide {
            for y in area.y..<(area.y + area.height) {
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
