import Foundation
import TestSupport
import Testing

/// `stock promise` through the real binary, on either engine: its words and JSON, exit 0 and 4, bad input, and
/// that it changes nothing.
@Suite struct PromiseCommandLineTests {
    /// On 2026-12-07: B-1 with 20 TV in the warehouse, W-7 with 50 due 2027-01-12, L-1 with 5 due 2026-12-01 (late),
    /// and OLD waiting for 100.
    func fixture() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "B-1", "TV", "20"], ["add-batch", "W-7", "TV", "50", "--eta", "2027-01-12"],
            ["add-batch", "L-1", "TV", "5", "--eta", "2026-12-01"], ["allocate", "OLD", "TV", "100"],
        ] {
            let result = try stock(cli, arguments)
            try #require([0, 4].contains(result.status), "\(arguments): \(result.stderr)")
        }
        return cli
    }

    func stock(_ cli: CommandLineFixture, _ arguments: [String], policy: String = "batches") throws -> ProcessResult {
        var environment = cli.environment
        environment["STOCK_CLOCK"] = "2026-12-07"
        environment["STOCK_SPLIT_LINES"] = policy
        return try StockProcess.run(["--db", cli.path] + arguments, environment: environment)
    }

    @Test func theWordsAndTheExitStatus() throws {
        let cli = try fixture()
        let before = try cli.contents()
        let cases: [(qty: String, policy: String, stdout: String, status: Int32)] = [
            ("10", "batches", "TV x10: in stock now (B-1)", 0),
            ("30", "batches", "TV x30: 2027-01-12 (arriving W-7), in 36 days", 0),
            ("70", "partial", "TV x70: 2027-01-12 (arriving W-7), in 36 days", 0),
            (
                "75", "batches",
                "TV x75: cannot be promised: it would be on late batch L-1 (due 2026-12-01), whose date is unknown", 4
            ),
            (
                "76", "batches", "TV x76: cannot be promised: 75 available in all batches, 100 units waiting before it",
                4
            ),
            (
                "55", "never",
                "TV x55: cannot be promised: 75 available in all batches, 100 units waiting before it; no single "
                    + "batch can take 55 (splitLines is never)", 4
            ),
        ]
        for (qty, policy, stdout, status) in cases {
            let result = try stock(cli, ["promise", "TV", qty], policy: policy)
            #expect(result.stdout == stdout + "\n", "\(qty) under \(policy)")
            #expect(result.status == status, "\(qty) under \(policy): \(result.stderr)")
            #expect(result.stderr == "")
        }
        #expect(try cli.contents() == before)
    }

    @Test func theJSON() throws {
        let cli = try fixture()
        let before = try cli.contents()
        let promised = try stock(cli, ["promise", "TV", "40", "--json"])
        #expect(promised.status == 0, "\(promised.stderr)")
        #expect(
            promised.stdout
                == #"{"sku":"TV","qty":40,"date":"2027-01-12","batches":[{"batchref":"W-7","qty":40,"eta":"2027-01-12"}],"#
                + #""available":75,"waitingBefore":100}"# + "\n")
        let inStock = try stock(cli, ["promise", "TV", "20", "--json"])
        let object = try #require(try cli.decodeJSON(inStock.stdout) as? [String: Any])
        #expect(object["date"] as? String == "2026-12-07")
        let batches = try #require(object["batches"] as? [[String: Any]])
        #expect(batches.map { $0["batchref"] as? String } == ["B-1"])
        #expect(batches.first?["eta"] is NSNull)
        let cannot = try stock(cli, ["promise", "TV", "76", "--json"])
        #expect(cannot.status == 4)
        #expect(
            cannot.stdout
                == #"{"sku":"TV","qty":76,"date":null,"batches":[],"available":75,"waitingBefore":100}"# + "\n")
        #expect(try cli.contents() == before)
    }

    @Test func badInputIsRefusedAndChangesNothing() throws {
        let cli = try fixture()
        let before = try cli.contents()
        let cases: [(arguments: [String], status: Int32, stderr: String)] = [
            (["promise", "TVV", "3"], 1, "Invalid sku TVV; did you mean TV?"),
            (["promise", "tv", "3"], 1, "Invalid sku tv; did you mean TV?"),
            (["promise", "RADIO", "3"], 1, "Invalid sku RADIO"),
            (["promise", "TV", "0"], 2, "qty must be positive, got 0"),
            (["promise", "TV", "-4"], 2, "qty must be positive, got -4"),
            (["promise", "TV", "many"], 2, #"qty must be a whole number, got "many""#),
            (["promise", "TV", "1000000001"], 2, "qty 1000000001 is too large; the limit is 1000000000"),
        ]
        for (arguments, status, stderr) in cases {
            let result = try stock(cli, arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr == stderr + "\n", "\(arguments)")
            #expect(result.stdout == "")
        }
        let missing = try stock(cli, ["promise", "TV"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("promise needs QTY"))
        #expect(try cli.contents() == before)
    }

    /// What was promised is what allocating does next.
    @Test func allocatingThenDoesWhatWasPromised() throws {
        let cli = try fixture()
        let promised = try stock(cli, ["promise", "TV", "30"])
        #expect(promised.stdout == "TV x30: 2027-01-12 (arriving W-7), in 36 days\n")
        let allocated = try stock(cli, ["allocate", "NEW", "TV", "30"])
        #expect(allocated.stdout == "allocated NEW TV x30 to W-7\n")
    }
}
