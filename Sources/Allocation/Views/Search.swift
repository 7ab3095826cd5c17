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
    ///
    /// Plain loops over pointers, as SQL calls this once per row and column: a filter over 100,000 batches.
    func matches(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !needle.isEmpty, let base = text.baseAddress else { return false }
        var index = 0
        while index < text.count, base[index] < 0x80 { index += 1 }
        if index == text.count {
            return needle.withUnsafeBufferPointer { Search.contains($0, in: text, foldingASCII: true) }
        }
        let folded = Array(Search.fold(String(decoding: text, as: UTF8.self)).utf8)
        return folded.withUnsafeBufferPointer { bytes in
            needle.withUnsafeBufferPointer { Search.contains($0, in: bytes, foldingASCII: false) }
        }
    }

    /// Whether `needle` occurs in `bytes`, each byte of `bytes` lowercased first when `foldingASCII`.
    private static func contains(
        _ needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, foldingASCII: Bool
    ) -> Bool {
        guard let text = bytes.baseAddress, let wanted = needle.baseAddress, bytes.count >= needle.count else {
            return false
        }
        var start = 0
        while start <= bytes.count - needle.count {
            var offset = 0
            while offset < needle.count {
                var byte = text[start + offset]
                if foldingASCII, byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
                if byte != wanted[offset] { break }
                offset += 1
            }
            if offset == needle.count { return true }
            start += 1
        }
        return false
    }
}
