/// `stock completions fish`: `complete` lines made from the subcommand table, with helper functions that find
/// the subcommand and the positional being typed.
enum FishCompletion {
    /// The `complete` arguments that offer a value.
    static func arguments(_ value: CompletedValue) -> String {
        switch value {
        case .nothing: "-x"
        case .files: "-r -F"
        case .folders: "-x -a '(__fish_complete_directories)'"
        case .stored(let kind): "-x -a '(__stock_stored \(kind.rawValue))'"
        case .choices(let words): "-x -a '\(words.joined(separator: " "))'"
        case .subcommands: "-x -a '\(CompletionTable.subcommands.map(\.name).joined(separator: " "))'"
        }
    }

    /// A `complete` line for an option, under `condition` when given.
    static func line(_ option: Subcommand.Option, condition: String?) -> String {
        let when = condition.map { " -n '\($0)'" } ?? ""
        let value = option.value.map { " " + arguments(CompletedValue(placeholder: $0)) } ?? ""
        return "complete -c stock\(when) -l \(option.name.dropFirst(2))\(value) "
            + "-d '\(CompletionTable.shortText(option.about))'"
    }

    static var script: String {
        let subcommands = CompletionTable.subcommands
        let valued = CompletionTable.valuedOptions.map(\.name).joined(separator: " ")
        var lines = subcommands.map {
            "complete -c stock -n __stock_needs_subcommand -a \($0.name) -d '\(CompletionTable.shortText($0.abstract))'"
        }
        lines += Subcommand.global.map { line($0, condition: nil) }
        lines += Subcommand.console.options.map { line($0, condition: "__stock_needs_subcommand") }
        for subcommand in subcommands {
            lines += subcommand.options.map { line($0, condition: "__stock_using \(subcommand.name)") }
            for (index, placeholder) in subcommand.positionals.enumerated() {
                lines.append(
                    "complete -c stock -n '__stock_argument \(subcommand.name) \(index + 1)' "
                        + arguments(CompletedValue(positional: placeholder, of: subcommand)))
            }
        }
        return """
            # fish completion for stock, made by `stock completions fish` from its table of subcommands.
            # Install: stock install writes it to PREFIX/share/fish/vendor_completions.d/stock.fish; or run
            #   stock completions fish | source

            # The subcommand, then each positional argument, of the command line before the cursor.
            function __stock_words
                set -l tokens (commandline -opc)
                set -e tokens[1]
                set -l skip 0
                set -l only 0
                for token in $tokens
                    if test $skip = 1
                        set skip 0
                        continue
                    end
                    if test $only = 0
                        if test "$token" = --
                            set only 1
                            continue
                        end
                        if string match -q -- '-*' $token
                            if not string match -q -- '*=*' $token; and contains -- $token \(valued)
                                set skip 1
                            end
                            continue
                        end
                    end
                    echo $token
                end
            end

            function __stock_needs_subcommand
                test (count (__stock_words)) -eq 0
            end

            function __stock_using -a subcommand
                set -l words (__stock_words)
                test (count $words) -ge 1; and test "$words[1]" = $subcommand
            end

            # Whether the word being typed is SUBCOMMAND's positional argument NUMBER (1 first).
            function __stock_argument -a subcommand number
                set -l words (__stock_words)
                test (count $words) -eq $number; and test "$words[1]" = $subcommand
            end

            # The SKUs, batch references or order ids starting with what is typed, asked of stock itself with the
            # command line's --db and --settings; nothing, quietly, when there is no database.
            function __stock_stored -a kind
                set -l tokens (commandline -opc)
                set -l options
                for index in (seq 2 (count $tokens))
                    switch $tokens[$index]
                        case --db --settings
                            set -l next (math $index + 1)
                            if test $next -le (count $tokens)
                                set -a options $tokens[$index] $tokens[$next]
                            end
                        case '--db=*' '--settings=*'
                            set -a options $tokens[$index]
                    end
                end
                command $tokens[1] $options __complete $kind -- (commandline -ct) 2>/dev/null
            end

            complete -c stock -f
            \(lines.joined(separator: "\n"))
            """
    }
}
