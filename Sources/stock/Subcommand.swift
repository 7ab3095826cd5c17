import Allocation

/// One `stock` subcommand: the arguments it declares, its help and what it runs.
///
/// The declarations are the one source for parsing (which options take a value), for refusing undeclared
/// options and a wrong number of arguments, and for every usage line in the help, so these cannot disagree.
struct Subcommand: Sendable {
    /// An option: `--name VALUE` when it has a value placeholder, else a flag `--name`.
    struct Option: Sendable {
        let name: String
        let value: String?
        let about: String
        /// Whether the usage line shows it; every option is in the help's list of options either way.
        var inUsage = true

        static func valued(_ name: String, _ value: String, _ about: String) -> Option {
            Option(name: name, value: value, about: about)
        }

        static func flag(_ name: String, _ about: String) -> Option {
            Option(name: name, value: nil, about: about)
        }

        var usage: String { value.map { "\(name) \($0)" } ?? name }

        /// The option, left out of the usage line (which must fit a manual page's line) but listed in the help.
        var outOfUsage: Option {
            var option = self
            option.inUsage = false
            return option
        }
    }

    /// The word after `stock`; empty for the console, which runs when no subcommand is given.
    let name: String
    /// The names of the positional arguments, in order; the last `optional` of them may be left out.
    var positionals: [String] = []
    var optional = 0
    var options: [Option] = []
    /// One line for the list of subcommands, e.g. `add a batch of stock`.
    let abstract: String
    /// The paragraphs of the subcommand's own help, under its usage line.
    let details: String
    let run: @Sendable (Tool) throws -> ExitStatus

    /// Every subcommand, in the order the help lists them.
    static let all: [Subcommand] = [
        .initialize, .addBatch, .allocate, .promise, .deallocate, .changeQuantity, .receive, .unreceive, .changeEta,
        .ship,
        .move, .allocateWaiting, .cancel, .changeLine, .voidBatch, .replan, .batches, .order, .allocations, .backorders,
        .atRisk, .projection, .history, .events,
        .importCSV, .export, .copy,
        .apply,
        .monitor,
        .demo,
        .install,
        .completions,
        .help,
    ]

    /// Options every subcommand takes.
    static let global: [Option] = [
        .valued(
            "--db", "PATH",
            "the database: a SQLite file, or a PostgreSQL server as a postgresql:// URL or libpq's host=… string, "
                + "several hosts allowed (default $STOCK_DB, else $XDG_DATA_HOME/stock/stock.sqlite)"),
        .valued("--settings", "FILE", "a JSON settings file (default $STOCK_SETTINGS, else built-in settings)"),
        .valued("--user", "NAME", "the operator events record (default $STOCK_USER, else the system's user)"),
        ColorChoice.option,
        .flag("--help", "this text, or with a subcommand its help (also -h)"),
        .flag("--version", "print the version and exit"),
    ]

    private static var everyOption: [Option] {
        global + ([console] + all).flatMap(\.options)
    }

    /// The options that take a value, for any subcommand.
    static let valuedOptions = Set(everyOption.filter { $0.value != nil }.map(\.name))

    /// The options that take no value, for any subcommand.
    static let flags = Set(everyOption.filter { $0.value == nil }.map(\.name))

    /// `stock add-batch REF SKU QTY [--eta YYYY-MM-DD]`, from the declared arguments.
    var usage: String {
        let required = positionals.dropLast(optional)
        let words = ["stock"] + (name.isEmpty ? [] : [name]) + required + positionals.suffix(optional).map { "[\($0)]" }
        return (words + options.filter(\.inUsage).map { "[\($0.usage)]" }).joined(separator: " ")
    }

    /// The subcommand the arguments name, the console when they name none.
    ///
    /// For an unknown subcommand an unknown option is reported first: a mistyped `--dbb PATH` makes PATH look
    /// like the subcommand.
    static func chosen(by arguments: Arguments) throws -> Subcommand {
        guard let name = arguments.subcommand else { return console }
        let known = everyOption.map(\.name)
        if !(all + hidden).contains(where: { $0.name == name }),
            let unknown = arguments.optionNames.first(where: { !known.contains($0) })
        {
            throw UsageError(message: "unknown option \(unknown)" + Suggestion.didYouMean(unknown, among: known))
        }
        return try named(name)
    }

    /// The subcommand named `name`.
    ///
    /// - Throws: `UsageError` naming the unknown subcommand and the nearest known one.
    static func named(_ name: String) throws -> Subcommand {
        if let found = (all + hidden).first(where: { $0.name == name }) { return found }
        throw UsageError(
            message: "unknown subcommand \(name)" + Suggestion.didYouMean(name, among: all.map(\.name)))
    }

    /// Refuses options the subcommand does not declare and the wrong number of positionals.
    func check(_ arguments: Arguments) throws {
        let known = (Subcommand.global + options).map(\.name)
        let caller = name.isEmpty ? "stock" : name
        for option in arguments.optionNames where !known.contains(option) {
            throw UsageError(
                message: "\(caller) does not take option \(option)" + Suggestion.didYouMean(option, among: known))
        }
        let given = arguments.positionals
        if given.count < positionals.count - optional {
            throw UsageError(message: "\(caller) needs \(positionals[given.count])")
        }
        if given.count > positionals.count {
            throw UsageError(message: "\(caller) got an unexpected argument \(given[positionals.count])")
        }
    }
}
