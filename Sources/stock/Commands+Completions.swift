import Allocation
import Foundation

extension Subcommand {
    /// The shells `stock completions` writes a script for, as its argument names them.
    enum Shell: String, CaseIterable {
        case bash, zsh, fish

        /// The script, made from the subcommand table.
        var script: String {
            switch self {
            case .bash: BashCompletion.script
            case .zsh: ZshCompletion.script
            case .fish: FishCompletion.script
            }
        }

        /// Where `stock install` puts the script under its prefix, where each shell looks for it.
        var installedPath: String {
            switch self {
            case .bash: "share/bash-completion/completions/stock"
            case .zsh: "share/zsh/site-functions/_stock"
            case .fish: "share/fish/vendor_completions.d/stock.fish"
            }
        }
    }

    static let completions = Subcommand(
        name: "completions", positionals: [Shell.allCases.map(\.rawValue).joined(separator: "|")],
        abstract: "print the shell completion script for bash, zsh or fish",
        details: """
            Prints a script that completes stock's subcommands and options, and the SKUs, batch references and
            order ids of the database where an argument names one: the script asks stock itself, quietly, and
            offers none when there is no database. stock install writes the three scripts where the shells look:
              PREFIX/share/bash-completion/completions/stock
              PREFIX/share/zsh/site-functions/_stock
              PREFIX/share/fish/vendor_completions.d/stock.fish
            To try one in the running shell: source <(stock completions bash)
            """
    ) { tool in
        let name = tool.required(tool.subcommand.positionals[0])
        guard let shell = Shell(rawValue: name) else {
            throw UsageError(message: "completions needs bash, zsh or fish, got \(Validation.shown(name))")
        }
        return printOut(shell.script)
    }

    /// Subcommands that scripts call and people do not: run by name, absent from the help, README and the
    /// man page.
    static let hidden: [Subcommand] = [completionWords]

    /// The most words one completion offers.
    static let completionLimit = 200

    /// `stock __complete sku|batch|order [PREFIX]`: the words a completion script offers for an argument, one a
    /// line, from the database `--db` or the settings name. Silent on every failure (no database, a server that
    /// is down): a completion must never print an error into the line being typed.
    static let completionWords = Subcommand(
        name: "__complete", positionals: ["sku|batch|order", "PREFIX"], optional: 1,
        abstract: "the words a completion offers", details: "Prints the words a completion script offers."
    ) { tool in
        guard let kind = Views.CompletionWords(rawValue: tool.required("sku|batch|order")),
            let database = try? tool.openDatabase(access: .readOnly),
            let words = try? Views.completionWords(
                kind, prefix: tool.positional("PREFIX") ?? "", limit: completionLimit, in: database)
        else { return .done }
        // Words are shown as the listings show them: a control character never reaches the terminal.
        let shown = words.filter { TerminalText.sanitized($0) == $0 }
        if !shown.isEmpty { print(shown.joined(separator: "\n")) }
        return .done
    }
}
