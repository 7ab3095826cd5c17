import Allocation
import Foundation
import TestSupport
import Testing

/// Bad input on every subcommand: exit 1 or 2, a message naming what is wrong, and not one row changed.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let arguments: [String]
        let status: Int32
        let message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(arguments: ["allocate", "o1", "LAMP", "-5"], status: 2, message: "qty must be positive, got -5"),
        Case(arguments: ["allocate", "o1", "LAMP", "0"], status: 2, message: "qty must be positive, got 0"),
        Case(
            arguments: ["allocate", "o1", "LAMP", "ten"], status: 2, message: "qty must be a whole number, got \"ten\""),
        Case(arguments: ["allocate", "o1", "LAMP", "99999999999999999999"], status: 2, message: "is too large"),
        Case(
            arguments: ["allocate", "o1", "LAMP", "1000000001"], status: 2,
            message: "is too large; the limit is 1000000000"),
        Case(arguments: ["allocate", "", "LAMP", "1"], status: 2, message: "order id must not be empty"),
        Case(arguments: ["allocate", "o1", "NOPE", "1"], status: 1, message: "Invalid sku NOPE"),
        Case(arguments: ["allocate", "o1", "LAMP"], status: 2, message: "allocate needs QTY"),
        Case(arguments: ["allocate", "o1", "LAMP", "1", "extra"], status: 2, message: "unexpected argument extra"),
        Case(
            arguments: ["allocate", "o\u{1B}[31m", "LAMP", "1"], status: 2, message: "contains control character U+1B"),
        Case(arguments: ["add-batch", "", "LAMP", "5"], status: 2, message: "batch reference must not be empty"),
        Case(
            arguments: ["add-batch", String(repeating: "R", count: 300), "LAMP", "5"], status: 2,
            message: "batch reference is 300 characters long; the limit is 255"),
        Case(
            arguments: ["add-batch", "b2", "LAMP", "5", "--eta", "2025-02-30"], status: 2,
            message: "--eta \"2025-02-30\" is not a valid date YYYY-MM-DD"),
        Case(
            arguments: ["add-batch", "b2", "LAMP", "5", "--eta", "tomorrow"], status: 2, message: "is not a valid date"),
        Case(arguments: ["add-batch", "b2", "LAMP", "0"], status: 2, message: "qty must be positive, got 0"),
        Case(arguments: ["add-batch", "b2", "LAMP", "-1"], status: 2, message: "qty must be positive, got -1"),
        Case(arguments: ["add-batch", "b1", "LAMP", "6"], status: 1, message: "batch reference b1 already exists"),
        Case(arguments: ["add-batch", "b2", "LA\tMP", "5"], status: 2, message: "contains control character U+9"),
        Case(
            arguments: ["add-batch", "b2", "LAMP", "5", "--colour"], status: 2, message: "does not take option --colour"
        ),
        Case(arguments: ["change-quantity", "nope", "5"], status: 1, message: "Unknown batch nope"),
        Case(arguments: ["change-quantity", "b1", "-1"], status: 2, message: "qty must be 0 or more, got -1"),
        Case(arguments: ["change-quantity", "b1", "lots"], status: 2, message: "qty must be a whole number"),
        Case(arguments: ["deallocate", "o1", "LAMP"], status: 1, message: "Unknown order o1"),
        Case(arguments: ["deallocate", "o1", "NOPE"], status: 1, message: "Unknown order o1"),
        Case(arguments: ["deallocate", "o1"], status: 2, message: "deallocate needs SKU"),
        Case(arguments: ["allocations"], status: 2, message: "allocations needs ORDERID"),
        Case(arguments: ["batches", "--sku", "NOPE"], status: 1, message: "Invalid sku NOPE"),
        Case(arguments: ["batches", "--sku", ""], status: 2, message: "--sku must not be empty"),
        Case(arguments: ["batches", "--sku", "\u{1B}[2J"], status: 2, message: "contains control character U+1B"),
        Case(arguments: ["events", "--since", "yesterday"], status: 2, message: "--since must be an event id"),
        Case(
            arguments: ["apply", "/nonexistent/file.jsonl"], status: 2, message: "cannot read /nonexistent/file.jsonl"),
        Case(arguments: ["teleport"], status: 2, message: "unknown subcommand teleport"),
        Case(arguments: ["receive", "nope"], status: 1, message: "Unknown batch nope"),
        Case(arguments: ["receive", "b1"], status: 1, message: "batch b1 is already in the warehouse"),
        Case(arguments: ["receive", "b1", "-3"], status: 2, message: "qty must be 0 or more, got -3"),
        Case(arguments: ["receive", "b1", "lots"], status: 2, message: "qty must be a whole number, got \"lots\""),
        Case(arguments: ["receive"], status: 2, message: "receive needs REF"),
        Case(arguments: ["change-eta", "nope", "2026-02-01"], status: 1, message: "Unknown batch nope"),
        Case(
            arguments: ["change-eta", "b1", "2026-02-01"], status: 1, message: "batch b1 is already in the warehouse"),
        Case(
            arguments: ["change-eta", "b1", "2026-02-30"], status: 2,
            message: "date \"2026-02-30\" is not a valid date YYYY-MM-DD"),
        Case(arguments: ["change-eta", "b1"], status: 2, message: "change-eta needs YYYY-MM-DD"),
        Case(arguments: ["ship", "o1"], status: 1, message: "Unknown order o1"),
        Case(arguments: ["ship", ""], status: 2, message: "order id must not be empty"),
        Case(arguments: ["ship", "o1", "LA\u{7}MP"], status: 2, message: "contains control character U+7"),
        Case(arguments: ["move", "o1", "LAMP", "b1"], status: 1, message: "Unknown order o1"),
        Case(arguments: ["move", "o1", "LAMP"], status: 2, message: "move needs BATCHREF"),
        Case(arguments: ["move", "o1", "LAMP", ""], status: 2, message: "batch reference must not be empty"),
        Case(arguments: ["allocate-waiting", "NOPE"], status: 1, message: "Invalid sku NOPE"),
        Case(arguments: ["allocate-waiting", " LAMP"], status: 2, message: "must not start or end with a space"),
        Case(arguments: ["backorders", "--sku", "NOPE"], status: 1, message: "Invalid sku NOPE"),
        Case(arguments: ["backorders", "--sku", ""], status: 2, message: "--sku must not be empty"),
        Case(arguments: ["at-risk", "now"], status: 2, message: "at-risk got an unexpected argument now"),
        Case(arguments: ["projection", "NOPE"], status: 1, message: "Invalid sku NOPE"),
        Case(arguments: ["projection", "lamp"], status: 1, message: "Invalid sku lamp; did you mean LAMP?"),
        Case(arguments: ["allocate", "o1", "lamp", "1"], status: 1, message: "Invalid sku lamp; did you mean LAMP?"),
        Case(arguments: ["allocate", "o1", "LMAP", "1"], status: 1, message: "Invalid sku LMAP; did you mean LAMP?"),
        Case(arguments: ["batches", "--sku", "lamps"], status: 1, message: "Invalid sku lamps; did you mean LAMP?"),
        Case(arguments: ["projection", ""], status: 2, message: "SKU must not be empty"),
        Case(arguments: ["projection"], status: 2, message: "projection needs SKU"),
        Case(arguments: ["history", "o1"], status: 1, message: "Unknown order o1"),
        Case(arguments: ["history", "--batch", "nope"], status: 1, message: "Unknown batch nope"),
        Case(arguments: ["history", "--batch", ""], status: 2, message: "--batch must not be empty"),
        Case(arguments: ["history"], status: 2, message: "history needs ORDERID or --batch REF"),
        Case(
            arguments: ["history", "o1", "--batch", "b1"], status: 2, message: "history needs ORDERID or --batch REF"),
        Case(
            arguments: ["--user", "", "add-batch", "b2", "LAMP", "5"], status: 2, message: "--user must not be empty"),
        Case(
            arguments: ["--user", "ann\u{1B}[2J", "add-batch", "b2", "LAMP", "5"], status: 2,
            message: "--user \"ann\\u{1b}[2J\" contains control character U+1B"),
        Case(
            arguments: ["--settings", "/nonexistent.json", "batches"], status: 2, message: "cannot read settings file"),
    ]

    @Test(arguments: cases)
    func badInputIsRefusedAndChangesNothing(_ example: Case) throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let before = try cli.contents()
        let result = try StockProcess.run(["--db", cli.path] + example.arguments, environment: cli.environment)
        #expect(result.status == example.status, "\(result.stderr)")
        #expect(result.stderr.contains(example.message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.contents() == before)
    }

    @Test func malformedApplyLinesChangeNothing() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let before = try cli.contents()
        let input = [
            "{", #"{"command":"Allocate"}"#, #"{"command":"Allocate","orderid":"o","sku":"LAMP","qty":-1}"#,
            #"{"command":"CreateBatch","ref":"b9","sku":"LAMP","qty":1,"eta":"2025-02-30"}"#,
            #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":1}"#, #"[]"#, #""just a string""#,
            #"{"command":"ReceiveBatch","ref":"b1","qty":-1}"#, #"{"command":"ReceiveBatch","ref":"nope"}"#,
            #"{"command":"ChangeBatchEta","ref":"b1"}"#, #"{"command":"ChangeBatchEta","ref":"b1","eta":"soon"}"#,
            #"{"command":"Ship","orderid":""}"#, #"{"command":"Ship","orderid":"o1"}"#,
            #"{"command":"MoveLine","orderid":"o1","sku":"LAMP"}"#,
            #"{"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"b1","extra":1}"#,
            #"{"command":"AllocateWaiting","sku":""}"#, #"{"command":"AllocateWaiting","sku":"NOPE"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 2)
        #expect(result.stdout.split(separator: "\n").count == 17)
        #expect(!result.stdout.contains(#""ok":true"#))
        #expect(try cli.contents() == before)
    }
}

