/// The two bottom lines: the status (database, mode, counts, last change, a message) and the key hints.
///
/// The modes are the console's; the bar only draws the ones it is given.
struct StatusBar {
    var databaseLabel = ""
    var batches = 0
    var skus = 0
    /// When the last change was seen (`16:43:02 JST`), from the newest event.
    var lastChange: String?
    var message: String?
    var messageStyle: Style = .normal
    /// Seconds since 1970 after which the message goes; nil keeps it until the next key.
    var messageExpires: Double?

    mutating func say(_ text: String, style: Style = .normal, until expiry: Double? = nil) {
        message = text
        messageStyle = style
        messageExpires = expiry
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
        var info = "\(databaseLabel) \(g.vertical) \(readOnly ? "MONITOR read-only" : "OPERATOR")"
        info += " \(g.vertical) \(batches) batches \(g.dot) \(skus) SKUs"
        info += " \(g.vertical) last change \(lastChange ?? "none")"
        if paused { info += " \(g.vertical) PAUSED" }
        var x = 0
        if let message {
            x = canvas.put(" \(message) ", x: 0, y: y, limit: max(1, width * 2 / 3), style: messageStyle)
            x += canvas.put(g.vertical, x: x, y: y, style: .title)
        }
        canvas.put(" " + info, x: x, y: y, limit: width - x, style: .title)
        var hintX = 1
        for binding in StatusBar.fitting(hints, width: width - 1) {
            guard hintX < width else { break }
            let muted = readOnly && binding.mutating
            hintX += canvas.put(binding.label, x: hintX, y: y + 1, limit: width - hintX, style: muted ? .dim : .key)
            hintX += canvas.put(
                " \(binding.hint ?? "")  ", x: hintX, y: y + 1,
                limit: max(0, width - hintX), style: muted ? .dim : .normal)
        }
    }

    /// The hints that fit in `width` cells, in order and whole: when all do not fit, the last command keys are
    /// left out so that the ways to find one's way (search, screens or panel, help, quit) always show.
    static func fitting(_ hints: [Binding], width: Int) -> [Binding] {
        func cells(_ binding: Binding) -> Int { DisplayText.width(binding.label + " " + (binding.hint ?? "")) + 2 }
        guard hints.map(cells).reduce(0, +) > width else { return hints }
        let essential: (Binding) -> Bool = { [.search, .nextScreen, .switchPanel, .help, .quit].contains($0.action) }
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
