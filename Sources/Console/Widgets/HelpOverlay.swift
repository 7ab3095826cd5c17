/// The `?` overlay: every binding of the current screen, from its key map, in one or two columns; when even two
/// do not fit, `j`/`k` scroll it.
struct HelpOverlay {
    let title: String
    let keyMap: KeyMap
    let readOnly: Bool
    /// The first line shown when the lines do not fit.
    var offset = 0

    /// One line per binding, as the overlay shows it.
    var lines: [(key: String, text: String, style: Style)] {
        keyMap.bindings.map { binding in
            readOnly && binding.mutating
                ? (binding.label, binding.summary + " (read-only monitor)", .dim)
                : (binding.label, binding.summary, .normal)
        }
    }

    /// Scrolls for `j`/`k`/arrows; `q` quits the console, as the overlay lists; any other key closes the overlay.
    mutating func handle(_ key: Key) -> Reaction {
        let reaction = OverlayKeys.handle(key, offset: &offset)
        offset = min(offset, max(0, lines.count - 1))
        return reaction
    }

    func render(into canvas: inout Canvas, area: Area) {
        // Lower, the footer would cover the frame and no key would show.
        guard area.height >= Box.minimumHeight else {
            Box.notice("make the terminal taller for the keys; Esc closes it", in: area, on: &canvas)
            return
        }
        let lines = lines
        let room = max(1, area.height - 3)
        let columns = lines.count > room && area.width >= 70 ? 2 : 1
        let perColumn = (lines.count + columns - 1) / columns
        let width = columns == 2 ? area.width : min(area.width, 64)
        // Lines one row too many for `room` still all show: the footer goes into the frame's bottom edge.
        let footerInFrame = perColumn == room + 1
        let frameRows = footerInFrame ? 2 : 3
        let box = Box.centred(
            width: width, height: min(perColumn, room + (footerInFrame ? 1 : 0)) + frameRows, in: area)
        Box.draw("Keys: \(title)", in: box, on: &canvas)
        let columnWidth = (box.width - 4) / columns
        let shownRows = max(0, box.height - frameRows)
        let start = perColumn > shownRows ? min(offset, perColumn - shownRows) : 0
        for column in 0..<columns {
            let x = box.x + 2 + column * columnWidth
            for row in 0..<shownRows {
                let index = column * perColumn + start + row
                guard index < min(lines.count, (column + 1) * perColumn) else { break }
                let line = lines[index]
                canvas.put(line.key, x: x, y: box.y + 1 + row, limit: 8, style: .key)
                canvas.put(line.text, x: x + 9, y: box.y + 1 + row, limit: max(0, columnWidth - 10), style: line.style)
            }
        }
        let more = perColumn > shownRows ? "j/k scroll, " : ""
        let footer = footerInFrame ? " any other key closes " : "\(more)any other key closes"
        canvas.put(
            footer, x: box.x + 2, y: box.y + box.height - frameRows + 1, limit: box.width - 4, style: .dim)
    }
}
