import Allocation

/// `stock help --man`: the manual page stock(1) in roff (the `man` macros), made from the subcommand table, the
/// exit statuses and the settings' variables, so it says what `--help` says.
enum Manual {
    /// The page's one-line summary, after `stock \-` in NAME.
    static let summary = "stock allocation for a warehouse, in a terminal"

    /// Each exit status with what it means, as scripts test it.
    static let exitStatuses: [(ExitStatus, String)] = [
        (.done, "done as asked"),
        (.refused, "refused by a business rule (out of stock, an unknown SKU or batch, a duplicate reference)"),
        (.usage, "bad usage or malformed input (an unknown subcommand or option, a bad value, not a terminal)"),
        (.failure, "a database problem or a failed internal check"),
        (.waiting, "accepted, but a line waits for stock (a backorder)"),
    ]

    /// The environment variables stock reads itself, beyond the settings' own (listed after them).
    static let environment: [(String, String)] = [
        (
            "STOCK_DB",
            "the database when --db is not given: a SQLite file or a PostgreSQL server (the database setting)"
        ),
        ("STOCK_SETTINGS", "a JSON settings file when --settings is not given"),
        ("STOCK_USER", "the operator events record when --user is not given (the user setting)"),
        (
            "NO_COLOR",
            "any non-empty value turns the console's and the monitor's colours off, unless --color always is given"
        ),
        ("STOCK_ASSETS", "the folder holding stock's assets (demo/demo.jsonl), instead of where stock looks for it"),
        ("XDG_DATA_HOME", "the folder of the default databases, stock/stock.sqlite and stock/demo.sqlite in it"),
        ("TERM", "the terminal type; the console refuses one that cannot move the cursor, such as dumb"),
        ("TZ", "the zone times are shown in (with the time setting local)"),
        ("STOCK_DEBUG", "any non-empty value adds the database engine's own words to a database error"),
    ]

    static let files: [(String, String)] = [
        ("$XDG_DATA_HOME/stock/stock.sqlite", "the default database (~/.local/share/stock/stock.sqlite)"),
        ("$XDG_DATA_HOME/stock/demo.sqlite", "the demo database stock demo opens"),
        ("PREFIX/bin/stock", "the program, as stock install puts it"),
        ("PREFIX/share/stock/assets", "the demo data set, the CSV samples and the settings files"),
        ("PREFIX/share/man/man1/stock.1", "this page"),
    ]
    // The completion scripts are listed from ``Subcommand/Shell`` after these.

    /// The whole page, without its last newline.
    static var page: String {
        var roff = Roff()
        roff.macro(".TH STOCK 1 \"\" \"stock \(Tool.version)\" \"User Commands\"")
        // Ragged right, no hyphenation: JSON shapes and identifiers are neither stretched nor split at a hyphen.
        roff.macro(".ad l")
        roff.macro(".nh")
        roff.macro(".SH NAME")
        roff.text("stock - " + summary)

        roff.macro(".SH SYNOPSIS")
        let globals = Subcommand.global.filter { $0.value != nil }
        roff.line(
            ([Roff.bold("stock")] + globals.map { "[" + Roff.usage(of: $0) + "]" }
                + [Roff.italic("SUBCOMMAND"), "[" + Roff.italic("ARGUMENTS") + "]"]).joined(separator: " "))
        roff.macro(".br")
        roff.line(Roff.usage(of: Subcommand.console))

        roff.macro(".SH DESCRIPTION")
        let console = Subcommand.console
        roff.text(
            "stock keeps the batches of a warehouse, their ETAs and the order lines allocated to them, in a SQLite "
                + "file or on a PostgreSQL server. With no subcommand, it \(console.abstract) on the database; "
                + "stock monitor opens the read-only monitor.")
        roff.macro(".PP")
        roff.text(
            "Every subcommand takes the global options. stock help SUBCOMMAND, or --help after it, prints a "
                + "subcommand's help; stock completions prints a shell completion script.")
        for option in console.options { roff.option(option) }

        roff.macro(".SH COMMANDS")
        for subcommand in Subcommand.all {
            roff.macro(".TP")
            roff.line(Roff.usage(of: subcommand))
            roff.text(Roff.sentence(subcommand.abstract))
            roff.macro(".RS")
            roff.details(subcommand.details)
            for option in subcommand.options { roff.option(option) }
            roff.macro(".RE")
        }

        roff.macro(".SH GLOBAL OPTIONS")
        for option in Subcommand.global { roff.option(option) }

        roff.macro(".SH ENVIRONMENT")
        for (name, meaning) in environment { roff.entry(Roff.bold(Roff.escaped(name)), meaning) }
        for (variable, key) in Settings.environmentVariables
        where !environment.contains(where: { $0.0 == variable }) {
            roff.entry(Roff.bold(Roff.escaped(variable)), "overrides the \(key) setting")
        }

        roff.macro(".SH EXIT STATUS")
        for (status, meaning) in exitStatuses { roff.entry(Roff.bold(String(status.rawValue)), meaning) }
        roff.entry(
            Roff.bold("128+N"), "the console or the monitor stopped by signal N (SIGINT, SIGTERM, SIGHUP, SIGQUIT)")

        roff.macro(".SH FILES")
        for (path, meaning) in files { roff.entry(Roff.italic(path), meaning) }
        for shell in Subcommand.Shell.allCases {
            roff.entry(Roff.italic("PREFIX/" + shell.installedPath), "the \(shell.rawValue) completion script")
        }

        roff.macro(".SH SEE ALSO")
        roff.line(Roff.bold("sqlite3") + "(1), " + Roff.bold("psql") + "(1)")
        // Printing adds the last newline, as for every text stock prints.
        return String(roff.text.dropLast())
    }
}

