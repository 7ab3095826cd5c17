/// A broken contract: a precondition on the values a rule is given, or a postcondition on what it produced.
///
/// Preconditions guard operator input and are refused as bad input; a failed postcondition is a defect in the
/// rules and rolls the transaction back.
public struct ContractViolation: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable { case precondition, postcondition }
    public let kind: Kind
    public let message: String

    public var description: String { message }
}

/// Checks a precondition.
///
/// - Throws: `ContractViolation` with `message` when `condition` is false.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) throws {
    if !condition() { throw ContractViolation(kind: .precondition, message: message()) }
}

/// Checks a postcondition.
///
/// - Throws: `ContractViolation` with `message` when `condition` is false.
func ensure(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) throws {
    if !condition() { throw ContractViolation(kind: .postcondition, message: "postcondition failed: " + message()) }
}
