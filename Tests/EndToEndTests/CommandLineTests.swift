import Allocation
import Foundation
import TestSupport
import Testing

/// The book's end-to-end tests, through the `stock` executable instead of an HTTP API.
@Suite struct CommandLineTests {
    let cli: CommandLineFixture

    init() throws {
        cli = try CommandLineFixture()
    }

    @Test func happyPathAllocatesToTheEarliestBatchAndTheViewShowsIt() throws {
        try cli.stock("add-batch", "laterbatch", "SKU-1", "100", "--eta", "2026-01-16")
        try cli.stock("add-batch", "earlybatch", "SKU-1", "100", "--eta", "2026-01-15")
        try cli.stock("add-batch", "otherbatch", "SKU-2", "100")
        let result = try cli.stock("allocate", "order-1", "SKU-1", "3")
        #expect(result.status == 0)
        #expect(result.stdout == "allocated order-1 SKU-1 x3 to earlybatch\n")
        let view = try cli.stock("allocations", "order-1", "--json")
        #expect(view.status == 0)
        #expect(view.stdout == #"[{"sku":"SKU-1","batchref":"earlybatch","qty":3,"status":"allocated"}]"# + "\n")
    }

    @Test func unhappyPathUnknownSkuExitsOneAndTheOrderHasNoAllocations() throws {
        let result = try cli.stock("allocate", "order-1", "UNKNOWN-SKU", "20")
        #expect(result.status == 1)
        #expect(result.stderr == "Invalid sku UNKNOWN-SKU\n")
        let listed = try cli.stock("allocations", "order-1", "--json")
        #expect(listed.status == 1 && listed.stderr == "Unknown order order-1\n", "the order has no line")
    }

    @Test func changeBatchQuantityLeadsToReallocation() throws {
        try cli.stock("add-batch", "batch1", "SKU-1", "10", "--eta", "2026-01-15")
        try cli.stock("add-batch", "batch2", "SKU-1", "10", "--eta", "2026-01-16")
        #expect(try cli.stock("allocate", "order1", "SKU-1", "10").stdout == "allocated order1 SKU-1 x10 to batch1\n")
        let before = try cli.stock("events", "--json").stdout.split(separator: "\n").count
        #expect(try cli.stock("change-quantity", "batch1", "5").status == 0)
        let events = try cli.stock("events", "--json", "--since", String(before)).stdout.split(separator: "\n")
        let decoded = try events.map { try #require(try cli.decodeJSON(String($0)) as? [String: Any]) }
        #expect(
            decoded.map { $0["kind"] as? String } == [
                "BatchQuantityChanged", "Deallocated", "Allocated", "OrdersDelayed",
            ])
        let allocated = try #require(decoded.dropLast().last)
        #expect(allocated["orderid"] as? String == "order1")
        #expect(allocated["batchref"] as? String == "batch2")
        #expect(allocated["qty"] as? Int == 10)
        let delayed = try #require(decoded.last?["delayed"] as? [[String: Any]])
        #expect(delayed.map { $0["orderid"] as? String } == ["order1"])
        #expect(delayed.map { $0["to"] as? String } == ["2026-01-16"])
    }

