import Allocation

/// How a cell looks, by meaning; ``Terminal`` turns each style into colours and attributes.
enum Style: Hashable, Sendable {
    case normal, title, tab, activeTab, header, group, selected
    case inStock, arriving, late, empty
    case alert, dim, key, error, ok, border, match, input
}

/// One cell of the screen: a grapheme cluster and its style. A wide character fills its cell and the next,
/// whose `text` is empty.
struct Cell: Equatable, Sendable {
    var text: String
    var style: Style

    static let blank = Cell(text: " ", style: .normal)
}

/// A grid of cells that screens render into: the pure output of a frame, drawn by ``Terminal`` or read by tests.
struct Canvas: Sendable {
    let width: Int
    let height: Int
    let glyphs: Glyphs
    private(set) var cells: [Cell]

    init(width: Int, height: Int, glyphs: Glyphs = .unicode) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    subscript(x x: Int, y y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` sanitized at (`x`, `y`) within `limit` cells (to the right edge when nil), cut with an
    /// ellipsis when it does not fit; returns the cells written. Nothing is ever written past `x + limit`.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, style: Style = .normal) -> Int {
        guard y >= 0, y < height, x >= 0, x < width else { return 0 }
        let room = min(limit ?? (width - x), width - x)
        guard room > 0 else { return 0 }
        var clusters = TerminalText.clusters(text, replacement: glyphs.replacement)
        let total = clusters.reduce(0) { $0 + $1.width }
        if total > room {
            var used = 0
            var kept: [(text: String, width: Int)] = []
            for cluster in clusters {
                if used + cluster.width > room - 1 { break }
                kept.append(cluster)
                used += cluster.width
            }
            kept.append((glyphs.ellipsis, 1))
            clusters = kept
        }
        var column = x
        for cluster in clusters {
            set(x: column, y: y, Cell(text: cluster.text, style: style))
            if cluster.width == 2 { set(x: column + 1, y: y, Cell(text: "", style: style)) }
            column += cluster.width
        }
        return column - x
    }

    /// Writes `text` right-aligned so it ends at `x + limit`.
    mutating func putRight(_ text: String, x: Int, y: Int, limit: Int, style: Style = .normal) {
        let width = min(TerminalText.width(text), limit)
        put(text, x: x + limit - width, y: y, limit: limit, style: style)
    }

    /// Fills `count` cells from (`x`, `y`) with spaces (or `text`, one cell wide) in `style`.
    mutating func fill(x: Int, y: Int, count: Int, style: Style = .normal, text: String = " ") {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) {
            set(x: column, y: y, Cell(text: text, style: style))
        }
    }

    /// Gives `count` cells from (`x`, `y`) a new style, keeping their text.
    mutating func restyle(x: Int, y: Int, count: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<max(max(0, x), min(width, x + count)) {
            cells[y * width + column].style = style
        }
    }

    /// Sets one cell, blanking the other half of a wide character it overwrites.
    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        if cells[index].text.isEmpty, x > 0 { cells[index - 1].text = " " }
        if x + 1 < width, cells[index + 1].text.isEmpty, !cells[index].text.isEmpty { cells[index + 1].text = " " }
        cells[index] = cell
    }

    /// The text of row `y`, with trailing spaces trimmed (as `tmux capture-pane` shows it).
    func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width { text += self[x: x, y: y].text }
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }

    /// Every row's text, one a line.
    var text: String {
        (0..<height).map(line).joined(separator: "\n")
    }
}
