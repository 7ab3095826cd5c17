import Allocation

/// Everything the console shows, and the steps over it: a key changes the state and answers the loop with a
/// ``Reaction``; `reload` queries the shown screens; `render` draws the state into a canvas.
struct ConsoleState {
    /// A panel drawn over the current screen.
    enum Overlay {
        case form(Form)
        case help(HelpOverlay)
        case history(HistoryPanel)
        case messages(MessagesOverlay)
        case atRisk(AtRiskScreen)
        case projection(ProjectionScreen)
        /// The live filter's prompt on the hints line; the screen above it stays in view and narrows as it is typed.
        case filter(FilterPrompt)
    }

    /// What fills the content area: one of the operator's three tabs, or the monitor's board and log together.
    enum Page: Equatable {
        case batches, allocations, events, monitor

        var title: String {
            switch self {
            case .batches: BatchesScreen.title
            case .allocations: AllocationsScreen.title
            case .events: EventsScreen.title
            case .monitor: MonitorScreen.title
            }
        }

        var keyMap: KeyMap {
            switch self {
            case .batches: .batches
            case .allocations: .allocations
            case .events: .events
            case .monitor: .monitor
            }
        }
    }

    var batches = BatchesScreen()
    var allocations = AllocationsScreen()
    var events = EventsScreen()
    /// The monitor's layout of ``batches`` and ``events``.
    var monitor = MonitorScreen()
    var page: Page
    /// The monitor: every mutating key is refused, and shown greyed.
    let readOnly: Bool
    /// The operator froze the data (the loop holds a read snapshot); ticks do not re-query.
    var paused = false
    /// The tabs not queried since the data last changed, each with whether its board should follow the selected
    /// batch once it is queried.
    var stale: [Page: Bool] = [:]
    /// Reads the events committed since the last look, for the out-of-stock alerts; nil until there is an event.
    var alerts: EventFollower?
    /// The newest event of the last look, whose time the status line shows as the last change.
    var newestEvent: EventRow?
    /// The most events one refresh reads for the alerts.
    static let alertPage = 500
    var overlay: Overlay?
    var status = StatusBar()
    /// The status line's message about the open form (its preview outdated, no room to draw it): dropped when the
    /// form closes, since it is about a form no longer there. A command's refusal is not one: it is held as long as
    /// every refusal is (``StatusBar/holdSeconds``).
    var formMessage: String?
    /// While what is shown may be out of date (the server connection lost, the file removed or replaced and not
    /// reopened, a refresh failing): the time of the last data read (`10:42:07`), which the title line keeps
    /// showing as `stale: data as of 10:42:07` until fresh data is shown again.
    var staleSince: String?
    var today: Day
    /// Seconds since 1970 by the settings' clock at the last reload: what waiting lines' ages are measured to.
    var now: Double = 0
    /// The zone times are shown in: UTC until the app sets the settings' (the local one by default).
    var zone = LocalZone.utc
    /// How a new line may be spread over batches, for the allocate form's preview: the settings' `splitLines`.
    var splitLines = SplitLines.batches
    var glyphs: Glyphs = .unicode
    var width = 80
    var height = 24

    /// The operator console: batches board, allocations and event log.
    static func operatorConsole(database: String, today: Day) -> ConsoleState {
        var state = ConsoleState(page: .batches, readOnly: false, today: today)
        state.status.databaseLabel = database
        return state
    }

    /// The read-only monitor: board and event log on one screen.
    static func monitor(database: String, today: Day) -> ConsoleState {
        var state = ConsoleState(
            batches: BatchesScreen(emptyText: "No batches yet."), events: EventsScreen(collapsesRepeats: true),
            page: .monitor, readOnly: true, today: today)
        state.status.databaseLabel = database
        return state
    }

    /// The pages the tab line offers, in order; `1`, `2`, `3` pick them.
    var tabs: [Page] { readOnly ? [.monitor] : [.batches, .allocations, .events] }

    /// The screens' area: everything between the tab line and the two status lines.
    var contentArea: Area { Area(x: 0, y: 1, width: width, height: max(1, height - 3)) }

