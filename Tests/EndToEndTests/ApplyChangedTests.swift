import Allocation
import Foundation
import TestSupport
import Testing

/// `apply`'s `"changed"`: whether each line changed the database, for every command kind, alone, grouped and in a
/// dry run (where it says what the line would have changed).
@Suite struct ApplyChangedTests {
    /// Each line and whether it changes anything; the stock waiting lines are filled only on demand
    /// (`STOCK_AUTO_ALLOCATE=false`), so `AllocateWaiting` has work left.
    static let script: [(line: String, changed: Bool)] = [
        (#"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}"#, true),
        (#"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}"#, false),
        (#"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":11}"#, false),
        (#"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10,"eta":"2026-02-10"}"#, false),
        (#"{"command":"CreateBatch","ref":"b1","sku":"DESK","qty":10}"#, false),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}"#, true),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}"#, false),
        (#"{"command":"Allocate","orderid":"o2","sku":"LAMP","qty":20}"#, true),
        (#"{"command":"Allocate","orderid":"o2","sku":"LAMP","qty":20}"#, false),
        (#"{"command":"ChangeBatchQuantity","ref":"b1","qty":10}"#, false),
        (#"{"command":"ChangeBatchQuantity","ref":"b1","qty":12}"#, true),
        (#"{"command":"CreateBatch","ref":"b2","sku":"LAMP","qty":5,"eta":"2026-02-10"}"#, true),
        (#"{"command":"CreateBatch","ref":"b2","sku":"LAMP","qty":5,"eta":"2026-02-10"}"#, false),
        (#"{"command":"ChangeBatchEta","ref":"b2","eta":"2026-02-10"}"#, false),
        (#"{"command":"ChangeBatchEta","ref":"b2","eta":"2026-02-12"}"#, true),
        (#"{"command":"AllocateWaiting","sku":"LAMP"}"#, false),
        (#"{"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"b2"}"#, true),
        (#"{"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"b2"}"#, false),
        (#"{"command":"ReceiveBatch","ref":"b2","qty":5}"#, true),
        (#"{"command":"Allocate","orderid":"o3","sku":"LAMP","qty":1}"#, true),
        (#"{"command":"Ship","orderid":"o3","sku":"LAMP"}"#, true),
        (#"{"command":"Ship","orderid":"o3","sku":"LAMP"}"#, false),
        (#"{"command":"Deallocate","orderid":"o1","sku":"LAMP"}"#, true),
        (#"{"command":"Deallocate","orderid":"o2","sku":"LAMP"}"#, true),
        (#"{"command":"Deallocate","orderid":"o2","sku":"LAMP"}"#, false),
        (#"{"command":"Allocate","orderid":"o4","sku":"LAMP","qty":30}"#, true),
        (#"{"command":"ChangeBatchQuantity","ref":"b1","qty":40}"#, true),
        (#"{"command":"AllocateWaiting","sku":"LAMP"}"#, true),
        (#"{"command":"Allocate"}"#, false),
    ]

    /// `line ok changed` of each answer of `stock apply OPTIONS` run on `script` in a new database.
    static func answers(_ options: [String], in fixture: CommandLineFixture) throws -> [String] {
        var environment = fixture.environment
        environment["STOCK_AUTO_ALLOCATE"] = "false"
        let input = script.map(\.line).joined(separator: "\n") + "\n"
        let result = try StockProcess.run(
            ["--db", fixture.path, "apply"] + options + ["-"], input: input, environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        return try result.stdout.split(separator: "\n").map { text in
            let answer = try #require(try fixture.decodeJSON(String(text)) as? [String: Any])
            let flags = [answer["ok"], answer["changed"]].map { ($0 as? Bool).map(String.init) ?? "missing" }
            return "\((answer["line"] as? Int).map(String.init) ?? "-") " + flags.joined(separator: " ")
        }
    }

    static var expected: [String] {
        script.enumerated().map { index, step in
            let refused = [3, 4, 5, 18, 22, 25, 29].contains(index + 1)
            return "\(index + 1) \(!refused) \(step.changed)"
        }
    }

    @Test(arguments: [[], ["--group"]]) func everyAnswerSaysWhetherItsLineChangedTheDatabase(options: [String]) throws {
        let fixture = try CommandLineFixture()
        #expect(try Self.answers(options, in: fixture) == Self.expected)
    }

    @Test func aDryRunSaysWhatEachLineWouldHaveChangedAndChangesNothing() throws {
        let fixture = try CommandLineFixture()
        #expect(try Self.answers(["--dry-run"], in: fixture) == Self.expected)
        #expect(try fixture.contents()["batches"] ?? [] == [])
    }

    @Test func anIdenticalCreateBatchIsAnsweredAsAlreadyThereWithNoEventAndNoNewVersion() throws {
        let fixture = try CommandLineFixture()
        #expect(try fixture.stock("add-batch", "b1", "LAMP", "10", "--eta", "2026-02-10").status == 0)
        let before = try fixture.contents()
        let again = try fixture.stock("add-batch", "b1", "LAMP", "10", "--eta", "2026-02-10")
        #expect(again.status == 0)
        #expect(again.stdout == "b1\n")
        #expect(again.stderr.contains("batch b1 was already there; nothing changed"))
        #expect(try fixture.contents() == before)
        for different in [["b1", "LAMP", "11", "--eta", "2026-02-10"], ["b1", "LAMP", "10"], ["b1", "DESK", "10"]] {
            let refused = try StockProcess.run(
                ["--db", fixture.path, "add-batch"] + different, environment: fixture.environment)
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("b1"))
        }
        #expect(try fixture.contents() == before)
    }
}
