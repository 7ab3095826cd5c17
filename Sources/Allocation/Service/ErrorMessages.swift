/// What an operator should read for an error, and what the error means to whoever ran the command, which a front
/// end maps to its own way of ending (the command line to its exit status).
///
/// Every front end (command line, console forms) shows the same words for the same refusal.
public enum ErrorMessages {
    /// What an error means to whoever ran the command.
    public enum Meaning: Sendable, Equatable {
        /// A business rule refused the command (out of stock, unknown SKU or batch, duplicate reference).
        case refusal
        /// The command or its input was malformed: a broken precondition, a bad file or setting.
        case badInput
        /// The database failed, or a check the program makes of itself (a postcondition).
        case failure
    }

    /// What `error` means: a business refusal, bad input, or a failure.
    public static func meaning(of error: any Error) -> Meaning {
        switch error {
        case is AllocationError: .refusal
        case let contract as ContractViolation: contract.kind == .precondition ? .badInput : .failure
        case is InputError, is SettingsError, is CSVError: .badInput
        default: .failure
        }
    }
}

/// The message an operator sees for an error: the core's own wording, naming the offending value.
public func operatorMessage(for error: any Error) -> String {
    switch error {
    case let refusal as AllocationError: refusal.description
    case let contract as ContractViolation: contract.message
    case let input as InputError: input.message
    case let csv as CSVError: csv.description
    case let settings as SettingsError: settings.message
    case let database as DatabaseError: database.description
    case let stale as ConcurrentUpdate: stale.description
    default: "\(error)"
    }
}
