/// "Did you mean …?" for a mistyped word: a subcommand, an option, a SKU. One rule for the command line and the
/// console.
public enum Suggestion {
    /// `; did you mean NEAREST?` for the known word nearest to `word`, or nothing when none is near.
    ///
    /// Near means at most two edits away (a transposition counts as one), fewer than the word's length, or
    /// beginning with the word when it is three characters or more.
    public static func didYouMean(_ word: String, among known: [String]) -> String {
        nearest(to: word, among: known).map { "; did you mean \($0)?" } ?? ""
    }

    /// The known word nearest to `word` by ``didYouMean(_:among:)``'s rule; nil when none is near.
    public static func nearest(to word: String, among known: [String]) -> String? {
        let scored = known.map { (word: $0, distance: distance(word, $0)) }
            .filter { $0.distance <= 2 && $0.distance < word.count }
        if let best = scored.min(by: { $0.distance < $1.distance }) { return best.word }
        return word.count >= 3 ? known.first { $0.hasPrefix(word) } : nil
    }

    /// The optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
