import Allocation

/// The `M` overlay: the last messages of the status line in full, newest first, each with its time (in the zone
/// times are shown in) and wrapped to the box; `j`/`k` scroll it, `q` quits, any other key closes it.
struct MessagesOverlay {
    /// Oldest first, as the status bar keeps them.
    let messages: [SaidMessage]
    /// The zone the times are shown in.
    let zone: LocalZone
    /// The first line shown when the lines do not fit.
    var offset = 0

    /// Scrolls for `j`/`k`/arrows; `q` quits the console; any other key closes the overlay.
    mutating func handle(_ key: Key) -> Reaction {
        OverlayKeys.handle(key, offset: &offset)
    }

    /// The lines the overlay shows in `width` cells: each message's time, then its text wrapped under it.
    func lines(width: Int) -> [(text: String, style: Style)] {
        guard !messages.isEmpty else { return [("No messages yet.", .dim)] }
        let textWidth = max(1, width - 10)
        return messages.reversed().flatMap { message in
            TerminalText.wrap(message.text, width: textWidth).enumerated().map { index, line in
                let head =
                    index == 0
                    ? ShownTime(seconds: message.time, in: zone).clock + "  " : String(repeating: " ", count: 10)
                return (head + line, message.style == .error ? .error : .normal)
            }
        }
    }

    func render(into canvas: inout Canvas, area: Area) {
        guard area.height >= Box.minimumHeight else {
            Box.notice("make the terminal taller for the messages; Esc closes it", in: area, on: &canvas)
            return
        }
        let width = min(area.width, 100)
        let lines = lines(width: width - 4)
        let room = max(1, area.height - 3)
        let box = Box.centred(width: width, height: min(lines.count, room) + 3, in: area)
        Box.draw("Messages, newest first", in: box, on: &canvas)
        let shown = max(0, box.height - 3)
        let start = min(offset, max(0, lines.count - shown))
        for (row, line) in lines.dropFirst(start).prefix(shown).enumerated() {
            canvas.put(line.text, x: box.x + 2, y: box.y + 1 + row, limit: box.width - 4, style: line.style)
        }
        let more = lines.count > shown ? "j/k scroll, " : ""
        canvas.put(
            "\(more)any other key closes", x: box.x + 2, y: box.y + box.height - 2, limit: box.width - 4,
            style: .dim)
    }
}
