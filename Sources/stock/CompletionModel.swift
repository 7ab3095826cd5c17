import Allocation
import Foundation

/// What a shell offers for an argument, read from its placeholder in the subcommand table: the one rule the
/// bash, zsh and fish scripts share, so the three complete the same words.
enum CompletedValue: Equatable {
    /// Nothing to offer: a quantity, a date, a name.
    case nothing
    case files
    case folders
    /// The words the database holds, asked of `stock` itself (``Subcommand/completionWords``).
    case stored(Views.CompletionWords)
    /// A fixed choice, as a placeholder such as `batches|orders` spells it; `-` (standard input) is kept.
    case choices([String])
    case subcommands

    /// The value a placeholder asks for: `SKU`, `REF` and `ORDERID` from the database, paths as files or folders,
    /// `a|b|c` as those words, `FILE|-` as files or `-`.
    init(placeholder: String) {
        switch placeholder {
        case "SKU": self = .stored(.sku)
        case "REF", "BATCHREF": self = .stored(.batch)
        case "ORDERID": self = .stored(.order)
        case "PATH", "FILE", "DB", "FILE|-": self = .files
        case "PREFIX": self = .folders
        case "SUBCOMMAND": self = .subcommands
        default:
            let words = placeholder.split(separator: "|").map(String.init)
            let isChoice = words.count > 1 && words.allSatisfy { $0 == $0.lowercased() }
            self = isChoice ? .choices(words) : .nothing
        }
    }

    /// The subcommands whose `REF` names the batch they make: no stored reference fits it.
    static let makingABatch: Set<String> = ["add-batch"]

    /// The value a subcommand's positional argument asks for: as its placeholder says, but nothing for a new
    /// batch's reference.
    init(positional placeholder: String, of subcommand: Subcommand) {
        let makesIt = placeholder == "REF" && Self.makingABatch.contains(subcommand.name)
        self = makesIt ? .nothing : CompletedValue(placeholder: placeholder)
    }
}

/// The subcommand table as the completion scripts read it.
enum CompletionTable {
    /// The subcommands a user types: the table's, without the console (no word) and the hidden ones.
    static var subcommands: [Subcommand] { Subcommand.all }

    /// Every option that takes a value, with its placeholder; an option declared by several subcommands keeps
    /// the first placeholder (they agree today: `--sku SKU`, `--from-row N`).
    static var valuedOptions: [(name: String, placeholder: String)] {
        var seen: Set<String> = []
        var result: [(String, String)] = []
        for option in Subcommand.global + ([Subcommand.console] + Subcommand.all).flatMap(\.options) {
            guard let value = option.value, seen.insert(option.name).inserted else { continue }
            result.append((option.name, value))
        }
        return result
    }

    /// One line of an option's or a subcommand's text for a completion menu: the first clause, at most 70
    /// characters, with no character a script would have to quote specially.
    static func shortText(_ text: String) -> String {
        var short = text.replacingOccurrences(of: "\n", with: " ")
        for separator in [" (", "; ", ": "] {
            if let range = short.range(of: separator) { short = String(short[..<range.lowerBound]) }
        }
        if short.count > 70 { short = String(short.prefix(69)) + "…" }
        short = short.replacingOccurrences(of: "'", with: "’")
        return String(short.unicodeScalars.filter { !"\"`\\$[]:".unicodeScalars.contains($0) })
    }
}
