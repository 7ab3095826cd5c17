import Allocation

/// The status `stock` exits with: what became of the invocation, as scripts test it.
struct ExitStatus: RawRepresentable, Equatable, Sendable {
    let rawValue: Int32

    init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Done as asked.
    static let done = ExitStatus(rawValue: 0)
    /// Refused by a business rule (out of stock, unknown SKU or batch, duplicate reference).
    static let refused = ExitStatus(rawValue: 1)
    /// Bad usage or malformed input.
    static let usage = ExitStatus(rawValue: 2)
    /// A database problem or a failed internal check.
    static let failure = ExitStatus(rawValue: 3)
    /// Accepted, but a line waits for stock: an allocation kept as a backorder, or a quantity change or receipt
    /// that left a line without a batch.
    static let waiting = ExitStatus(rawValue: 4)

    /// Done, or accepted with a line left waiting.
    init(for outcome: Outcome) {
        self = outcome.leftLinesWaiting ? .waiting : .done
    }

    /// The status for an error: usage and terminal problems are bad usage; the rest by what the core says it
    /// means (``ErrorMessages/meaning(of:)``).
    init(for error: any Error) {
        switch error {
        case is UsageError, is any TerminalProblem: self = .usage
        default:
            switch ErrorMessages.meaning(of: error) {
            case .refusal: self = .refused
            case .badInput: self = .usage
            case .failure: self = .failure
            }
        }
    }
}

/// A terminal the console cannot use (standard input not a terminal, an unknown terminal type): bad usage, shown
/// in its own words.
protocol TerminalProblem: Error, CustomStringConvertible {}