    mutating func resize(width: Int, height: Int) {
        self.width = width
        self.height = height
        let area = contentArea
        if readOnly {
            monitor.resize(width: area.width, height: area.height, board: &batches, log: &events)
        } else {
            batches.resize(height: area.height)
            allocations.resize(height: area.height)
            events.resize(height: area.height)
        }
        if case .history(var panel) = overlay {
            panel.visible = HistoryPanel.rowsThatFit(height: area.height)
            overlay = .history(panel)
        }
    }

    /// Queries the rows of the current page and says what they report; with `all` (the data changed), marks the
    /// other tabs stale, so each is queried when it is shown (``show(tab:)`` asks for a reload), not before.
    ///
    /// - Parameter follow: keep the board's cursor on the selected batch when rows moved under it; a stale board
    ///   follows when it is shown.
    /// - Throws: what the views throw; the screens keep their previous rows.
    mutating func reload(from database: Database, all: Bool, follow: Bool) throws {
        if all {
            for tab in tabs where tab != page { stale[tab] = follow || stale[tab] == true }
        }
        var message: String?
        let follow = follow || stale.removeValue(forKey: page) == true
        switch page {
        case .batches:
            message = try batches.reload(from: database, follow: follow, today: today)
        case .allocations:
            message = try allocations.reload(from: database)
        case .events:
            message = try events.reload(from: database)
        case .monitor:
            message = try monitor.reload(
                board: &batches, log: &events, from: database, follow: follow, today: today, now: now)
        }
        if let message { status.say(message, style: .dim) }
        try reloadOverlay(from: database)
        refreshFormNote()
    }

    /// Brings the status line's counts and last change up to date and reads the events committed since the last
    /// look; call after ``reload(from:all:follow:)`` with `all`. The board just counted every batch
    /// (``BatchesScreen/total``) when it is shown; otherwise they are counted here.
    ///
    /// One read of the events serves the newest event and the new ones: the log's page when it shows the newest
    /// events (on SQLite it also holds the new ones when it reaches back to the last one seen), else the follower's
    /// read, whose last event is the newest on SQLite. On a server the follower reads by transaction, so it reads
    /// on its own. After a burst of a page of events or more, the follower starts again after the newest.
    ///
    /// - Returns: the events committed since the last look, oldest first; none at the first look.
    mutating func refreshStatus(from database: Database) throws -> [EventRow] {
        status.batches = stale[.batches] == nil ? batches.total : try Views.batchCount(in: database)
        status.skus = try Views.skuCount(in: database)
        let unfiltered = events.list.anchor == nil && events.filter == nil
        let shown = (page == .events || page == .monitor) && unfiltered ? events.rows : nil
        var newest: EventRow?? = shown.map(\.first)
        var fresh: [EventRow] = []
        if var follower = alerts {
            if let shown, let taken = follower.next(fromNewest: shown, in: database) {
                fresh = taken
            } else {
                fresh = try follower.next(limit: ConsoleState.alertPage, in: database)
                if newest == nil, database.features.commitsInIDOrder, fresh.count < ConsoleState.alertPage {
                    let last: EventRow? = fresh.last ?? newestEvent
                    newest = last
                }
            }
            alerts = follower
        }
        let found = try newest ?? Views.events(from: Int64.max, newer: false, limit: 1, in: database).first
        guard let found else { return fresh }
        if alerts == nil || fresh.count >= ConsoleState.alertPage { alerts = EventFollower(after: found.id) }
        newestEvent = found
        status.lastChange = TimeColumn.labelled(found, now: now, in: zone)
        return fresh
    }

    /// Forgets the events seen, e.g. once the database is another file, whose event ids say nothing of the last.
    mutating func forgetEvents() {
        alerts = nil
        newestEvent = nil
    }

