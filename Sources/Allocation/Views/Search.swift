/// The board's search rule, the one both the highlight on screen and ``Views/nextBatch(containing:after:forward:in:)``
/// apply: the folded text contains the folded needle.
///
/// Folding is Swift's full Unicode lowercase mapping, so `/brass` finds `BRASS-LAMP` and `/ÉCLAIR` finds
/// `éclair-box`; SQLite's `lower()` folds ASCII only, so the rule runs in Swift on rows read in board order.
public struct Search: Sendable {
    /// The needle, folded once.
    let needle: String
    /// The needle's bytes when it is ASCII, for the fast path of ``matches(_:)``.
    private let asciiNeedle: [UInt8]?

    public init(_ text: String) {
        needle = Search.fold(text)
        asciiNeedle = needle.isEmpty || !needle.utf8.allSatisfy(Search.isASCII) ? nil : Array(needle.utf8)
    }

    /// Text as the search compares it.
    static func fold(_ text: String) -> String {
        text.lowercased()
    }

    /// Whether `text` contains the needle once both are folded; the empty needle matches nothing.
    public func matches(_ text: String) -> Bool {
        if let asciiNeedle, let found = Search.asciiContains(asciiNeedle, in: text) { return found }
        return Search.fold(text).contains(needle)
    }

    /// Whether a byte is ASCII, which folding maps byte for byte.
    private static func isASCII(_ byte: UInt8) -> Bool {
        byte < 0x80
    }

    /// The same answer as the general rule, byte by byte without copying, or nil when `text` is not ASCII.
    private static func asciiContains(_ needle: [UInt8], in text: String) -> Bool? {
        var text = text
        return text.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy(isASCII) else { return nil }
            guard bytes.count >= needle.count else { return false }
            let folded = { (byte: UInt8) in byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
            for start in 0...(bytes.count - needle.count)
            where needle.indices.allSatisfy({ folded(bytes[start + $0]) == needle[$0] }) {
                return true
            }
            return false
        }
    }
}
