import Allocation

/// Bad usage: an unknown subcommand or option, a missing or extra argument. Exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The words after `stock`, split into the subcommand, its positional arguments, options with values and flags.
struct Arguments {
    var subcommand: String?
    var positionals: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Options that take a value, anywhere on the line; everything else starting with `--` is a flag.
    static let valued: Set<String> = ["--db", "--settings", "--eta", "--sku", "--since", "--max-frames"]

    /// Splits `words`, with their text in canonical form (``Validation/normalized(_:)``), as the bus stores it.
    init(_ rawWords: [String]) throws {
        let words = rawWords.map(Validation.normalized)
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
                if Arguments.valued.contains(name) {
                    if parts.count == 2 {
                        options[name] = parts[1]
                    } else if index < words.count {
                        options[name] = words[index]
                        index += 1
                    } else {
                        throw UsageError(message: "option \(name) needs a value")
                    }
                } else if parts.count == 2 {
                    throw UsageError(message: "option \(name) takes no value")
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

    /// Refuses options the subcommand does not know and the wrong number of positionals.
    func check(allowed: Set<String>, positionals names: [String], optional: Int = 0) throws {
        let global: Set<String> = ["--db", "--settings", "--help"]
        for name in Set(options.keys).union(flags) where !allowed.union(global).contains(name) {
            throw UsageError(message: "\(subcommand ?? "stock") does not take option \(name)")
        }
        let required = names.count - optional
        if positionals.count < required {
            throw UsageError(message: "\(subcommand ?? "stock") needs \(names[positionals.count])")
        }
        if positionals.count > names.count {
            throw UsageError(
                message: "\(subcommand ?? "stock") got an unexpected argument \(positionals[names.count])")
        }
    }
}
