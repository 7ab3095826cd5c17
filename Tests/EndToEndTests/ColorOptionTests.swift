import Foundation
import TestSupport
import Testing

@testable import stock

/// `--color never|always|auto` and `NO_COLOR`, on the console and the monitor in tmux (`capture-pane -e` shows the
/// SGR sequences drawn), and the rule that decides, case by case.
@Suite struct ColorOptionTests {
    /// Whether any SGR sequence sets a foreground or background colour (39 and 49 only reset them).
    static func hasColour(_ text: String) -> Bool {
        text.split(separator: "\u{1B}").dropFirst().contains { sequence in
            guard sequence.hasPrefix("["), let end = sequence.firstIndex(of: "m") else { return false }
            let parameters = sequence.dropFirst()[..<end].split(separator: ";").compactMap { Int($0) }
            return parameters.contains { (30...38).contains($0) || (40...48).contains($0) || $0 >= 90 }
        }
    }

    /// The screen of `stock ARGUMENTS` once `text` shows, with its escape sequences.
    static func screen(_ arguments: String, showing text: String, environment: [String: String] = [:]) throws
        -> String
    {
        let run = try ConsoleRun(arguments, environment: environment)
        defer { run.session.kill() }
        try run.session.waitFor(text)
        return try run.session.capture(escapes: true)
    }

    @Test func neverDrawsTheConsoleWithoutColourButStillInReverseVideo() throws {
        let screen = try Self.screen("--color=never", showing: "> B-CHAIR-9")
        #expect(!Self.hasColour(screen), "\(screen.debugDescription)")
        #expect(screen.contains("\u{1B}[7m"), "the selection still shows, in reverse video")
    }

    @Test func alwaysColoursTheConsoleOverNoColor() throws {
        let screen = try Self.screen("--color always", showing: "> B-CHAIR-9", environment: ["NO_COLOR": "1"])
        #expect(Self.hasColour(screen), "\(screen.debugDescription)")
    }

    @Test func theMonitorFollowsTheOption() throws {
        let plain = try Self.screen("monitor --color never", showing: "B-CHAIR-9")
        #expect(!Self.hasColour(plain), "\(plain.debugDescription)")
        let coloured = try Self.screen("monitor --color=auto", showing: "B-CHAIR-9")
        #expect(Self.hasColour(coloured), "auto on a terminal colours: \(coloured.debugDescription)")
        let noColor = try Self.screen("monitor", showing: "B-CHAIR-9", environment: ["NO_COLOR": "yes"])
        #expect(!Self.hasColour(noColor), "\(noColor.debugDescription)")
    }

    @Test(arguments: [["--color", "sometimes", "batches"], ["batches", "--color=NEVER"], ["--color=", "batches"]])
    func aValueNotAmongTheThreeIsBadUsage(_ words: [String]) throws {
        let value = words.first { $0.hasPrefix("--color=") }.map { String($0.dropFirst(8)) } ?? "sometimes"
        let result = try StockProcess.run(words)
        #expect(result.status == 2)
        #expect(
            result.stderr.hasPrefix("--color must be never, always or auto, got \"\(value)\"\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aMissingValueIsBadUsage() throws {
        let result = try StockProcess.run(["batches", "--color"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("option --color needs a value\n"), "\(result.stderr)")
    }

    /// (choice, `colors` setting, `NO_COLOR`, `TERM`, standard output a terminal) → colours.
    @Test(arguments: [
        (ColorChoice.never, true, "", "xterm", true, false),
        (.always, false, "1", "dumb", false, true),
        (.auto, true, "", "xterm", true, true),
        (.auto, true, "1", "xterm", true, false),
        (.auto, false, "", "xterm", true, false),
        (.auto, true, "", "dumb", true, false),
        (.auto, true, "", "xterm", false, false),
    ])
    func theChoiceDecidesAsDocumented(
        choice: ColorChoice, setting: Bool, noColor: String, term: String, terminal: Bool, expected: Bool
    ) {
        let environment = ["NO_COLOR": noColor, "TERM": term]
        #expect(choice.colors(setting: setting, environment: environment, outputIsTerminal: terminal) == expected)
    }
}
