/// `stock completions zsh`: an `_arguments` completion function made from the subcommand table, to be found on
/// `fpath` as `_stock` (autoloaded by `compinit`) or sourced, when it registers itself with `compdef`.
enum ZshCompletion {
    /// The `_arguments` action for a value.
    static func action(_ value: CompletedValue) -> String {
        switch value {
        case .nothing: " "
        case .files: "_files"
        case .folders: "_files -/"
        case .stored(let kind): "_stock_stored \(kind.rawValue)"
        case .choices(let words): "(\(words.joined(separator: " ")))"
        case .subcommands: "(\(CompletionTable.subcommands.map(\.name).joined(separator: " ")))"
        }
    }

    /// `_arguments` specs for options: `'--json[print ...]'`, `'--eta=[the day ...]:YYYY-MM-DD: '` (the value as
    /// the next word or after `=`).
    static func specs(_ options: [Subcommand.Option]) -> [String] {
        options.map { option in
            let text = "\(option.name)[\(CompletionTable.shortText(option.about))]"
            guard let value = option.value else { return "'\(text)'" }
            return "'\(option.name)=[\(CompletionTable.shortText(option.about))]:\(value):"
                + "\(action(CompletedValue(placeholder: value)))'"
        }
    }

    /// `_arguments` specs for positionals: `'1:REF:_stock_stored batch'`, optional ones with `::`.
    static func positionalSpecs(_ subcommand: Subcommand) -> [String] {
        subcommand.positionals.enumerated().map { index, placeholder in
            let optional = index >= subcommand.positionals.count - subcommand.optional ? ":" : ""
            return
                "'\(index + 1):\(optional)\(placeholder):\(action(CompletedValue(positional: placeholder, of: subcommand)))'"
        }
    }

    static var script: String {
        let subcommands = CompletionTable.subcommands
        let described = subcommands.map { "'\($0.name):\(CompletionTable.shortText($0.abstract))'" }
        let arms = subcommands.map { subcommand in
            let specs = specs(subcommand.options) + positionalSpecs(subcommand)
            return "            \(subcommand.name)) _arguments -S $globals \(specs.joined(separator: " ")) && ret=0 ;;"
        }
        return """
            #compdef stock
            # zsh completion for stock, made by `stock completions zsh` from its table of subcommands.
            # Install: stock install writes it to PREFIX/share/zsh/site-functions/_stock (that folder on fpath
            # before compinit); or run  source <(stock completions zsh)  after compinit.

            # The SKUs, batch references or order ids starting with what is typed, asked of stock itself with the
            # command line's --db and --settings; nothing, quietly, when there is no database. _arguments calls it
            # with compadd's options first and the kind (sku, batch, order) last.
            _stock_stored() {
                local kind=${@[-1]}
                local -a found options
                local db=${opt_args[--db]:-$_stock_db} settings=${opt_args[--settings]:-$_stock_settings}
                [[ -n $db ]] && options+=(--db ${(Q)db})
                [[ -n $settings ]] && options+=(--settings ${(Q)settings})
                found=(${(f)"$($_stock_command $options __complete $kind -- $PREFIX 2>/dev/null)"})
                compadd "${@[1,-2]}" -a found
            }

            _stock() {
                local _stock_command=$words[1] _stock_db _stock_settings
                local curcontext=$curcontext state line ret=1
                typeset -A opt_args
                local -a globals=(
                    \(specs(Subcommand.global).joined(separator: "\n        "))
                )
                _arguments -C -S $globals \(specs(Subcommand.console.options).joined(separator: " ")) \\
                    '1: :->subcommand' '*:: :->argument' && ret=0
                _stock_db=${opt_args[--db]} _stock_settings=${opt_args[--settings]}
                case $state in
                    subcommand)
                        local -a subcommands=(
                            \(described.joined(separator: "\n                "))
                        )
                        _describe -t subcommands 'stock subcommand' subcommands && ret=0
                        ;;
                    argument)
                        curcontext=${curcontext%:*:*}:stock-$line[1]:
                        case $line[1] in
            \(arms.joined(separator: "\n"))
                        esac
                        ;;
                esac
                return ret
            }

            if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
                _stock "$@"
            else
                compdef _stock stock
            fi
            """
    }
}
