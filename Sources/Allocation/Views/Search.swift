/// The board's search rule, the one both the highlight on screen and ``Views/nextBatch(containing:after:forward:in:)``
/// apply: the folded text contains the folded needle.
///
/// Folding is Swift's full Unicode lowercase mapping, so `/brass` finds `BRASS-LAMP` and `/ÉCLAIR` finds
/// `éclair-box`; SQLite's `lower()` folds ASCII only, so the rule runs in Swift on rows read in board order.
public struct Search: Sendable {
    /// The needle, folded once.
    public let needle: String

    public init(_ text: String) {
        needle = Search.fold(text)
    }

    /// Text as the search compares it.
    public static func fold(_ text: String) -> String {
        text.lowercased()
    }

    /// Whether `text` contains the needle once both are folded; every text contains the empty needle.
    public func matches(_ text: String) -> Bool {
        Search.fold(text).contains(needle)
    }
}
