/// What an operator should read for an error, by audience, and the exit status a command line maps it to.
///
/// Every front end (command line, console forms) shows the same words for the same refusal.
public enum ErrorMessages {
    /// The exit status for an error: 1 refused by a business rule, 2 bad input, 3 database problem.
    public static func exitStatus(for error: any Error) -> Int32 {
        switch error {
        case is AllocationError: 1
        case let contract as ContractViolation: contract.kind == .precondition ? 2 : 3
        case is InputError, is SettingsError, is CSVError: 2
        default: 3
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
