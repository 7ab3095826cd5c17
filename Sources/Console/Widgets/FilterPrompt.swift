import Allocation

/// The live filter's prompt, on the hints line: each key narrows the screen at once (the loop queries again), with
/// the count of matches as it is typed (`2 of 5`), the way k9s, lazygit and htop filter. Enter keeps the filter and
/// closes the prompt; Esc puts back the filter the prompt opened with.
struct FilterPrompt: Equatable {
    /// What the filter matches, after `filter (`…`):`.
    let subject: String
    var text: String
    /// The filter when the prompt opened, which Esc puts back.
    let before: String
    /// The most characters the filter takes.
    static let limit = 100

    init(subject: String, text: String) {
        self.subject = subject
        self.text = text
        before = text
    }

    /// What a key did to the prompt.
    enum Outcome: Equatable {
        /// The text changed: the screen is narrowed to it.
        case edited
        /// Enter: the filter stays, the prompt closes.
        case kept
        /// Esc: the filter the prompt opened with is back, the prompt closes.
        case cancelled
        /// A key the prompt does not take.
        case ignored
    }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character(let character):
            guard text.count < FilterPrompt.limit, !character.unicodeScalars.contains(where: Validation.isControl)
            else { return .ignored }
            text.append(character)
        case .backspace, .delete:
            guard !text.isEmpty else { return .ignored }
            text.removeLast()
        case .control("u"):
            guard !text.isEmpty else { return .ignored }
            text = ""
        case .control("w"):
            guard !text.isEmpty else { return .ignored }
            text = FormFields.erasingWord(text)
        case .enter:
            return .kept
        case .escape:
            text = before
            return .cancelled
        default:
            return .ignored
        }
        return .edited
    }

    /// `2 of 5`, the count capped like the screen counts (`10000+`).
    static func count(_ matching: Int, of total: Int, limit: Int) -> String {
        func shown(_ number: Int) -> String { number > limit ? "\(limit)+" : String(number) }
        return "\(shown(matching)) of \(shown(total))"
    }

    /// Draws the prompt over the hints line at `y`: the text and its cursor, the count when there is a text, and
    /// what Enter and Esc do when there is room.
    func render(into canvas: inout Canvas, y: Int, count: String?) {
        let width = canvas.width
        canvas.fill(x: 0, y: y, count: width, style: .normal)
        var x = canvas.put(" filter (\(subject)): ", x: 0, y: y, limit: width, style: .key)
        let tail = (count.map { "  \($0)" } ?? "")
        let help = "  Enter keeps  Esc cancels"
        let room = max(1, width - x - TerminalText.width(tail) - 1)
        let shown = TerminalText.tail(text, room: room, ellipsis: canvas.glyphs.ellipsis)
        x += canvas.put(shown, x: x, y: y, limit: room, style: .match)
        x += canvas.put("_", x: x, y: y, limit: max(0, width - x), style: .match)
        x += canvas.put(tail, x: x, y: y, limit: max(0, width - x), style: .normal)
        if x + TerminalText.width(help) <= width {
            canvas.put(help, x: x, y: y, limit: width - x, style: .dim)
        }
    }
}
