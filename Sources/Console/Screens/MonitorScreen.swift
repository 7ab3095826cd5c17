import Allocation

/// The read-only wall screen: the batches board and the event log side by side, stacked when narrow, and which
/// of the two has the keyboard. The board and the log are the console's own; the monitor only lays them out.
struct MonitorScreen {
    static let title = "Monitor"

    /// The half of the monitor that has the keyboard.
    enum Panel {
        case board, log
    }

    var focus = Panel.board
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

    /// Fits the layout, and the board and log in it, to the content area.
    mutating func resize(width: Int, height: Int, board: inout BatchesScreen, log: inout EventsScreen) {
        self.width = width
        self.height = height
        board.resize(height: boardArea.height)
        log.resize(height: logArea.height)
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