    /// Queries what the open overlay shows: the history panel's events, or what a form asked for (a quantity
    /// change's preview, whether a SKU is new); brings the form's day up to date.
    private mutating func reloadOverlay(from database: Database) throws {
        switch overlay {
        case .history(var panel):
            try panel.reload(from: database, today: today)
            overlay = .history(panel)
        case .form(var form):
            form.today = today
            defer { overlay = .form(form) }
            try form.readChoices(in: database)
            // The form's placement is asked for again at each reload: the data it was computed on may have changed.
            // A SKU looked up as its field is left is answered first, then the placement, in the same reload.
            guard let asked = form.previewRequest ?? form.placementQuery else { return }
            form.previewRequest = nil
            var requests = [asked]
            if case .sku = asked, let placement = form.placementQuery { requests.append(placement) }
            for request in requests {
                try answer(request, for: &form, from: database)
            }
        case .atRisk(var screen):
            try screen.reload(from: database, today: today)
            overlay = .atRisk(screen)
        case .projection(var screen):
            try screen.reload(from: database, today: today)
            overlay = .projection(screen)
        case .help, .messages, .filter, nil:
            break
        }
    }

    /// Answers one of a form's requests into it. A database problem leaves the request to ask again at the next
    /// reload; anything else refused is said in the form.
    private func answer(_ request: Form.PreviewRequest, for form: inout Form, from database: Database) throws {
        do {
            switch request {
            case .quantityChange(let change):
                let preview = try Views.previewQuantityChange(
                    reference: change.ref, qty: change.qty, policy: splitLines, today: today, in: database)
                form.confirmation = Form.confirmation(of: preview)
            case .receipt(let receipt):
                let preview = try Views.previewReceipt(
                    reference: receipt.ref, qty: receipt.qty, restEta: receipt.restEta, policy: splitLines,
                    today: today, in: database)
                form.confirmation = Form.confirmation(of: preview)
            case .replan(let replan):
                let lines = try Views.previewReplan(
                    sku: replan.sku.map(Validation.normalized), policy: splitLines, today: today, in: database)
                form.confirmation = Form.confirmation(ofReplan: lines, sku: replan.sku)
            case .sku(let sku):
                form.skuAnswer = try Form.answer(sku: sku, in: database)
            case .batchChoices, .skuChoices:
                try form.readChoices(in: database)
            case .placement(let command, let fields):
                let promise = try Form.promise(for: command, policy: splitLines, today: today, in: database)
                let preview =
                    try promise?.preview
                    ?? Views.placementPreview(
                        sku: Validation.normalized(command.sku), qty: command.qty, policy: splitLines,
                        today: today, in: database)
                form.placementAnswer = Form.PlacementAnswer(
                    fields: fields, note: Form.placementNote(of: preview, for: command), promise: promise?.note)
            }
        } catch let error as DatabaseError {
            form.previewRequest = request
            throw error
        } catch {
            form.refusal = operatorMessage(for: error)
        }
    }

    /// Whether the open form waits for where its line would go (its SKU or quantity changed since it was
    /// placed): the loop asks for it when the keys pause, so typing is never held up by a query.
    var formAwaitsPlacement: Bool {
        guard case .form(let form) = overlay else { return false }
        return form.placementRequest != nil || form.choicesRequest != nil
    }

