/// Text from the database made safe and measurable for a terminal: the console's cell grid and the command
/// line's tables sanitize and measure it by the same rules.
///
/// The characters the core refuses in references, SKUs and order ids (``Validation/isControl(_:)``: C0, DEL, C1,
/// U+2028/9, bidi marks, overrides and isolates, the BOM) are replaced by a visible mark, so no escape sequence
/// reaches the terminal even from text that reached the database another way. Widths come from `wcwidth` under
/// the current `LC_CTYPE`: wide CJK characters take 2 cells, combining marks 0.
public enum TerminalText {
    /// `text` with every control character, escape sequence and text-direction mark replaced by `replacement`.
    /// Printable ASCII, the common case, is returned as it is: each of its bytes is a cluster of its own that
    /// ``clusters(_:replacement:)`` keeps (``sanitizedByClusters(_:replacement:)`` is that general path).
    public static func sanitized(_ text: String, replacement: String = "?") -> String {
        isPrintableASCII(text) ? text : sanitizedByClusters(text, replacement: replacement)
    }

    /// ``sanitized(_:replacement:)`` cluster by cluster, without its fast path.
    static func sanitizedByClusters(_ text: String, replacement: String) -> String {
        clusters(text, replacement: replacement).map(\.text).joined()
    }

    /// The grapheme clusters of `text` with their widths in cells (1 or 2), unsafe ones replaced.
    public static func clusters(_ text: String, replacement: String) -> [(text: String, width: Int)] {
        if isPrintableASCII(text) { return text.utf8.map { (String(UnicodeScalar($0)), 1) } }
        return text.map { character in
            let width = width(of: character)
            return (width == 0 ? replacement : String(character), max(1, width))
        }
    }

    /// The cells a grapheme cluster takes (1 or 2), or 0 when it must be shown as a replacement mark (1 cell):
    /// an unsafe character, or a lone combining mark (or a character the locale cannot show) that would merge
    /// into its neighbour. "\r\n" is one cluster: one mark for it is enough to show something was there.
    static func width(of character: Character) -> Int {
        var cells = 0
        for (index, scalar) in character.unicodeScalars.enumerated() {
            guard !Validation.isControl(scalar) else { return 0 }
            let width = CellWidth.of(scalar)
            guard index > 0 || width > 0 else { return 0 }
            cells += max(0, width)
        }
        return min(2, max(1, cells))
    }

    /// How many terminal cells `text` takes once sanitized (CJK characters two, combining marks none).
    public static func width(_ text: String) -> Int {
        isPrintableASCII(text) ? text.utf8.count : text.reduce(0) { $0 + max(1, width(of: $1)) }
    }

    /// Whether `text` is only printable ASCII (space to `~`), one cell per byte with nothing to replace: most of
    /// what a frame draws, measured without looking at grapheme clusters or the locale.
    static func isPrintableASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isPrintableASCII) ?? text.utf8.allSatisfy(isPrintableASCII)
    }

    /// ``isPrintableASCII(_:)`` for text in place: `sanitized` gives it back unchanged, and its width is its length.
    public static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for byte in bytes where !isPrintableASCII(byte) { return false }
        return true
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool {
        byte >= 0x20 && byte < 0x7F
    }

    /// The end of `text` that fits in `room` cells: all of it when it fits, else `ellipsis` (one cell) and as
    /// many of the last clusters as fit after it. Linear in the length of `text`, as it runs on every frame of
    /// a form whose field may hold a long paste.
    public static func tail(_ text: String, room: Int, ellipsis: String) -> String {
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
    public static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if !line.isEmpty, TerminalText.width(candidate) > width {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        return lines + [line]
    }
}
