import CWideChar

/// How many cells a character takes on the terminal: `wcwidth` (https://man7.org/linux/man-pages/man3/wcwidth.3.html)
/// under the current `LC_CTYPE`. It comes through a shim of the C library's own (Glibc does not declare it to Swift).
enum CellWidth {
    /// 2 for wide (CJK) characters, 1 for most, 0 for combining marks, -1 for what the locale cannot show.
    static func of(_ scalar: Unicode.Scalar) -> Int {
        Int(cw_wcwidth(wchar_t(bitPattern: scalar.value)))
    }
}