    @Test func outOfStockWaitsExitsFourAndNotifiesTheConfiguredAddressNamingTheOrder() throws {
        try cli.stock("add-batch", "b1", "LAMP", "2")
        let result = try cli.stock("allocate", "o1", "LAMP", "3")
        #expect(result.status == 4)
        #expect(result.stdout == "waiting: o1 LAMP x3 (out of stock for LAMP)\n")
        #expect(result.stderr.isEmpty)
        #expect(
            try String(contentsOfFile: cli.notificationsPath, encoding: .utf8)
                == "to stock@made.com: Out of stock for LAMP: order o1 waits for 3\n")
    }

    @Test func allocatingTwiceReportsTheSameBatch() throws {
        try cli.stock("add-batch", "b1", "LAMP", "20")
        #expect(try cli.stock("allocate", "o1", "LAMP", "3").stdout == "allocated o1 LAMP x3 to b1\n")
        let again = try cli.stock("allocate", "o1", "LAMP", "3")
        #expect(again.status == 0)
        #expect(again.stdout == "allocated o1 LAMP x3 to b1\n")
        #expect(again.stderr == "o1 LAMP x3 was already allocated to b1; nothing changed\n")
        let conflicting = try cli.stock("allocate", "o1", "LAMP", "4")
        #expect(conflicting.status == 1)
        #expect(conflicting.stderr.contains("order o1 already has a line for LAMP with qty 3"))
    }

    @Test func batchesListInPreferenceOrderAsJson() throws {
        try cli.stock("add-batch", "ship", "LAMP", "5", "--eta", "2026-02-01")
        try cli.stock("add-batch", "ware", "LAMP", "7")
        try cli.stock("allocate", "o1", "LAMP", "2")
        let result = try cli.stock("batches", "--sku", "LAMP", "--json")
        #expect(
            result.stdout
                == #"[{"reference":"ware","sku":"LAMP","eta":null,"purchased":7,"shipped":0,"onHand":7,"allocated":2,"#
                + #""available":5},{"reference":"ship","sku":"LAMP","eta":"2026-02-01","purchased":5,"shipped":0,"#
                + #""onHand":5,"allocated":0,"available":5}]"# + "\n")
        let table = try cli.stock("batches").stdout.split(separator: "\n")
        #expect(table.first == "REFERENCE  SKU   ETA         PURCHASED  SHIPPED  ON HAND  ALLOCATED  AVAILABLE")
        #expect(table.dropFirst().first == "ware       LAMP  in stock    7          0        7        2          5")
    }

    /// Text that reached the database some other way is still shown safely: no escape sequence is printed, and
    /// wide characters keep the columns aligned.
    @Test func listingsSanitizeAndAlignWhatIsInTheDatabase() throws {
        try cli.stock("add-batch", "B-東京", "LAMP", "7")
        do {
            let db = try rawConnection(to: cli.path)
            try db.execute("UPDATE batches SET reference = 'B-\u{1B}[2J-X' WHERE reference = 'B-東京'")
            try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('B-箱箱', 'LAMP', 3)")
        }
        var utf8 = cli.environment
        utf8["LANG"] = "C.UTF-8"
        let table = try StockProcess.run(["--db", cli.path, "batches"], environment: utf8).stdout
        #expect(!table.contains("\u{1B}"))
        let lines = table.split(separator: "\n").map(String.init)
        // "B-箱箱" is six cells wide, "B-?[2J-X" eight: both columns end at the same cell.
        #expect(lines.contains("B-?[2J-X   LAMP  in stock  7          0        7        0          7"), "\(table)")
        #expect(lines.contains("B-箱箱     LAMP  in stock  3          0        3        0          3"), "\(table)")
        let json = try cli.stock("batches", "--json").stdout
        #expect(json.contains(#""reference":"B-\u001b[2J-X""#), "\(json)")
    }

    @Test func deallocateFreesTheLine() throws {
        try cli.stock("add-batch", "b1", "LAMP", "5")
        try cli.stock("allocate", "o1", "LAMP", "5")
        let result = try cli.stock("deallocate", "o1", "LAMP")
        #expect(result.status == 0)
        #expect(result.stdout == "b1\n")
        let listed = try cli.stock("allocations", "o1", "--json").stdout
        #expect(
            listed.hasPrefix(#"[{"sku":"LAMP","batchref":null,"qty":5,"status":"cancelled","cancelledAt":"#),
            "\(listed)")
        #expect(try cli.stock("allocate", "o2", "LAMP", "5").stdout == "allocated o2 LAMP x5 to b1\n")
    }

    @Test func applyRunsEveryLineAndReportsEach() throws {
        let input = """
            {"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}
            {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}

            {"command":"Allocate","orderid":"o2","sku":"LAMP","qty":30}
            {"command":"Allocate","orderid":"o3","sku":"NOPE","qty":1}
            {"command":"ChangeBatchQuantity","ref":"b1","qty":4}
            {"command":"Deallocate","orderid":"o1","sku":"LAMP"}

            """
        let result = try cli.stock("apply", "-", input: input)
        #expect(result.status == 1)
        let expected: [String] = [
            #"{"ok":true,"line":1,"command":"CreateBatch","status":"done","ref":"b1","sku":"LAMP","newSku":true,"#
                + #""filled":[],"changed":true}"#,
            #"{"ok":true,"line":2,"command":"Allocate","status":"allocated","batchref":"b1","orderid":"o1","#
                + #""sku":"LAMP","qty":3,"pieces":[{"batchref":"b1","qty":3}],"waiting":0,"alreadyAllocated":false,"#
                + #""changed":true}"#,
            #"{"ok":true,"line":4,"command":"Allocate","status":"waiting","batchref":null,"orderid":"o2","sku":"LAMP","#
                + #""qty":30,"pieces":[],"waiting":30,"message":"Out of stock for LAMP: order o2 waits for 30","#
                + #""changed":true}"#,
            #"{"ok":false,"line":5,"command":"Allocate","error":"Invalid sku NOPE","changed":false}"#,
            #"{"ok":true,"line":6,"command":"ChangeBatchQuantity","status":"done","ref":"b1","moved":0,"moves":[],"#
                + #""filled":[],"delayed":[],"changed":true}"#,
            #"{"ok":true,"line":7,"command":"Deallocate","status":"done","batchref":"b1","filled":[],"changed":true}"#,
        ]
        #expect(result.stdout.split(separator: "\n").map(String.init) == expected)
    }

    @Test func applyReportsMalformedLinesAndRunsTheRest() throws {
        let file = cli.folder.appendingPathComponent("commands.jsonl").path
        try """
        {"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}
        {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":"three"}
        not json at all
        {"command":"Allocate","orderid":"o2","sku":"LAMP","qty":2}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try cli.stock("apply", file)
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(
            lines[1]
                == #"{"ok":false,"line":2,"command":"Allocate","error":"Allocate: field \"qty\" must be a whole "#
                + #"number, got \"three\"","changed":false}"#)
        #expect(lines[2] == #"{"ok":false,"line":3,"error":"not valid JSON: \"not json at all\"","changed":false}"#)
        #expect(lines[3].hasPrefix(#"{"ok":true,"line":4"#))
        #expect(
            try cli.stock("allocations", "o2", "--json").stdout
                == #"[{"sku":"LAMP","batchref":"b1","qty":2,"status":"allocated"}]"# + "\n")
    }

    @Test func eventsFollowPrintsWhatOtherProcessesCommit() throws {
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let follower = try cli.start("events", "--follow", "--json")
        try cli.stock("allocate", "o1", "LAMP", "2")
        // The follower polls every refresh interval (50 ms in the test settings); a loaded machine may take a
        // while to start it, so wait for the second line rather than for a fixed time. On a server it prints an
        // event only once every older transaction on the server has ended (README: `events --follow`), and the
        // suites running beside this one hold transactions open for seconds on purpose: the wait allows for it.
        try follower.waitForOutput(timeout: 60) { $0.split(separator: "\n").count >= 2 }
        kill(follower.processIdentifier, SIGTERM)
        let output = try follower.wait().stdout.split(separator: "\n")
        #expect(output.count == 2)
        #expect(
            output.last?.contains(#""kind":"Allocated","orderid":"o1","sku":"LAMP","qty":2,"batchref":"b1""#) == true)
    }

    @Test func initDemoFillsAnEmptyDatabaseOnce() throws {
        let demo = try CommandLineFixture(initialize: false)
        let result = try demo.stock("init", "--demo")
        #expect(result.status == 0, "\(result.stderr)")
        let batches = try #require(try demo.decodeJSON(try demo.stock("batches", "--json").stdout) as? [[String: Any]])
        #expect(batches.count > 50)
        #expect(Set(batches.compactMap { $0["sku"] as? String }).count >= 24)
        #expect(batches.contains { $0["eta"] is NSNull } && batches.contains { $0["eta"] is String })
        #expect(batches.contains { ($0["allocated"] as? Int ?? 0) > 0 })
        let again = try demo.stock("init", "--demo")
        #expect(again.status == 2)
        #expect(again.stderr.contains("already has batches"))
        #expect(try demo.stock("init").status == 0)
    }

    @Test func aMissingDatabaseNamesStockInit() throws {
        let missing = try CommandLineFixture(initialize: false)
        let result = try missing.stock("batches")
        #expect(result.status == 3)
        #expect(result.stderr.contains("stock --db \(missing.path) init"))
        if TestEngine.isPostgres {
            // A server schema without stock's tables is what a missing file is to SQLite.
            #expect(result.stderr.contains("\(missing.path) is not a stock database (it has no stock schema)"))
        } else {
            #expect(result.stderr.contains("no database at \(missing.path)"))
            #expect(!FileManager.default.fileExists(atPath: missing.path))
        }
    }

    @Test func helpIsEverywhere() throws {
        for subcommand in [
            "init", "add-batch", "allocate", "deallocate", "change-quantity", "receive", "change-eta", "ship", "move",
            "allocate-waiting", "batches", "allocations", "backorders", "at-risk", "history", "events", "apply",
            "monitor", "demo",
        ] {
            let result = try cli.stock(subcommand, "--help")
            #expect(result.status == 0)
            #expect(result.stdout.hasPrefix("Usage: stock \(subcommand)"), "\(subcommand)")
        }
        let general = try cli.stock("--help")
        #expect(general.status == 0)
        #expect(general.stdout.contains("Exit status: 0 done, 1 refused by a business rule"))
    }
}

/// README's first command: `stock demo` makes the demo database on first use and opens the console on it.
@Suite struct DemoCommandTests {
    @Test func demoOpensTheConsoleOnAFreshDemoDatabase() throws {
        let folder = try TemporaryFolder()
        let session = try TmuxSession(
            command: "'\(StockProcess.executable)' demo; echo EXIT=$?; sleep 600",
            environment: ["XDG_DATA_HOME": folder.path])
        defer { session.kill() }
        let screen = try session.waitFor("OPERATOR")
        #expect(screen.contains("demo.sqlite"))
        #expect(screen.contains("75 batches · 32 SKUs"))
        #expect(screen.contains("in stock"))
        try session.send("q")
        #expect(try session.waitFor("EXIT=").contains("EXIT=0"))
        #expect(FileManager.default.fileExists(atPath: folder.path + "/stock/demo.sqlite"))
    }

    @Test func demoResetNeverDeletesAFileNamedByDb() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "precious", "LAMP", "10")
        let before = try cli.contents()
        let session = try TmuxSession(
            command: "'\(StockProcess.executable)' --db '\(cli.path)' demo --reset; echo EXIT=$?; sleep 600")
        defer { session.kill() }
        let screen = try session.waitFor("EXIT=")
        #expect(screen.contains("EXIT=2"), "\(screen)")
        #expect(screen.contains("--reset only remakes the demo database"), "\(screen)")
        #expect(try cli.contents() == before)
        let noTerminal = try StockProcess.run(["--db", cli.path, "demo", "--reset"])
        #expect(noTerminal.status == 2)
        #expect(try cli.contents() == before)
    }

    @Test func demoNeedsATerminal() throws {
        let folder = try TemporaryFolder()
        let result = try StockProcess.run(["demo"], environment: ["XDG_DATA_HOME": folder.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("needs a terminal"), "\(result.stderr)")
    }
}
