import Allocation

/// `--color never|always|auto`: whether the console and the monitor draw in colour.
///
/// `never` and `always` decide alone, over `NO_COLOR` and the `colors` setting, as a command-line option
/// overrides the environment. `auto`, the default, colours only when standard output is a terminal whose
/// `TERM` is not `dumb`, `NO_COLOR` is unset or empty, and the `colors` setting is true. The listings print no
/// colour at all, so for them the option changes nothing.
enum ColorChoice: String, CaseIterable, Sendable {
    case never, always, auto

    static let option = Subcommand.Option.valued(
        "--color", allCases.map(\.rawValue).joined(separator: "|"),
        "colours in the console and the monitor: never, always, or auto (the default: on a terminal, unless "
            + "$NO_COLOR is not empty or the colors setting is false)")

    /// The choice `--color` names, `auto` without it.
    ///
    /// - Throws: `UsageError` naming the value and the three accepted.
    init(arguments: Arguments) throws {
        guard let given = arguments.options[Self.option.name] else {
            self = .auto
            return
        }
        guard let choice = ColorChoice(rawValue: given) else {
            throw UsageError(
                message: "--color must be never, always or auto, got \(Validation.shown(given))")
        }
        self = choice
    }

    /// Whether to colour, given the `colors` setting, the environment and whether standard output is a terminal.
    func colors(setting: Bool, environment: [String: String], outputIsTerminal: Bool) -> Bool {
        switch self {
        case .never: false
        case .always: true
        case .auto:
            setting && outputIsTerminal && environment["TERM"] != "dumb"
                && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }
}
