import Allocation

/// Everything the console shows, and the pure steps over it: a key changes the state and asks the loop for an
/// effect; `render` draws the state into a canvas.
struct ConsoleState {
    /// A panel drawn over the current screen.
    enum Overlay {
        case form(Form)
        case help(HelpOverlay)
    }

    /// What the loop must do after a key.
    enum Effect: Equatable {
        case none
        case redraw
        /// Query the current screen again (`all`: every screen, after data changed).
        case reload(all: Bool)
        case send(Command)
        case quit
    }

    var screens: [any Screen]
    var current = 0
    var overlay: Overlay?
    var status = StatusBar()
    var today: Day
    var glyphs: Glyphs = .unicode
    var width = 80
    var height = 24

    var readOnly: Bool { status.readOnly }

    /// The operator console: batches board, allocations and event log.
    static func operatorConsole(database: String, today: Day) -> ConsoleState {
        var state = ConsoleState(screens: [BatchesScreen(), AllocationsScreen(), EventsScreen()], today: today)
        state.status.databaseLabel = database
        return state
    }

    /// The read-only monitor: board and event log on one screen.
    static func monitor(database: String, today: Day) -> ConsoleState {
        var state = ConsoleState(screens: [MonitorScreen()], today: today)
        state.status.databaseLabel = database
        state.status.readOnly = true
        return state
    }

    /// The screens' area: everything between the tab line and the two status lines.
    var contentArea: Area { Area(x: 0, y: 1, width: width, height: max(1, height - 3)) }

    mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        for index in screens.indices {
            screens[index].resize(width: contentArea.width, height: contentArea.height)
        }
    }

    mutating func handle(_ key: Key) -> Effect {
        if status.messageExpires == nil { status.message = nil }
        switch overlay {
        case .form(var form):
            switch form.handle(key) {
            case .cancel:
                overlay = nil
            case .edit:
                overlay = .form(form)
            case .submit(.command(let command)):
                overlay = .form(form)
                return .send(command)
            case .submit(.text(let text)):
                overlay = nil
                screens[current].apply(query: text)
                return .reload(all: false)
            }
            return .redraw
        case .help(var help):
            overlay = help.scroll(key) ? .help(help) : nil
            return .redraw
        case nil:
            break
        }
        guard let binding = screens[current].keyMap.binding(for: key) else {
            if case .character(let character) = key {
                status.say("\(character) does nothing here; press ? for the keys", style: .dim)
            }
            return .redraw
        }
        if binding.mutating && readOnly {
            status.say("\(binding.label) (\(binding.summary)): read-only monitor", style: .error)
            return .redraw
        }
        switch binding.action {
        case .quit:
            return .quit
        case .help:
            overlay = .help(
                HelpOverlay(
                    title: screens[current].title, keyMap: screens[current].keyMap,
                    readOnly: readOnly))
            return .redraw
        case .pause:
            status.paused.toggle()
            status.say(status.paused ? "paused: data frozen, press p to resume" : "live refresh resumed")
            return status.paused ? .redraw : .reload(all: true)
        case .nextScreen:
            current = (current + 1) % screens.count
            return .reload(all: false)
        case .previousScreen:
            current = (current + screens.count - 1) % screens.count
            return .reload(all: false)
        case .screen(let number):
            guard screens.indices.contains(number) else { return .none }
            current = number
            return .reload(all: false)
        default:
            switch screens[current].perform(binding.action) {
            case .none:
                return .redraw
            case .reload:
                return .reload(all: false)
            case .openForm(let form):
                overlay = .form(form)
                return .redraw
            case .message(let text, let style):
                status.say(text, style: style)
                return .redraw
            }
        }
    }

    /// The bus carried out the form's command: close the form and say what happened.
    mutating func commandDone(_ message: String) {
        overlay = nil
        status.say(message, style: .ok)
    }

    /// Puts the board's cursor on a batch at the next reload (e.g. the batch just created).
    mutating func select(batch reference: String) {
        for index in screens.indices {
            if var board = screens[index] as? BatchesScreen {
                board.selected = reference
                screens[index] = board
            }
        }
    }

    /// Brings an open form's note up to date with its batch's reloaded row, so it never shows quantities another
    /// process has since changed.
    mutating func refreshFormNote() {
        guard case .form(var form) = overlay, let reference = form.batch else { return }
        let rows = screens.compactMap { $0 as? BatchesScreen }.flatMap(\.rows)
        guard let row = rows.first(where: { $0.reference == reference }) else { return }
        form.note = Form.quantities(of: row)
        overlay = .form(form)
    }

    /// The bus refused the form's command: keep the form open with the core's message.
    mutating func commandRefused(_ message: String) {
        if case .form(var form) = overlay {
            form.refusal = message
            overlay = .form(form)
        }
        status.say(message, style: .error)
    }

    /// Below this size the console only asks for a bigger terminal.
    static let minimumSize = (width: 20, height: 5)

    func render(into canvas: inout Canvas) {
        guard canvas.width >= ConsoleState.minimumSize.width, canvas.height >= ConsoleState.minimumSize.height else {
            let (width, height) = ConsoleState.minimumSize
            canvas.put("too small (\(width)×\(height))", x: 0, y: 0, style: .error)
            return
        }
        let g = canvas.glyphs
        canvas.fill(x: 0, y: 0, count: canvas.width, style: .title)
        var x = canvas.put(" stock ", x: 0, y: 0, style: .title)
        if readOnly {
            x += canvas.put("monitor ", x: x, y: 0, style: .title)
        } else {
            for (index, screen) in screens.enumerated() {
                x += canvas.put(
                    " \(index + 1) \(screen.title) ", x: x, y: 0,
                    style: index == current ? .activeTab : .tab)
            }
        }
        let today = "\(g.vertical) \(self.today) "
        canvas.putRight(today, x: x, y: 0, limit: max(0, canvas.width - x), style: .title)
        let context = RenderContext(today: self.today, focused: overlay == nil)
        let area = Area(x: 0, y: 1, width: canvas.width, height: max(1, canvas.height - 3))
        screens[current].render(into: &canvas, area: area, context: context)
        switch overlay {
        case .form(let form): form.render(into: &canvas, area: area)
        case .help(let help): help.render(into: &canvas, area: area)
        case nil: break
        }
        status.render(into: &canvas, y: canvas.height - 2, hints: screens[current].keyMap.hints)
    }
}
