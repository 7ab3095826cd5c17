import Allocation

/// One message the status line said, as the messages overlay lists it.
struct SaidMessage: Equatable, Sendable {
    /// Seconds since 1970.
    let time: Double
    let text: String
    let style: Style
}

/// The two bottom lines: the status (database, mode, counts, last change, a message) and the key hints.
///
/// The modes are the console's; the bar only draws the ones it is given. A message too long for the status line
/// is drawn full width on up to three lines just above it; the last ``historyLimit`` messages stay readable in
/// full in the messages overlay (`M`).
struct StatusBar {
    var databaseLabel = ""
    /// On a server, the host the session reached (`db2:5433`, `local:5433` for a local socket).
    var databaseHost: String?
    /// On a server, where the session is in a replicated pair (`standby, lag 0.2 s`, `on the primary`).
    var serverNote: String?
    var batches = 0
    var skus = 0
    /// When the last change was seen (`16:43:02 JST`), from the newest event.
    var lastChange: String?
    var message: String?
    var messageStyle: Style = .normal
    /// Seconds since 1970 after which the message goes; nil keeps it until the next key.
    var messageExpires: Double?
    /// When the message was said, seconds since 1970.
    var messageSaid = 0.0
    /// The messages said, oldest first, at most ``historyLimit``.
    private(set) var history: [SaidMessage] = []

    /// How many messages the overlay keeps.
    static let historyLimit = 50
    /// How long a refusal or an alert stays on screen whatever keys are pressed (a new message still replaces
    /// it): time to read a sentence of the status line before the next scan or key press.
    static let holdSeconds = 4.0
    /// The most lines a long message takes above the status line.
    static let longMessageLines = 3

    /// Shows `text`; `remember` false keeps it out of the history (a progress figure said every 100 ms).
    mutating func say(
        _ text: String, style: Style = .normal, until expiry: Double? = nil, remember: Bool = true,
        now: Double = Clock.system.now()
    ) {
        message = text
        messageStyle = style
        messageExpires = expiry
        messageSaid = now
        guard remember, history.last?.text != text else { return }
        history.append(SaidMessage(time: now, text: text, style: style))
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
    }

    /// A key was pressed: the message goes, unless it expires by itself or is a refusal or alert said less than
    /// ``holdSeconds`` ago.
    mutating func keyPressed(now: Double = Clock.system.now()) {
        guard messageExpires == nil else { return }
        let held = [.error, .alert].contains(messageStyle) && now - messageSaid < Self.holdSeconds
        if !held { message = nil }
    }

    /// Drops the message when it has expired; true when it did.
    mutating func expire(now: Double) -> Bool {
        guard let expiry = messageExpires, now >= expiry else { return false }
        message = nil
        messageExpires = nil
        return true
    }

    /// Draws the status line at `y` and the hints line under it; in the read-only monitor the hints of
    /// mutating keys are greyed.
    func render(into canvas: inout Canvas, y: Int, hints: [Binding], readOnly: Bool, paused: Bool) {
        let g = canvas.glyphs
        let width = canvas.width
        canvas.fill(x: 0, y: y, count: width, style: .title)
        let mode = " \(g.vertical) \(readOnly ? "MONITOR read-only" : "OPERATOR")"
        let counts =
            " \(g.vertical) \(Self.count(batches, "batch", "batches")) \(g.dot) \(Self.count(skus, "SKU", "SKUs"))"
        let last = " \(g.vertical) last change \(lastChange ?? "none")" + (paused ? " \(g.vertical) PAUSED" : "")
        var x = 0
        let room = max(1, width * 2 / 3)
        if let message {
            if TerminalText.width(" \(message) ") <= room {
                x = canvas.put(" \(message) ", x: 0, y: y, limit: room, style: messageStyle)
                x += canvas.put(g.vertical, x: x, y: y, style: .title)
            } else {
                renderAbove(message, into: &canvas, y: y)
            }
        }
        // When the line is too narrow for all of it, the host gives way first, then the counts (a standby's state
        // matters more on a wall monitor), then the standby's state.
        let host = databaseHost.map { "@" + $0 } ?? ""
        let note = serverNote.map { " \(g.dot) \($0)" } ?? ""
        let fallback = " " + databaseLabel + mode + counts + last
        let info =
            ([host + note + mode + counts, note + mode + counts] + (note.isEmpty ? [] : [note + mode])).map {
                " " + databaseLabel + $0 + last
            }
            .first { TerminalText.width($0) <= width - x } ?? fallback
        canvas.put(info, x: x, y: y, limit: width - x, style: .title)
        var hintX = 1
        for binding in StatusBar.fitting(hints, width: width - 1, readOnly: readOnly) {
            guard hintX < width else { break }
            let muted = readOnly && binding.mutating
            hintX += canvas.put(binding.label, x: hintX, y: y + 1, limit: width - hintX, style: muted ? .dim : .key)
            hintX += canvas.put(
                " \(binding.hint ?? "")  ", x: hintX, y: y + 1,
                limit: max(0, width - hintX), style: muted ? .dim : .normal)
        }
    }

    /// `1 batch`, `2 batches`.
    static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        "\(number) \(number == 1 ? singular : plural)"
    }

    /// Draws a message too long for the status line full width on the lines just above it, wrapped, at most
    /// ``longMessageLines`` (the last one cut with an ellipsis), never over the tab line.
    private func renderAbove(_ message: String, into canvas: inout Canvas, y: Int) {
        let wrapped = TerminalText.wrap(message, width: max(1, canvas.width - 2))
        let count = min(wrapped.count, Self.longMessageLines, max(0, y - 1))
        guard count > 0 else { return }
        let lines = wrapped.prefix(count - 1) + [wrapped[(count - 1)...].joined(separator: " ")]
        for (index, line) in lines.enumerated() {
            let row = y - count + index
            canvas.fill(x: 0, y: row, count: canvas.width, style: messageStyle)
            canvas.put(line, x: 1, y: row, limit: canvas.width - 2, style: messageStyle)
        }
    }

    /// The hints that fit in `width` cells, in order and whole: when all do not fit, the last command keys are
    /// left out so that the ways to find one's way (search, screens or panel, help, quit) always show.
    static func fitting(_ hints: [Binding], width: Int, readOnly: Bool = false) -> [Binding] {
        func cells(_ binding: Binding) -> Int { TerminalText.width(binding.label + " " + (binding.hint ?? "")) + 2 }
        guard hints.map(cells).reduce(0, +) > width else { return hints }
        // The monitor's board filters come before its search, which steps through what they leave.
        let ways: [Action] =
            readOnly ? [.switchPanel, .help, .quit] : [.search, .nextScreen, .switchPanel, .help, .quit]
        let essential: (Binding) -> Bool = { ways.contains($0.action) }
        var room = width - hints.filter(essential).map(cells).reduce(0, +)
        var kept: Set<Int> = []
        for (index, binding) in hints.enumerated() where !essential(binding) {
            guard cells(binding) <= room else { break }
            room -= cells(binding)
            kept.insert(index)
        }
        return hints.enumerated().filter { essential($0.element) || kept.contains($0.offset) }.map(\.element)
    }
}
