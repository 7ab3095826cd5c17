import Allocation
import Foundation
import TestSupport
import Testing

/// Findings of a review of the command line as a new user meets it, each pinned by a test that failed before its fix.
@Suite struct ReviewFindingsTests {
    let cli: CommandLineFixture

    init() throws {
        cli = try CommandLineFixture()
    }

    /// A reference that reached the database some other way than `stock` is printed by a write command the way the
    /// listings print it: no escape sequence or line break reaches the terminal.
    @Test func writeCommandsSanitizeWhatIsInTheDatabase() throws {
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        try cli.stock("add-batch", "LATE", "LAMP", "10", "--eta", "2026-01-01")
        do {
            let db = try rawConnection(to: cli.path)
            try db.execute("UPDATE batches SET reference = 'B-\u{1B}[2J-X' WHERE reference = 'B-1'")
            try db.execute("UPDATE batches SET reference = 'L\nATE' WHERE reference = 'LATE'")
        }
        let allocated = try cli.stock("allocate", "O-1", "LAMP", "4")
        #expect(allocated.status == 0)
        #expect(allocated.stdout == "allocated O-1 LAMP x4 to B-?[2J-X\n")
        let shipped = try cli.stock("ship", "O-1")
        #expect(shipped.stdout == "shipped O-1 LAMP x4 from B-?[2J-X\n")
        try cli.stock("allocate", "O-2", "LAMP", "7")
        let refused = try cli.stock("ship", "O-2")
        #expect(refused.status == 1)
        #expect(!refused.stderr.contains("\u{1B}") && !refused.stderr.contains("L\nATE"), "\(refused.stderr)")
    }

    /// README's walk-through prints what `stock init` prints, so its schema version follows the code's.
    @Test func readmeWalkThroughNamesTheCurrentSchemaVersion() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        // The walk-through makes a SQLite file, whatever engine the suite runs on.
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("stock.sqlite").path
        let printed = try StockProcess.run(["--db", file, "init"]).stderr
        #expect(printed.hasSuffix("(schema version \(Schema.currentVersion))\n"), "\(printed)")
        #expect(readme.contains("database ready at /tmp/day/stock.sqlite (schema version \(Schema.currentVersion))"))
    }

    /// A usage error echoes what was typed, but never an escape sequence, and an empty value shows as `""`.
    @Test func usageErrorsShowTypedWordsSafely() throws {
        let escape = "\u{1B}[2J"
        let cases: [([String], String)] = [
            (
                ["events", "--since", escape],
                #"--since must be an event id (a whole number, 0 or more), got "\u{1b}[2J""#
            ),
            (["events", "--since", ""], #"--since must be an event id (a whole number, 0 or more), got """#),
            (
                ["monitor", "--max-frames", escape],
                #"--max-frames must be a whole number of 1 or more, got "\u{1b}[2J""#
            ),
            (["apply", ""], #"apply needs a FILE or -, got """#),
            ([escape], "unknown subcommand ?[2J"),
            (["batches", "--" + escape], "batches does not take option --?[2J"),
            (["allocations", "O-1", escape], "allocations got an unexpected argument ?[2J"),
        ]
        let before = try cli.contents()
        for (arguments, message) in cases {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.stderr.contains("\u{1B}"), "\(arguments)")
            #expect(result.stderr.hasPrefix(message + "\n"), "\(arguments): \(result.stderr)")
        }
        #expect(try cli.contents() == before)
    }
}
