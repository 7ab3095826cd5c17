/// The `?` overlay: every binding of the current screen, from its key map.
struct HelpOverlay {
    let title: String
    let keyMap: KeyMap
    let readOnly: Bool

    /// One line per binding, as the overlay shows it.
    var lines: [(key: String, text: String, style: Style)] {
        keyMap.bindings.map { binding in
            readOnly && binding.mutating
                ? (binding.label, binding.summary + " (read-only monitor)", .dim)
                : (binding.label, binding.summary, .normal)
        }
    }

    func render(into canvas: inout Canvas, area: Area) {
        let lines = lines
        let box = Box.centred(width: 60, height: lines.count + 3, in: area)
        Box.draw("Keys: \(title)", in: box, on: &canvas)
        let inner = box.width - 4
        let room = box.height - 3
        for (index, line) in lines.prefix(room).enumerated() {
            let y = box.y + 1 + index
            let last = index == room - 1 && lines.count > room
            canvas.put(last ? canvas.glyphs.ellipsis : line.key, x: box.x + 2, y: y, limit: 9, style: .key)
            if !last {
                canvas.put(line.text, x: box.x + 12, y: y, limit: max(0, inner - 10), style: line.style)
            }
        }
        canvas.put("any key closes", x: box.x + 2, y: box.y + box.height - 2, limit: inner, style: .dim)
    }
}
