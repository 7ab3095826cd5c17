import CNcurses

/// Text from the database made safe and measurable for a cell grid.
///
/// Control characters and the characters that reorder or break lines (C0, DEL, C1, U+2028/9, bidi overrides and
/// isolates) are replaced by a visible mark, so no escape sequence reaches the terminal. Widths come from
/// `wcwidth` (https://man7.org/linux/man-pages/man3/wcwidth.3.html) under the current `LC_CTYPE`: wide CJK
/// characters take 2 cells, combining marks 0.
enum DisplayText {
    /// Whether a scalar must never be written to the terminal as is.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F, 0x80...0x9F: true
        case 0x2028, 0x2029: true
        case 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The grapheme clusters of `text` with their widths in cells (1 or 2), unsafe ones replaced.
    static func clusters(_ text: String, replacement: String) -> [(text: String, width: Int)] {
        var result: [(String, Int)] = []
        for character in text {
            if character.unicodeScalars.contains(where: isUnsafe) {
                // "\r\n" is one cluster: one mark for it is enough to show something was there.
                result.append((replacement, 1))
                continue
            }
            let widths = character.unicodeScalars.map { Int(cn_wcwidth(wchar_t(bitPattern: $0.value))) }
            guard let first = widths.first, first > 0 else {
                // A lone combining mark (or a character the locale cannot show) would merge into its neighbour.
                result.append((replacement, 1))
                continue
            }
            result.append((String(character), min(2, max(1, widths.reduce(0) { $0 + max(0, $1) }))))
        }
        return result
    }

    /// The width of `text` in cells once sanitized.
    static func width(_ text: String) -> Int {
        clusters(text, replacement: "?").reduce(0) { $0 + $1.width }
    }
}
