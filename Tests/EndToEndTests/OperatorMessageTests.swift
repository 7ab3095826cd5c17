import Foundation
import TestSupport
import Testing

/// The command line's messages as an operator reads them: what was typed, which line and command, and sentences
/// instead of the engine's result codes.
@Suite struct OperatorMessageTests {
    @Test func aNumberIsEchoedAsTypedNotAsTheDoubleItStandsFor() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let input = ["1e3", "1.5", "5.0", "1E+2"].map {
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":\#($0)}"#
        }
        let answers = try cli.stock("apply", input: input.joined(separator: "\n")).stdout.split(separator: "\n")
        #expect(
            answers.map(String.init)
                == ["1e3", "1.5", "5.0", "1E+2"].enumerated().map { index, typed in
                    #"{"ok":false,"line":\#(index + 1),"command":"Allocate","error":"Allocate: field \"qty\" "#
                        + #"must be a whole number, got \#(typed)","changed":false}"#
                })
        let typed = try cli.stock("allocate", "o1", "LAMP", "1e3")
        #expect(typed.status == 2)
        #expect(typed.stderr.hasPrefix(#"qty must be a whole number, got "1e3""#), "\(typed.stderr)")
    }

    /// Every refusal names the command its line named, whatever refused it; only a line naming none has no
    /// `"command"`.
    @Test func everyApplyRefusalNamesItsCommand() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let input = [
            #"{"command":"Frobnicate","ref":"b1"}"#,
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP"}"#,
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":0}"#,
            #"{"command":"Allocate","orderid":"o1","sku":"NOPE","qty":1}"#,
            #"{"command":"Deallocate","orderid":"o9","sku":"LAMP","extra":true}"#,
            #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":1}"#,
            #"{"command":7}"#, "not json", #"{"ref":"b1"}"#,
        ]
        let result = try cli.stock("apply", input: input.joined(separator: "\n"))
        #expect(result.status == 2)
        let answers = try result.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        #expect(answers.count == input.count)
        #expect(answers.allSatisfy { $0["ok"] as? Bool == false })
        #expect(
            answers.map { $0["command"] as? String } == [
                "Frobnicate", "Allocate", "Allocate", "Allocate", "Deallocate", "CreateBatch", nil, nil, nil,
            ])
    }

    @Test func aBusyDatabaseAnswerNamesTheCommandAndSaysBusy() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let result = try cli.stockWhileAnotherHoldsTheWriteLock(
            ["apply"], input: #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":1}"#)
        #expect(result.status == 3)
        #expect(result.stdout.hasPrefix(#"{"ok":false,"line":1,"command":"Allocate","error":"database busy: "#))
        #expect(result.stderr.hasPrefix("database busy"))
    }

    /// `stock init` alone when it would open the same file; `--db PATH` only for a path it would not.
    @Test func theMissingDatabaseHintSaysStockInitUnlessAnotherPathWasChosen() throws {
        let folder = try TemporaryFolder()
        let defaultPath = folder.path + "/stock/stock.sqlite"
        let other = folder.path + "/other.sqlite"
        let cases: [(arguments: [String], environment: [String: String], command: String, path: String)] = [
            ([], [:], "stock init", defaultPath),
            (["--db", defaultPath], [:], "stock init", defaultPath),
            ([], ["STOCK_DB": other], "stock init", other),
            (["--db", other], ["STOCK_DB": other], "stock init", other),
            (["--db", other], [:], "stock --db \(other) init", other),
            (["--db", defaultPath], ["STOCK_DB": other], "stock --db \(defaultPath) init", defaultPath),
        ]
        for (arguments, variables, command, path) in cases {
            let environment = variables.merging(["XDG_DATA_HOME": folder.path]) { $1 }
            let result = try StockProcess.run(arguments + ["batches"], environment: environment)
            #expect(result.status == 3)
            #expect(
                result.stderr == "no database at \(path); create it with: \(command)\n", "\(arguments) \(variables)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func aFolderGivenAsTheDatabaseIsCalledAFolder() throws {
        let folder = try TemporaryFolder()
        for arguments in [["batches"], ["allocate", "o1", "LAMP", "1"], ["init"], ["init", "--demo"]] {
            let result = try StockProcess.run(["--db", folder.path] + arguments)
            #expect(result.status == 3, "\(arguments)")
            #expect(result.stderr == "\(folder.path) is a folder, not a database file\n", "\(arguments)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func stockDebugAddsTheResultCode() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/notes.txt"
        try "shopping list\n".write(toFile: path, atomically: true, encoding: .utf8)
        let plain = try StockProcess.run(["--db", path, "batches"])
        #expect(plain.stderr == "\(path) is not a stock database (file is not a database)\n")
        let debugging = try StockProcess.run(["--db", path, "batches"], environment: ["STOCK_DEBUG": "1"])
        #expect(debugging.status == 3)
        #expect(debugging.stderr.hasPrefix(plain.stderr + "SQLite result code 26"), "\(debugging.stderr)")
    }
}
