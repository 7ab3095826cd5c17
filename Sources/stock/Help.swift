/// The help texts, made from the subcommands' declarations.
enum Help {
    /// `stock --help`, or a subcommand's help for `stock NAME --help`.
    static func text(for subcommand: Subcommand) -> String {
        subcommand.name.isEmpty ? general : subcommand.helpText
    }

    static var general: String {
        let console = Subcommand.console
        let consoleOptions = console.options.map { "\($0.usage): \($0.about)" }.joined(separator: "; ")
        let globals = Subcommand.global.filter { $0.value != nil }.map { "[\($0.usage)]" }.joined(separator: " ")
        return """
            stock: stock allocation for a warehouse, in a terminal.

            Usage: stock \(globals) [SUBCOMMAND] [ARGUMENTS]

            With no subcommand, \(console.abstract) (\(consoleOptions)).

            Subcommands:
            \(columns(Subcommand.all.map { (String($0.usage.dropFirst("stock ".count)), $0.abstract) }, width: 34))

            Options:
            \(columns(Subcommand.global.map { ($0.usage, $0.about) }, width: 17))

            Exit status: 0 done, 1 refused by a business rule, 2 bad usage or input, 3 database problem,
            4 accepted but a line waits for stock (a backorder).
            """
    }

    /// Two columns, the second starting `width` + 4 characters in; a longer first cell puts it on the next line.
    static func columns(_ rows: [(String, String)], width: Int) -> String {
        rows.map { left, right in
            let gap = left.count <= width ? String(repeating: " ", count: width + 2 - left.count) : "\n" + indent(width)
            return "  " + left + gap + right
        }.joined(separator: "\n")
    }

    private static func indent(_ width: Int) -> String {
        String(repeating: " ", count: width + 4)
    }
}

extension Subcommand {
    /// `Usage: …`, the details, and each option with what it does.
    var helpText: String {
        var text = "Usage: \(usage)\n\n\(details)"
        if !options.isEmpty {
            let width = options.map(\.usage.count).max() ?? 0
            text += "\n\nOptions:\n" + Help.columns(options.map { ($0.usage, $0.about) }, width: width)
        }
        return text
    }

    static let help = Subcommand(
        name: "help", positionals: ["SUBCOMMAND"], optional: 1,
        options: [
            .flag("--man", "print the manual page stock(1) as roff, which stock install puts where man finds it")
        ],
        abstract: "this text, or a subcommand's",
        details: """
            Prints the general help, or SUBCOMMAND's: its usage, what it does and its options. With --man, prints
            the manual page instead, made from the same declarations: man -l <(stock help --man) shows it.
            """
    ) { tool in
        if tool.arguments.flags.contains("--man") {
            if let topic = tool.positional("SUBCOMMAND") {
                throw UsageError(message: "help --man prints the whole manual page; it takes no SUBCOMMAND (\(topic))")
            }
            return printOut(Manual.page)
        }
        guard let topic = tool.positional("SUBCOMMAND") else { return printOut(Help.general) }
        return printOut(try Subcommand.named(topic).helpText)
    }
}
