import Allocation

/// Text from the database made safe and measurable for a cell grid.
///
/// The characters the core refuses in references, SKUs and order ids (``Validation/isControl(_:)``: C0, DEL, C1,
/// U+2028/9, bidi marks, overrides and isolates, the BOM) are replaced by a visible mark, so no escape sequence
/// reaches the terminal even from text that reached the database another way. Widths come from
/// ``CellWidth`` (`wcwidth` under the current `LC_CTYPE`): wide CJK characters take 2 cells, combining marks 0.
enum DisplayText {
    /// The grapheme clusters of `text` with their widths in cells (1 or 2), unsafe ones replaced.
    static func clusters(_ text: String, replacement: String) -> [(text: String, width: Int)] {
        text.map { character in
            let width = width(of: character)
            return (width == 0 ? replacement : String(character), max(1, width))
        }
    }

    /// The cells a grapheme cluster takes (1 or 2), or 0 when it must be shown as a replacement mark (1 cell):
    /// an unsafe character, or a lone combining mark (or a character the locale cannot show) that would merge
    /// into its neighbour. "\r\n" is one cluster: one mark for it is enough to show something was there.
    static func width(of character: Character) -> Int {
        if character.unicodeScalars.contains(where: Validation.isControl) { return 0 }
        let widths = character.unicodeScalars.map { CellWidth.of($0) }
        guard let first = widths.first, first > 0 else { return 0 }
        return min(2, max(1, widths.reduce(0) { $0 + max(0, $1) }))
    }

    /// The width of `text` in cells once sanitized.
    static func width(_ text: String) -> Int {
        text.reduce(0) { $0 + max(1, width(of: $1)) }
    }

    /// The end of `text` that fits in `room` cells: all of it when it fits, else `ellipsis` (one cell) and as
    /// many of the last clusters as fit after it. Linear in the length of `text`, as it runs on every frame of
    /// a form whose field may hold a long paste.
    static func tail(_ text: String, room: Int, ellipsis: String) -> String {
        guard room > 0 else { return "" }
        var used = 0
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text.index(before: start)
            let cells = max(1, width(of: text[previous]))
            guard used + cells <= room else { break }
            used += cells
            start = previous
        }
        guard start > text.startIndex else { return text }
        while used > room - 1, start < text.endIndex {
            used -= max(1, width(of: text[start]))
            start = text.index(after: start)
        }
        return ellipsis + text[start...]
    }

    /// `text` broken at spaces into lines of at most `width` cells (a longer word is left for the canvas to cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty, DisplayText.width(candidate) > width {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        return lines + [line]
    }
}
