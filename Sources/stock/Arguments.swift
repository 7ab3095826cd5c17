/// Bad usage: an unknown subcommand or option, a missing or extra argument. Exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The words after `stock`, split into the subcommand, its positional arguments, options with values and flags.
///
/// The words are kept exactly as typed: a path must reach the file system byte for byte. Identifiers are put in
/// canonical form where they are compared: by the bus for commands, by the listings before they query.
struct Arguments {
    var subcommand: String?
    var positionals: [String] = []
    var options: [String: String] = [:]
    /// Every value given to each valued option, in order, for options that may be given more than once (``options``
    /// keeps the last).
    var repeatedOptions: [String: [String]] = [:]
    var flags: Set<String> = []

    /// Splits `words`; `valued` names the options that take a value, anywhere on the line.
    ///
    /// Any other word starting with `-` is a flag; `--name=value` with an unknown name is kept as an option so
    /// that the subcommand's check can name it.
    init(_ words: [String], valued: Set<String> = Subcommand.valuedOptions) throws {
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" || Arguments.looksNumeric(word) {
                if subcommand == nil { subcommand = word } else { positionals.append(word) }
            } else if word == "--" {
                onlyPositionals = true
            } else if word == "-h" {
                flags.insert("--help")
            } else {
                let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let name = parts[0]
                if valued.contains(name) {
                    if parts.count == 2 {
                        options[name] = parts[1]
                        repeatedOptions[name, default: []].append(parts[1])
                    } else if index < words.count {
                        options[name] = words[index]
                        repeatedOptions[name, default: []].append(words[index])
                        index += 1
                    } else {
                        throw UsageError(message: "option \(name) needs a value")
                    }
                } else if parts.count == 2 {
                    guard !Subcommand.flags.contains(name) else {
                        throw UsageError(message: "option \(name) takes no value")
                    }
                    options[name] = parts[1]
                } else {
                    flags.insert(name)
                }
            }
        }
    }

    /// `-5` and `-1.5` are values (refused later with a clear message), not options.
    static func looksNumeric(_ word: String) -> Bool {
        word.count > 1 && word.dropFirst().first.map { $0.isNumber } == true
    }

    /// Every option and flag given, in order of name.
    var optionNames: [String] {
        Set(options.keys).union(flags).sorted()
    }
}
