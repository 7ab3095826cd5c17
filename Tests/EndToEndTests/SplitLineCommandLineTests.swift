import Foundation
import TestSupport
import Testing

/// Lines in pieces from the command line, `apply` and `init`, on both engines: the opening example under each
/// policy, the answers scripts read, and a bad `splitLines` value.
@Suite struct SplitLineCommandLineTests {
    /// B1, B2 and B3 with 40 TV each, in the warehouse.
    func threeBatches() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for reference in ["B1", "B2", "B3"] {
            let result = try cli.stock("add-batch", reference, "TV", "40")
            try #require(result.status == 0, "\(result.stderr)")
        }
        return cli
    }

    func stock(_ cli: CommandLineFixture, policy: String, _ arguments: String..., input: String? = nil) throws
        -> ProcessResult
    {
        var environment = cli.environment
        environment["STOCK_SPLIT_LINES"] = policy
        return try StockProcess.run(["--db", cli.path] + arguments, input: input, environment: environment)
    }

    @Test func theOpeningExampleUnderEachPolicy() throws {
        let cli = try threeBatches()
        let never = try stock(cli, policy: "never", "allocate", "O2", "TV", "100")
        #expect(never.status == 4)
        #expect(
            never.stdout
                == "waiting: O2 TV x100 (no single batch can take 100; 120 available in 3 batches; splitLines is "
                + "never)\n")
        #expect(try cli.stock("deallocate", "O2", "TV").status == 0)
        let split = try cli.stock("allocate", "O1", "TV", "100")
        #expect(split.status == 0, "\(split.stderr)")
        #expect(split.stdout == "allocated O1 TV x100: x40 from B1, x40 from B2, x20 from B3\n")
        let partial = try stock(cli, policy: "partial", "allocate", "O3", "TV", "30")
        #expect(partial.status == 4)
        #expect(
            partial.stdout
                == "allocated O3 TV x20 of 30: x20 from B3\nwaiting: O3 TV x10 (out of stock for TV)\n")
        let listing = try cli.stock("allocations", "O3", "--json")
        let rows = try #require(try cli.decodeJSON(listing.stdout) as? [[String: Any]])
        #expect(rows.map { $0["qty"] as? Int } == [20, 10])
        #expect(rows.map { $0["status"] as? String } == ["allocated", "waiting"])
        #expect(rows.last?["batchref"] is NSNull)
    }

    @Test func applyAnswersAnAllocationWithItsPiecesAndWhatWaits() throws {
        let cli = try threeBatches()
        let input = [
            #"{"command":"Allocate","orderid":"O1","sku":"TV","qty":100}"#,
            #"{"command":"Allocate","orderid":"O2","sku":"TV","qty":30}"#,
            #"{"command":"Deallocate","orderid":"O1","sku":"TV"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 4)
        let answers = try result.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        #expect(answers[0]["status"] as? String == "allocated")
        #expect(answers[0]["batchref"] is NSNull)
        #expect(
            (answers[0]["pieces"] as? [[String: Any]])?.map { "\($0["batchref"] ?? "") x\($0["qty"] ?? "")" } == [
                "B1 x40", "B2 x40", "B3 x20",
            ])
        #expect(answers[0]["waiting"] as? Int == 0)
        #expect(answers[1]["status"] as? String == "waiting")
        #expect(answers[1]["waiting"] as? Int == 30)
        // Freeing O1's pieces fills O2 from them, oldest first.
        #expect(answers[2]["batchref"] is NSNull)
        #expect((answers[2]["pieces"] as? [[String: Any]])?.count == 3)
        #expect((answers[2]["filled"] as? [[String: Any]])?.map { $0["batchref"] as? String } == ["B1"])
    }

    /// A line that waited under `never` is placed in pieces by `init` under the default, with its events.
    @Test func initPlacesTheWaitingLinesTheDefaultCanNowPlace() throws {
        let cli = try threeBatches()
        #expect(try stock(cli, policy: "never", "allocate", "O1", "TV", "100").status == 4)
        let initialized = try cli.stock("init")
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(
            initialized.stdout == "filled O1 TV x40 from B1\nfilled O1 TV x40 from B2\nfilled O1 TV x20 from B3\n")
        #expect(try cli.stock("backorders", "--json").stdout == "[]\n")
        let again = try cli.stock("init")
        #expect(again.status == 0 && again.stdout.isEmpty, "\(again.stdout)")
    }

    /// B1 with 40 TV in the warehouse, S1 with 10 arriving, O1 for 60 under `partial`: x40, x10 and x10 waiting.
    @Test func aPartialShipmentFromTheCommandLineAndApply() throws {
        let cli = try CommandLineFixture()
        #expect(try cli.stock("add-batch", "B1", "TV", "40").status == 0)
        #expect(try cli.stock("add-batch", "S1", "TV", "10", "--eta", "2099-01-10").status == 0)
        #expect(try stock(cli, policy: "partial", "allocate", "O1", "TV", "60").status == 4)
        let refused = try cli.stock("ship", "O1")
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("nothing was shipped: O1 TV has x10 on arriving batch S1, x10 waiting"),
            "\(refused.stderr)")
        let partial = try cli.stock("ship", "O1", "--partial")
        #expect(partial.status == 0, "\(partial.stderr)")
        #expect(
            partial.stdout == "shipped O1 TV x40 from B1\nO1 TV x20 stays open: x10 on arriving batch S1, x10 waiting\n"
        )
        let listing = try cli.stock("allocations", "O1", "--json")
        let rows = try #require(try cli.decodeJSON(listing.stdout) as? [[String: Any]])
        #expect(rows.map { $0["status"] as? String } == ["shipped", "allocated", "waiting"])
        #expect(rows.map { $0["qty"] as? Int } == [40, 10, 10])
        #expect(rows[0]["shippedFrom"] as? String == "B1")
        #expect(rows[0]["shippedAt"] is String)
        #expect(rows[1]["batchref"] as? String == "S1")
        #expect(rows[2]["batchref"] is NSNull)
        #expect(try cli.stock("backorders", "--json").stdout.contains(#""qty":10"#))

        let input = [
            #"{"command":"Ship","orderid":"O1","partial":true}"#,
            #"{"command":"ReceiveBatch","ref":"S1"}"#,
            #"{"command":"Ship","orderid":"O1","partial":true}"#,
            #"{"command":"Ship","orderid":"O1","partial":"yes"}"#,
        ].joined(separator: "\n")
        let applied = try cli.stock("apply", input: input)
        // The last line is malformed (exit 2); the others ran.
        #expect(applied.status == 2, "\(applied.stdout)")
        let answers = try applied.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        #expect(answers[0]["ok"] as? Bool == false)
        #expect(
            answers[0]["error"] as? String
                == "nothing was shipped: O1 TV has nothing in the warehouse: x10 on arriving batch S1, x10 waiting")
        #expect(answers[2]["ok"] as? Bool == true)
        #expect((answers[2]["shipped"] as? [[String: Any]])?.map { $0["batchref"] as? String } == ["S1"])
        let open = try #require(answers[2]["open"] as? [[String: Any]])
        #expect(open.count == 1)
        #expect(open.first?["qty"] as? Int == 10)
        #expect(open.first?["waiting"] as? Int == 10)
        #expect((open.first?["pieces"] as? [Any])?.isEmpty == true)
        #expect(answers[3]["ok"] as? Bool == false)
        #expect((answers[3]["error"] as? String)?.contains(#"field "partial" must be true or false"#) == true)
        let after = try #require(
            try cli.decodeJSON(cli.stock("allocations", "O1", "--json").stdout) as? [[String: Any]])
        #expect(after.map { $0["status"] as? String } == ["shipped", "waiting"])
        #expect(after.map { $0["qty"] as? Int } == [50, 10])
        #expect(after.first?["shippedFrom"] as? String == "B1, S1")
    }

    @Test func aBadPolicyIsRefusedNamingTheKey() throws {
        let cli = try threeBatches()
        let result = try stock(cli, policy: "sometimes", "allocate", "O1", "TV", "1")
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("splitLines must be never, batches or partial, got sometimes"), "\(result.stderr)")
        #expect(try cli.stock("allocations", "O1", "--json").stderr == "Unknown order O1\n", "nothing was allocated")
    }
}
