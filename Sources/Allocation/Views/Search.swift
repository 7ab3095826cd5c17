/// The one search rule of the board's search, its filter and the allocations filter, in Swift and in SQL alike:
/// the folded text contains the folded needle, byte for byte in UTF-8.
///
/// Folding is Swift's full Unicode lowercase mapping, so `/brass` finds `BRASS-LAMP` and `/ÉCLAIR` finds
/// `éclair-box`. SQLite's `lower()` folds ASCII only, so SQL calls this rule through the function
/// `stock_contains(text, needle)` that every connection registers (``Database/containsFunction``).
public struct Search: Sendable {
    /// The needle's UTF-8 bytes, folded once.
    let needle: [UInt8]

    public init(_ text: String) {
        needle = Array(Search.fold(text).utf8)
    }

    /// The search for UTF-8 bytes (invalid sequences read as U+FFFD).
    init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    /// Text as the search compares it.
    static func fold(_ text: String) -> String {
        text.lowercased()
    }

    /// Whether `text` contains the needle once both are folded; the empty needle matches nothing.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(utf8: $0) }
    }

    /// ``matches(_:)`` on UTF-8 bytes: ASCII text is folded byte by byte without copying, as Swift folds it.
    func matches(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !needle.isEmpty else { return false }
        if text.allSatisfy({ $0 < 0x80 }) {
            return Search.contains(needle, in: text) { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
        let folded = Array(Search.fold(String(decoding: text, as: UTF8.self)).utf8)
        return folded.withUnsafeBufferPointer { Search.contains(needle, in: $0) { $0 } }
    }

    /// Whether `needle` occurs in `bytes` mapped by `fold`.
    private static func contains(
        _ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, fold: (UInt8) -> UInt8
    ) -> Bool {
        guard bytes.count >= needle.count else { return false }
        for start in 0...(bytes.count - needle.count)
        where needle.indices.allSatisfy({ fold(bytes[start + $0]) == needle[$0] }) {
            return true
        }
        return false
    }
}
