/// `stock completions bash`: a completion function made from the subcommand table, self-contained (it needs no
/// bash-completion helper), registered with `complete -F _stock stock`.
///
/// The function rebuilds the words bash split at `=` (`--color=never` arrives as three), finds the subcommand
/// and the positional being typed, and offers what ``CompletedValue`` says for its placeholder.
enum BashCompletion {
    /// A value's completion as the script's `_stock_value` takes it.
    static func token(_ value: CompletedValue) -> String {
        switch value {
        case .nothing: "none"
        case .files: "files"
        case .folders: "folders"
        case .stored(let kind): "stored:\(kind.rawValue)"
        case .choices(let words): "choices:" + words.joined(separator: " ")
        case .subcommands: "subcommands"
        }
    }

    /// `case` arms, one a line, indented for the script.
    private static func arms(_ arms: [(pattern: String, body: String)]) -> String {
        arms.map { "        \($0.pattern)) \($0.body) ;;" }.joined(separator: "\n")
    }

    static var script: String {
        let subcommands = CompletionTable.subcommands
        let globals = Subcommand.global.map(\.name).joined(separator: " ")
        let valued = CompletionTable.valuedOptions
        let optionArms = ([Subcommand.console] + subcommands).map { subcommand in
            let names = (subcommand.options.map(\.name) + ["$globals"]).joined(separator: " ")
            return (subcommand.name.isEmpty ? "''" : subcommand.name, "echo \"\(names)\"")
        }
        let positionalArms = subcommands.flatMap { subcommand in
            subcommand.positionals.enumerated().map { index, placeholder in
                (
                    "\(subcommand.name):\(index)",
                    "echo '\(token(CompletedValue(positional: placeholder, of: subcommand)))'"
                )
            }
        }
        return """
            # bash completion for stock, made by `stock completions bash` from its table of subcommands.
            # Install: stock install writes it to PREFIX/share/bash-completion/completions/stock; or run
            #   source <(stock completions bash)

            _stock_subcommands='\(subcommands.map(\.name).joined(separator: " "))'

            # The options SUBCOMMAND takes ('' for the console), the global ones included.
            _stock_options() {
                local globals='\(globals)'
                case $1 in
            \(arms(optionArms))
                esac
            }

            # Whether OPTION takes a value.
            _stock_takes_value() {
                case $1 in
                    \(valued.map(\.name).joined(separator: "|"))) return 0 ;;
                esac
                return 1
            }

            # What OPTION's value completes to.
            _stock_option_value() {
                case $1 in
            \(arms(valued.map { ($0.name, "echo '\(token(CompletedValue(placeholder: $0.placeholder)))'") }))
                    *) echo none ;;
                esac
            }

            # What SUBCOMMAND's positional argument INDEX (0 first) completes to.
            _stock_positional() {
                case $1:$2 in
            \(arms(positionalArms))
                    *) echo none ;;
                esac
            }

            # The SKUs, batch references or order ids starting with PREFIX, asked of stock itself with the
            # command line's --db and --settings; nothing, quietly, when there is no database.
            _stock_stored() {
                local -a options=()
                local i
                for ((i = 1; i < ${#_stock_words[@]} - 1; i++)); do
                    case ${_stock_words[i]} in
                        --db | --settings) options+=("${_stock_words[i]}" "${_stock_words[i + 1]}") ;;
                        --db=* | --settings=*) options+=("${_stock_words[i]}") ;;
                    esac
                done
                "${_stock_words[0]}" "${options[@]}" __complete "$1" -- "$2" 2>/dev/null
            }

            # Fills COMPREPLY with what WHAT (a _stock_value token) offers for the word CUR.
            _stock_value() {
                local what=$1 cur=$2 word
                COMPREPLY=()
                case $what in
                    files)
                        compopt -o filenames 2>/dev/null
                        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
                        ;;
                    folders)
                        compopt -o filenames 2>/dev/null
                        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
                        ;;
                    stored:*)
                        while IFS= read -r word; do
                            printf -v word '%q' "$word"
                            COMPREPLY+=("$word")
                        done < <(_stock_stored "${what#stored:}" "$cur")
                        ;;
                    choices:*) mapfile -t COMPREPLY < <(compgen -W "${what#choices:}" -- "$cur") ;;
                    subcommands) mapfile -t COMPREPLY < <(compgen -W "$_stock_subcommands" -- "$cur") ;;
                esac
            }

            _stock() {
                # The words up to the cursor, with those bash split at '=' joined again: --color=never is one.
                local -a _stock_words=()
                local i word glued=0
                for ((i = 0; i <= COMP_CWORD; i++)); do
                    word=${COMP_WORDS[i]}
                    if ((glued)); then
                        _stock_words[-1]+=$word
                        glued=0
                    elif [[ $word == = && ${#_stock_words[@]} -gt 1 && ${_stock_words[-1]} == --* &&
                        ${_stock_words[-1]} != *=* ]]; then
                        _stock_words[-1]+==
                        glued=1
                    else
                        _stock_words+=("$word")
                    fi
                done
                local cur=${_stock_words[-1]} subcommand='' only=0 skip=0
                local -i count=0
                for ((i = 1; i < ${#_stock_words[@]} - 1; i++)); do
                    word=${_stock_words[i]}
                    if ((skip)); then
                        skip=0
                    elif ((!only)) && [[ $word == -- ]]; then
                        only=1
                    elif ((!only)) && [[ $word == -?* ]]; then
                        [[ $word != *=* ]] && _stock_takes_value "$word" && skip=1
                    elif [[ -z $subcommand ]]; then
                        subcommand=$word
                    else
                        count+=1
                    fi
                done
                if ((skip)); then
                    _stock_value "$(_stock_option_value "${_stock_words[-2]}")" "$cur"
                elif ((!only)) && [[ $cur == --*=* ]]; then
                    _stock_value "$(_stock_option_value "${cur%%=*}")" "${cur#*=}"
                    # Where '=' does not split words, the option is part of the word being replaced.
                    [[ $COMP_WORDBREAKS == *=* ]] || COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
                elif ((!only)) && [[ $cur == -* ]]; then
                    mapfile -t COMPREPLY < <(compgen -W "$(_stock_options "$subcommand")" -- "$cur")
                elif [[ -z $subcommand ]]; then
                    _stock_value subcommands "$cur"
                else
                    _stock_value "$(_stock_positional "$subcommand" "$count")" "$cur"
                fi
            }

            complete -F _stock stock
            """
    }
}