/// roff text for the `man` macros, written a line at a time, with every character of stock's own text escaped.
struct Roff {
    private(set) var text = ""

    /// A request or macro line, written as given.
    mutating func macro(_ line: String) {
        text += line + "\n"
    }

    /// A text line already made of escaped pieces (``escaped(_:)``, ``bold(_:)``, ``italic(_:)``).
    mutating func line(_ line: String) {
        text += (line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" : "") + line + "\n"
    }

    /// Plain text, escaped; lines are filled by roff, so the text's own line breaks do not matter.
    mutating func text(_ plain: String) {
        line(Self.escaped(plain.split(separator: "\n").map { $0.trimmed }.joined(separator: " ")))
    }

    /// A tagged paragraph: `tag` (escaped pieces) above `meaning` (plain text), indented.
    mutating func entry(_ tag: String, _ meaning: String) {
        macro(".TP")
        line(tag)
        text(Self.sentence(meaning))
    }

    mutating func option(_ option: Subcommand.Option) {
        entry(Self.usage(of: option), option.about)
    }

    /// A subcommand's details: its paragraphs filled, and its lines indented by two spaces (commands to type)
    /// kept as they are, unfilled.
    mutating func details(_ details: String) {
        var prose: [String] = []
        func flush() {
            if !prose.isEmpty { text(prose.joined(separator: " ")) }
            prose = []
        }
        for line in details.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  ") {
                flush()
                macro(".nf")
                self.line("\\&" + Self.escaped(String(line)))
                macro(".fi")
            } else if line.trimmed.isEmpty {
                flush()
                macro(".PP")
            } else {
                prose.append(line.trimmed)
            }
        }
        flush()
    }

    /// `text` safe in a roff text line: backslashes and hyphens escaped (`\e`, `\-`), every character beyond
    /// ASCII as its `\[uXXXX]` name, so the page reads the same whatever the input encoding `man` assumes, and a
    /// break point (`\:`) after a comma with no space after it.
    static func escaped(_ text: String) -> String {
        var result = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : " "
            switch scalar {
            case "\\": result += "\\e"
            case "-": result += "\\-"
            // A place to break a long JSON shape at the end of a line, printing nothing.
            case "," where next != " ": result += ",\\:"
            // groff's ASCII output has no ellipsis; three full stops read the same everywhere.
            case "…": result += "..."
            case _ where scalar.value > 0x7E || scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func bold(_ plain: String) -> String { "\\fB" + escaped(plain) + "\\fR" }

    static func italic(_ plain: String) -> String { "\\fI" + escaped(plain) + "\\fR" }

    /// `--eta YYYY-MM-DD` with the name bold and the placeholder italic.
    static func usage(of option: Subcommand.Option) -> String {
        bold(option.name) + (option.value.map { " " + italic($0) } ?? "")
    }

    /// `stock add-batch REF SKU QTY [--eta YYYY-MM-DD]`, bold words, italic placeholders.
    static func usage(of subcommand: Subcommand) -> String {
        let required = subcommand.positionals.dropLast(subcommand.optional).map(italic)
        let optional = subcommand.positionals.suffix(subcommand.optional).map { "[" + italic($0) + "]" }
        let name = subcommand.name.isEmpty ? [] : [bold(subcommand.name)]
        let options = subcommand.options.map { "[" + usage(of: $0) + "]" }
        return ([bold("stock")] + name + required + optional + options).joined(separator: " ")
    }

    /// A phrase as a sentence: capitalised, ending with a full stop.
    static func sentence(_ phrase: String) -> String {
        guard let first = phrase.first else { return phrase }
        return first.uppercased() + phrase.dropFirst() + (phrase.hasSuffix(".") ? "" : ".")
    }
}

extension StringProtocol {
    fileprivate var trimmed: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
