/// What one kind of connection does differently from another, asked by callers instead of the engine's name.
///
/// Every difference the rest of the program needs to know is a field here, so a new kind of connection is a new
/// value (and its conformance to ``Connection``), not a new branch in each caller.
public struct EngineFeatures: Sendable {
    /// How a program notices that the database it opened is gone.
    public enum LossDetection: Sendable {
        /// Watch the path (``FileWatch``): the file can be removed or replaced under the program.
        case fileWatch
        /// The connection breaks; open a new session at the same address.
        case reconnect
    }

    /// How the events one reads in commit order: by id, or by transaction where ids are taken at insert time and
    /// transactions commit in any order (``EventFollower``).
    enum CommitOrder: Sendable {
        /// One writer commits at a time, so ids grow in commit order.
        case byID
        /// Transactions commit side by side: the expressions that read the events by transaction.
        case byTransaction(TransactionOrder)
    }

    /// The SQL pieces that read events in the order their transactions finished.
    struct TransactionOrder: Sendable {
        /// A query of one row, one text column: the oldest transaction still running (the horizon).
        let horizonSQL: String
        /// The `events` column holding the transaction's id, as text under a name of its own: named `tx`, it
        /// would be what an `ORDER BY tx` sorts, as text, putting `1000` before `999`.
        let transactionText: String
        /// A placeholder for a transaction id given as text, comparable with the column `tx`.
        let transactionPlaceholder: String
        /// A condition true for the transactions older than every one still running; as a column, it reads `t` or
        /// `f`.
        let finishedCondition: String
    }

    /// The engine's name as messages and the bench print it.
    public let name: String
    public let lossDetection: LossDetection
    /// Whether writers' transactions run side by side, so that one may be refused for what another changed and
    /// run again; where they take turns, a refusal is final.
    let writersRunSideBySide: Bool
    /// The clause after a `SELECT` that locks the rows it read until the transaction ends, and the same refusing
    /// at once instead of waiting; empty where the transaction's write lock already keeps other writers out.
    let rowLockClause: String
    let rowLockNowClause: String
    let commitOrder: CommitOrder
    /// Whether the engine holds its data in a file at the path (and the files whose names add these suffixes).
    public let sideFileSuffixes: [String]?
    /// The collation named after a text column to order it by its bytes; nil where that is the default.
    let byteOrderCollation: String?

    /// Whether ids grow in commit order, so the newest events page holds every event committed after an id.
    public var commitsInIDOrder: Bool {
        if case .byID = commitOrder { return true }
        return false
    }

    /// `column` as an `ORDER BY` or comparison term that orders text by its bytes.
    func byteOrdered(_ column: String) -> String {
        byteOrderCollation.map { "\(column) COLLATE \($0)" } ?? column
    }
}

/// A lock a `SELECT` takes on the rows it reads (``EngineFeatures/rowLockClause``).
enum RowLock: Sendable {
    case none
    /// Wait for another transaction holding the row.
    case wait
    /// Refuse at once when another transaction holds the row.
    case now
}
