/// A framed panel drawn over the screen, for forms and the help overlay.
enum Box {
    /// Clears `area` and draws its frame with `title` in the top edge.
    static func draw(_ title: String, in area: Area, on canvas: inout Canvas) {
        let glyphs = canvas.glyphs
        for row in area.y..<(area.y + max(0, area.height)) {
            canvas.fill(x: area.x, y: row, count: area.width, style: .normal)
        }
        let inner = max(0, area.width - 2)
        canvas.put(glyphs.cornerTopLeft, x: area.x, y: area.y, style: .border)
        canvas.fill(x: area.x + 1, y: area.y, count: inner, style: .border, text: glyphs.horizontal)
        canvas.put(glyphs.cornerTopRight, x: area.x + area.width - 1, y: area.y, style: .border)
        canvas.put(" \(title) ", x: area.x + 2, y: area.y, limit: max(0, inner - 2), style: .title)
        for row in (area.y + 1)..<max(area.y + 1, area.y + area.height - 1) {
            canvas.put(glyphs.vertical, x: area.x, y: row, style: .border)
            canvas.put(glyphs.vertical, x: area.x + area.width - 1, y: row, style: .border)
        }
        let bottom = area.y + area.height - 1
        canvas.put(glyphs.cornerBottomLeft, x: area.x, y: bottom, style: .border)
        canvas.fill(x: area.x + 1, y: bottom, count: inner, style: .border, text: glyphs.horizontal)
        canvas.put(glyphs.cornerBottomRight, x: area.x + area.width - 1, y: bottom, style: .border)
    }

    /// The fewest lines a box with content is drawn in: its frame, one line and the footer.
    static let minimumHeight = 4

    /// Said on the first line of `area` instead of a box that does not fit in it.
    static func notice(_ text: String, in area: Area, on canvas: inout Canvas) {
        canvas.fill(x: area.x, y: area.y, count: area.width, style: .error)
        canvas.put(text, x: area.x, y: area.y, limit: area.width, style: .error)
    }

    /// A box of `width` × `height` centred in `area`, shrunk to fit.
    static func centred(width: Int, height: Int, in area: Area) -> Area {
        let w = min(width, area.width)
        let h = min(height, area.height)
        return Area(x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h)
    }
}