    /// Handles a key: the open overlay's, else the current page's binding for it.
    ///
    /// - Returns: what is left for the loop: ``Reaction/none``, ``Reaction/redraw``, ``Reaction/reload(all:)``,
    ///   ``Reaction/send(_:)`` or ``Reaction/quit``.
    mutating func handle(_ key: Key) -> Reaction {
        status.keyPressed()
        switch overlay {
        case .form(var form):
            guard key == .escape || form.fits(in: contentArea) else {
                status.say(Form.tooSmall, style: .error)
                formMessage = Form.tooSmall
                return .redraw
            }
            let reaction = form.handle(key)
            overlay = .form(form)
            return settle(reaction)
        case .help(var help):
            let reaction = help.handle(key)
            overlay = .help(help)
            return settle(reaction)
        case .history(var panel):
            let reaction = panel.handle(key)
            overlay = .history(panel)
            return settle(reaction)
        case .messages(var messages):
            let reaction = messages.handle(key)
            overlay = .messages(messages)
            return settle(reaction)
        case .atRisk(var screen):
            let reaction = screen.handle(key)
            overlay = .atRisk(screen)
            return settle(reaction)
        case .projection(var screen):
            let reaction = screen.handle(key)
            overlay = .projection(screen)
            return settle(reaction)
        case .filter(var prompt):
            return take(key, in: &prompt)
        case nil:
            break
        }
        guard let binding = page.keyMap.binding(for: key) else {
            if case .character = key {
                status.say("\(key.label) does nothing here; press ? for the keys", style: .dim)
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
            overlay = .help(HelpOverlay(title: page.title, keyMap: page.keyMap, readOnly: readOnly))
            return .redraw
        case .messages:
            overlay = .messages(MessagesOverlay(messages: status.history, zone: zone))
            return .redraw
        case .atRisk:
            overlay = .atRisk(AtRiskScreen())
            return .reload(all: false)
        case .pause:
            paused.toggle()
            status.say(paused ? "paused: data frozen, press p to resume" : "live refresh resumed")
            return paused ? .redraw : .reload(all: true)
        case .nextScreen:
            return show(tab: ((tabs.firstIndex(of: page) ?? 0) + 1) % tabs.count)
        case .previousScreen:
            return show(tab: ((tabs.firstIndex(of: page) ?? 0) + tabs.count - 1) % tabs.count)
        case .screen(let number):
            return show(tab: number)
        default:
            // The key cleared the message, so the screen is drawn again even when the action changed nothing.
            let reaction = settle(perform(binding.action))
            if case .none = reaction { return .redraw }
            return reaction
        }
    }

    /// A key typed in the filter prompt: the current screen narrows to the text at once and is queried again.
    private mutating func take(_ key: Key, in prompt: inout FilterPrompt) -> Reaction {
        let outcome = prompt.handle(key)
        overlay = outcome == .kept || outcome == .cancelled ? nil : .filter(prompt)
        switch outcome {
        case .ignored, .kept:
            return .redraw
        case .edited, .cancelled:
            switch page {
            case .batches, .monitor: batches.narrow(to: prompt.text)
            case .allocations: allocations.apply(query: prompt.text)
            case .events: events.narrow(to: prompt.text)
            }
            return .reload(all: false)
        }
    }

    /// The filter prompt's count of matches for the current screen, as it is typed: `2 of 6`.
    var filterCount: String? {
        switch page {
        case .batches, .monitor: batches.filterCount
        case .allocations: allocations.filterCount
        case .events: events.filterCount
        }
    }

    private mutating func show(tab number: Int) -> Reaction {
        guard tabs.indices.contains(number) else { return .none }
        page = tabs[number]
        return .reload(all: false)
    }

    /// The current page carries out one of its own actions.
    private mutating func perform(_ action: Action) -> Reaction {
        switch page {
        case .batches: batches.perform(action)
        case .allocations: allocations.perform(action)
        case .events: events.perform(action)
        case .monitor: monitor.perform(action, board: &batches, log: &events)
        }
    }

    /// Carries out a reaction that changes only what is shown, and returns what is left for the loop.
    private mutating func settle(_ reaction: Reaction) -> Reaction {
        switch reaction {
        case .openForm(var form):
            form.today = today
            overlay = .form(form)
            return form.previewRequest == nil && form.choicesRequest == nil ? .redraw : .reload(all: false)
        case .openHistory(var panel):
            panel.visible = HistoryPanel.rowsThatFit(height: contentArea.height)
            overlay = .history(panel)
            return .reload(all: false)
        case .openProjection(let sku):
            overlay = .projection(ProjectionScreen(sku: sku))
            return .reload(all: false)
        case .preview(let change):
            guard case .form(var form) = overlay else { return .redraw }
            form.previewRequest = change
            overlay = .form(form)
            return .reload(all: false)
        case .closeOverlay:
            if case .form = overlay { dropFormMessage() }
            overlay = nil
            return .redraw
        case .openFilter(let prompt):
            overlay = .filter(prompt)
            return .redraw
        case .typed(let text):
            overlay = nil
            switch page {
            case .batches, .monitor: batches.apply(query: text)
            case .allocations: allocations.apply(query: text)
            case .events: break
            }
            return .reload(all: false)
        case .message(let text, let style):
            status.say(text, style: style)
            return .redraw
        case .none, .redraw, .reload, .send, .quit:
            return reaction
        }
    }

    /// The bus carried out the form's command: close the form and say what happened (`alert` when a line was
    /// left waiting). The form's cautions (e.g. an ETA in the past) follow, so they stay in view once it closes.
    mutating func commandDone(_ message: String, style: Style = .ok) {
        var cautions: [String] = []
        if case .form(var form) = overlay {
            cautions = form.cautions
            overlay = nil
            if form.keepsOrder {
                form.keepOrderForNextLine()
                overlay = .form(form)
            }
        } else {
            overlay = nil
        }
        formMessage = nil
        status.say(([message] + cautions).joined(separator: "; "), style: cautions.isEmpty ? style : .alert)
    }

    /// The confirmed quantity change was refused because another process changed the product after its preview:
    /// the form asks for the new preview at the next reload, and the next Enter confirms that one.
    mutating func previewOutdated(_ change: ChangeBatchQuantity, sku: String) {
        previewOutdated(.quantityChange(ChangeBatchQuantity(ref: change.ref, qty: change.qty)), sku: sku)
    }

    /// A confirmed preview's product changed meanwhile: the form asks for `request`'s preview again and says so.
    mutating func previewOutdated(_ request: Form.PreviewRequest, sku: String) {
        let message = "\(sku) was changed by another process meanwhile: nothing changed; this is the new preview"
        if case .form(var form) = overlay {
            form.confirmation = nil
            form.previewRequest = request
            form.refusal = message
            overlay = .form(form)
            formMessage = message
        }
        status.say(message, style: .alert)
    }

    /// Drops the status line's message about the form that is closing, whatever the hold of a refusal.
    mutating func dropFormMessage() {
        defer { formMessage = nil }
        guard let formMessage, status.message == formMessage else { return }
        status.message = nil
        status.messageExpires = nil
    }

    /// Puts the board's cursor on a batch at the next reload (e.g. the batch just created).
    mutating func select(batch reference: String) {
        batches.selected = reference
    }

    /// Brings an open form's note up to date with its batch's reloaded row, so it never shows quantities another
    /// process has since changed.
    mutating func refreshFormNote() {
        guard case .form(var form) = overlay, let reference = form.batch else { return }
        guard let row = batches.rows.first(where: { $0.reference == reference }) else { return }
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
            for (index, tab) in tabs.enumerated() {
                x += canvas.put(" \(index + 1) \(tab.title) ", x: x, y: 0, style: tab == page ? .activeTab : .tab)
            }
        }
        let today = "\(g.vertical) \(self.today) "
        canvas.putRight(today, x: x, y: 0, limit: max(0, canvas.width - x), style: .title)
        if let staleSince {
            // The marker matters more than the day: it takes the day's place when both do not fit.
            let marker = " stale: data as of \(staleSince) "
            let beside = canvas.width - x - TerminalText.width(today)
            let room = beside >= TerminalText.width(marker) ? beside : max(0, canvas.width - x)
            canvas.putRight(marker, x: x, y: 0, limit: room, style: .alert)
        }
        var focused = overlay == nil
        if case .filter = overlay { focused = true }
        let context = RenderContext(today: self.today, now: now, focused: focused, zone: zone)
        let area = Area(x: 0, y: 1, width: canvas.width, height: max(1, canvas.height - 3))
        switch page {
        case .batches: batches.render(into: &canvas, area: area, context: context)
        case .allocations: allocations.render(into: &canvas, area: area, context: context)
        case .events: events.render(into: &canvas, area: area, context: context)
        case .monitor: monitor.render(board: batches, log: events, into: &canvas, area: area, context: context)
        }
        switch overlay {
        case .form(let form): form.render(into: &canvas, area: area)
        case .help(let help): help.render(into: &canvas, area: area)
        case .history(let panel): panel.render(into: &canvas, area: area, context: context)
        case .messages(let messages): messages.render(into: &canvas, area: area)
        case .atRisk(let screen): screen.render(into: &canvas, area: area, today: self.today)
        case .projection(let screen): screen.render(into: &canvas, area: area, context: context)
        case .filter, nil: break
        }
        status.render(
            into: &canvas, y: canvas.height - 2, hints: page.keyMap.hints(readOnly: readOnly), readOnly: readOnly,
            paused: paused)
        if case .filter(let prompt) = overlay {
            prompt.render(into: &canvas, y: canvas.height - 1, count: filterCount)
        }
    }
}