/// Files that are not what they should be.
@Suite struct BadFileTests {
    @Test func aFileThatIsNotADatabaseIsNamedAndLeftAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("notes.sqlite").path
        try "shopping list\n".write(toFile: path, atomically: true, encoding: .utf8)
        for arguments in [["batches"], ["allocate", "o1", "LAMP", "1"], ["init"]] {
            let result = try StockProcess.run(["--db", path] + arguments)
            #expect(result.status == 3)
            #expect(result.stderr == "\(path) is not a stock database (file is not a database)\n", "\(result.stderr)")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "shopping list\n")
    }

    /// A mistyped `--db` naming another program's SQLite file: every subcommand refuses it, byte for byte intact.
    @Test func anotherProgramsDatabaseIsRefusedAndLeftByteForByte() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("notes.sqlite").path
        do {
            let other = try Database(path: path, access: .create)
            try other.execute("CREATE TABLE notes (text TEXT)")
            try other.execute("INSERT INTO notes VALUES ('buy milk')")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let attempts: [([String], String)] = [
            (["allocate", "o1", "LAMP", "1"], "is not a stock database"),
            (["add-batch", "b1", "LAMP", "1"], "is not a stock database"),
            (["batches"], "is not a stock database"),
            (["apply"], "is not a stock database"),
            (["init"], "already holds tables of another program"),
        ]
        for (arguments, message) in attempts {
            let result = try StockProcess.run(["--db", path] + arguments, input: "")
            #expect(result.status == 3, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func linesWithNulBytesOrInvalidUtf8AreMalformedNotRepaired() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let before = try cli.contents()
        var input = Data(#"{"command":"CreateBatch","ref":"NUL-1","sku":"LAMP","qty":5}"#.utf8)
        input.append(contentsOf: [0] + Array(#"{"x":1}"#.utf8) + [0x0A])
        input.append(contentsOf: Array(#"{"command":"CreateBatch","ref":"BAD-"#.utf8) + [0xFF, 0xFE])
        input.append(contentsOf: Array(#"","sku":"LAMP","qty":5}"#.utf8) + [0x0A])
        let file = cli.folder.appendingPathComponent("lines.jsonl")
        try input.write(to: file)
        let result = try cli.stock("apply", file.path)
        #expect(result.status == 2)
        #expect(
            result.stdout.split(separator: "\n") == [
                #"{"ok":false,"line":1,"error":"the line contains a NUL byte","changed":false}"#,
                #"{"ok":false,"line":2,"error":"the line is not valid UTF-8","changed":false}"#,
            ])
        #expect(try cli.contents() == before)
    }

    @Test func applyOnADirectorySaysItCannotReadIt() throws {
        let cli = try CommandLineFixture()
        let result = try cli.stock("apply", cli.folder.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot read \(cli.folder.path): Is a directory"))
    }

    @Test func applyAnswersEachLineAsItIsRead() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        // A shell co-process: send one line, read its answer, only then close the input.
        let result = try cli.applyAnsweringOneLine()
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(
            result.stdout.hasPrefix(#"{"ok":true,"line":1,"command":"Allocate","status":"allocated","batchref":"b1""#))
    }

    @Test func argumentsThatAreNotUtf8AreRefused() throws {
        let cli = try CommandLineFixture()
        let before = try cli.contents()
        let result = try runProcess(
            "/bin/bash", ["-c", "'\(StockProcess.executable)' --db '\(cli.path)' add-batch $'B-\\xff' LAMP 5"],
            environment: StockProcess.environment(cli.environment))
        #expect(result.status == 2)
        #expect(result.stderr.contains("argument 4 is not valid UTF-8 text"))
        #expect(try cli.contents() == before)
    }

    @Test func anEmptyOptionValueIsRefused() throws {
        let cli = try CommandLineFixture()
        let result = try StockProcess.run(["--db=", "batches"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--db needs a path"))
        let eta = try StockProcess.run(["--db", cli.path, "add-batch", "b1", "LAMP", "5", "--eta="])
        #expect(eta.status == 2)
        #expect(eta.stderr.contains("--eta \"\" is not a valid date"))
    }

    @Test func aBinaryFileGivenToApplyIsReportedLineByLineAndChangesNothing() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let before = try cli.contents()
        // Bytes of every value, NUL and newlines among them, and invalid UTF-8 sequences.
        var bytes: [UInt8] = []
        var seed: UInt32 = 7
        for _ in 0..<20_000 {
            seed = seed &* 1_103_515_245 &+ 12_345
            bytes.append(UInt8(truncatingIfNeeded: seed >> 16))
        }
        let file = cli.folder.appendingPathComponent("garbage.bin")
        try Data(bytes).write(to: file)
        let result = try cli.stock("apply", file.path)
        #expect(result.status == 2)
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix(#"{"ok":false"#) })
        #expect(result.stdout.contains("not valid JSON"))
        #expect(try cli.contents() == before)
    }
}
