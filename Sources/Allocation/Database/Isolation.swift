import Foundation

/// A server's transaction isolation for the writers' transactions, chosen by the `isolation` setting.
///
/// `read committed` (the default) with the product row locked by every command (``Product``'s `FOR UPDATE`)
/// makes two commands on one SKU take turns, as the version check demands, without failing; `repeatable read`
/// and `serializable` make the server refuse a transaction that read what a concurrent one changed (SQLSTATE
/// 40001), which the bus runs again. SQLite ignores the setting: its writers never run side by side.
public enum Isolation: String, CaseIterable, Sendable {
    case readCommitted = "read committed"
    case repeatableRead = "repeatable read"
    case serializable

    /// The words after `BEGIN ISOLATION LEVEL`.
    var keywords: String { rawValue.uppercased() }
}
