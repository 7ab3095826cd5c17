import Synchronization

/// A value bound to a `?` placeholder: the schema stores whole numbers and text only.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension Int: SQLBindable {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}

extension Int64: SQLBindable {
    public var sqlValue: SQLValue { .integer(self) }
}

extension String: SQLBindable {
    public var sqlValue: SQLValue { .text(self) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue {
        switch self {
        case .none: .null
        case .some(let value): value.sqlValue
        }
    }
}

extension SQLValue: SQLBindable {
    public var sqlValue: SQLValue { self }
}

/// The text of a statement run on the hot path, kept in a `static let`: each object gets a number of its own, never
/// given to another, and a connection finds its prepared statement at that index instead of hashing the text.
final class SQL: Sendable {
    let text: String
    /// The lock a `SELECT` takes on the rows it reads; the connection adds its clause (``EngineFeatures``).
    let rowLock: RowLock
    let number: Int

    init(_ text: String, locking rowLock: RowLock = .none) {
        self.text = text
        self.rowLock = rowLock
        number = nextSQLNumber.add(1, ordering: .relaxed).newValue - 1
    }
}

private let nextSQLNumber = Atomic<Int>(0)
