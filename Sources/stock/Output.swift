import Console
import Foundation

/// Prints `text` and a newline on standard output.
///
/// - Returns: ``ExitStatus/done``, for a subcommand whose last step is to print its answer.
@discardableResult
func printOut(_ text: String) -> ExitStatus {
    print(text)
    return .done
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

func jsonArray(_ objects: [String]) -> String {
    "[" + objects.joined(separator: ",") + "]"
}

/// Left-aligned columns separated by two spaces, for the human-readable listings.
///
/// Cells are sanitized and measured by the console's rules (``TerminalText``): CJK characters take two cells,
/// and a control character or text-direction mark that reached the database by another way than `stock` shows
/// as `?`, never written to the terminal.
struct TextTable {
    private var rows: [[String]]

    init(header: [String]) {
        rows = [header]
    }

    mutating func add(_ row: [String]) {
        rows.append(row.map { TerminalText.sanitized($0) })
    }

    var text: String {
        let widths = rows[0].indices.map { column in rows.map { TerminalText.width($0[column]) }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - TerminalText.width($0)) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
