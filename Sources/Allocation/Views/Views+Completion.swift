/// The words a shell completes an argument with: SKUs, batch references and order ids that start with what was
/// typed, read through each one's index.
extension Views {
    /// What a completed argument names.
    public enum CompletionWords: String, CaseIterable, Sendable {
        case sku, batch, order
    }

    /// Up to `limit` distinct words of `kind` starting with `prefix`, in byte order.
    ///
    /// The query starts at `prefix` in the unique index (text columns compare by their bytes on either engine)
    /// and reads at most `limit` rows, so its cost does not grow with the table; rows past the words that start
    /// with `prefix` end the list.
    public static func completionWords(
        _ kind: CompletionWords, prefix: String, limit: Int, in db: Database
    ) throws -> [String] {
        let sql =
            switch kind {
            case .sku: "SELECT sku FROM products WHERE sku >= ? ORDER BY sku LIMIT ?"
            case .batch: "SELECT reference FROM batches WHERE reference >= ? ORDER BY reference LIMIT ?"
            case .order:
                "SELECT DISTINCT orderid FROM order_lines WHERE orderid >= ? ORDER BY orderid LIMIT ?"
            }
        let words = try db.query(sql, arguments: [prefix.sqlValue, limit.sqlValue]) { $0.text(0) }
        return Array(words.prefix { $0.utf8.starts(with: prefix.utf8) })
    }
}
