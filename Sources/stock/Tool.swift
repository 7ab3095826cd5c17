import Allocation
import Foundation

/// Runs one `stock` invocation: parses the words, finds the subcommand, loads the settings, runs it, and maps
/// every error to its exit status and a message on standard error.
///
/// The subcommands receive the tool itself: its arguments, environment and settings, and the means to open the
/// database.
struct Tool {
    /// What `stock --version` prints after the program's name.
    static let version = "1.0.0"

    let arguments: Arguments
    let environment: [String: String]
    /// The subcommand being run, whose declaration names the positional arguments (``positional(_:)``).
    let subcommand: Subcommand
    var settings = Settings()

    static func main(words: [String], environment: [String: String]) -> ExitStatus {
        do {
            let arguments = try Arguments(words)
            if arguments.flags.contains("--version") { return printOut("stock \(version)") }
            let subcommand = try Subcommand.chosen(by: arguments)
            if arguments.flags.contains("--help") { return printOut(Help.text(for: subcommand)) }
            try subcommand.check(arguments)
            var tool = Tool(arguments: arguments, environment: environment, subcommand: subcommand)
            try tool.loadSettings()
            return try subcommand.run(tool)
        } catch {
            let (status, message) = Tool.describe(error)
            printError(message)
            if let database = error as? DatabaseError, environment["STOCK_DEBUG"]?.isEmpty == false {
                printError(database.debugDetails)
            }
            return status
        }
    }

    /// The exit status and message for an error, by audience.
    static func describe(_ error: any Error) -> (ExitStatus, String) {
        let message =
            switch error {
            // The words on the command line are echoed as typed, but never a control character.
            case let usage as UsageError: TerminalText.sanitized(usage.message) + "\nRun 'stock --help' for usage."
            case let terminal as any TerminalProblem: terminal.description
            // A refusal may name a reference read from the database: shown as the listings show it.
            default: TerminalText.sanitized(operatorMessage(for: error))
            }
        return (ExitStatus(for: error), message)
    }

    mutating func loadSettings() throws {
        if let file = arguments.options["--settings"]
            ?? environment["STOCK_SETTINGS"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            settings = try Settings.load(file: file)
        }
        try settings.applyEnvironment(environment)
        settings.localZone = LocalZone.resolve(environment: environment)
        if let path = arguments.options["--db"] {
            guard !path.isEmpty else { throw UsageError(message: "--db needs a path") }
            settings.database = path
        }
        if let user = arguments.options["--user"].map(Validation.normalized) {
            try Validation.checkIdentifier(user, field: "--user")
            settings.user = user
        }
        if settings.database == nil { settings.database = Settings.defaultDatabasePath(environment: environment) }
        settings.colors = try ColorChoice(arguments: arguments).colors(
            setting: settings.colors, environment: environment, outputIsTerminal: isatty(STDOUT_FILENO) == 1)
    }

    var databasePath: String { settings.databasePath }

    /// The positional argument the subcommand declares as `name` (e.g. `REF`), nil when an optional one was left
    /// out. Read by name, so reordering a declaration cannot swap two arguments unseen.
    func positional(_ name: String) -> String? {
        guard let index = subcommand.positionals.firstIndex(of: name) else {
            preconditionFailure("\(subcommand.name) declares no positional \(name)")
        }
        return index < arguments.positionals.count ? arguments.positionals[index] : nil
    }

    /// The required positional argument declared as `name`; ``Subcommand/check(_:)`` has made sure it was given.
    func required(_ name: String) -> String {
        guard let value = positional(name) else {
            preconditionFailure("\(subcommand.name) ran without its required \(name)")
        }
        return value
    }

    /// What a bulk run stopped by a commit of unknown outcome (``DatabaseError/Kind/commitUnknown``) advises: the
    /// rows after the last committed one may or may not be stored.
    static let commitUnknownAdvice =
        "the rows after the last one committed may or may not have been applied: `stock events --since ID` lists "
        + "the events committed after event ID (the last one known), `stock history ORDERID` an order's; re-running "
        + "from the advised row is safe, as a command already applied is answered as already there"
}
