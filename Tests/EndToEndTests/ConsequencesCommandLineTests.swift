import Foundation
import TestSupport
import Testing

/// What a supplier's change delays, a placement on a late batch and an allocation that overtook older waiting
/// lines, through the real binary on both engines: the lines printed, apply's answers, the event and the
/// notification, and refusals and bad input that leave the database as it was. The test clock is 2026-01-15.
@Suite struct ConsequencesCommandLineTests {
    let cli: CommandLineFixture

    init() throws {
        cli = try CommandLineFixture()
    }

    /// S-1 x10 due 2026-01-20 holding WEB-6 x2 and WEB-7 x3; S-2 x3 due 2026-01-30.
    func twoShipments() throws {
        for arguments in [
            ["add-batch", "S-1", "TV", "10", "--eta", "2026-01-20"],
            ["add-batch", "S-2", "TV", "3", "--eta", "2026-01-30"],
            ["allocate", "WEB-6", "TV", "2"], ["allocate", "WEB-7", "TV", "3"],
        ] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func aLaterETAListsWhatItDelaysRecordsItAndNotifiesAndAnEarlierOneNothing() throws {
        try twoShipments()
        let later = try cli.stock("change-eta", "S-1", "2026-01-25")
        #expect(later.status == 0, "\(later.stderr)")
        #expect(
            later.stdout
                == "S-1 due 2026-01-25\ndelays WEB-6 TV x2: 2026-01-20 → 2026-01-25\n"
                + "delays WEB-7 TV x3: 2026-01-20 → 2026-01-25\n")
        let events = try cli.stock("events", "--json").stdout.split(separator: "\n")
        let lastLine = try #require(events.last)
        let last = try #require(try cli.decodeJSON(String(lastLine)) as? [String: Any])
        #expect(last["kind"] as? String == "OrdersDelayed")
        #expect((last["delayed"] as? [[String: Any]])?.map { $0["orderid"] as? String } == ["WEB-6", "WEB-7"])
        let sent = try String(contentsOfFile: cli.notificationsPath, encoding: .utf8)
        #expect(sent.contains("Batch S-1 delays order WEB-6 TV x2: 2026-01-20 → 2026-01-25; order WEB-7 TV x3"))
        let earlier = try cli.stock("change-eta", "S-1", "2026-01-18")
        #expect(earlier.stdout == "S-1 due 2026-01-18\n")
        #expect(try cli.stock("events", "--json").stdout.split(separator: "\n").count == events.count + 1)
    }

    @Test func aShortReceiptAndAShrinkListTheLinesTheyMakeLaterOrLeaveWaiting() throws {
        try twoShipments()
        try cli.stock("allocate", "WEB-8", "TV", "3")
        let shrunk = try cli.stock("change-quantity", "S-1", "5")
        #expect(shrunk.status == 0)
        #expect(
            shrunk.stdout
                == "moved WEB-8 TV x3 from S-1 to S-2\ndelays WEB-8 TV x3: 2026-01-20 → 2026-01-30\n")
        let received = try cli.stock("receive", "S-1", "2")
        #expect(received.status == 4)
        #expect(
            received.stdout
                == "received S-1 x2\nmoved WEB-7 TV x3 from S-1 to waiting\n"
                + "delays WEB-7 TV x3: 2026-01-20 → waiting\n")
    }

    @Test func applyAnswersTheDelayedLines() throws {
        try twoShipments()
        let input = """
            {"command":"ChangeBatchEta","ref":"S-1","eta":"2026-01-22"}
            {"command":"ChangeBatchQuantity","ref":"S-1","qty":2}
            """
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try result.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        let eta = try #require(answers.first?["delayed"] as? [[String: Any]])
        #expect(eta.map { $0["orderid"] as? String } == ["WEB-6", "WEB-7"])
        #expect(eta.first?["from"] as? String == "2026-01-20")
        #expect(eta.first?["to"] as? String == "2026-01-22")
        #expect(eta.first?["qty"] as? Int == 2)
        let shrink = try #require(answers.last?["delayed"] as? [[String: Any]])
        #expect(shrink.map { $0["orderid"] as? String } == ["WEB-7"])
        #expect(shrink.first?["to"] as? String == "2026-01-30")
    }

    @Test func refusalsAndBadInputLeaveTheDatabaseAsItWas() throws {
        try twoShipments()
        let before = try cli.contents()
        let unknown = try cli.stock("change-eta", "NOPE", "2026-02-01")
        #expect(unknown.status == 1)
        let badDate = try cli.stock("change-eta", "S-1", "2026-02-30")
        #expect(badDate.status == 2)
        let badQuantity = try cli.stock("change-quantity", "S-1", "-3")
        #expect(badQuantity.status == 2)
        let badReceipt = try cli.stock("receive", "S-1", "many")
        #expect(badReceipt.status == 2)
        let badLine = try cli.stock("apply", input: #"{"command":"ChangeBatchEta","ref":"S-1","eta":7}"#)
        #expect(badLine.status == 2)
        #expect(try cli.contents() == before)
    }

    @Test func aLineOnALateBatchSaysHowLateUnderEveryPolicy() throws {
        try cli.stock("add-batch", "B-1062", "TV", "10", "--eta", "2026-01-13")
        for (index, policy) in ["never", "batches", "partial"].enumerated() {
            let result = try StockProcess.run(
                ["--db", cli.path, "allocate", "O\(index)", "TV", "1"],
                environment: cli.environment.merging(["STOCK_SPLIT_LINES": policy]) { $1 })
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "allocated O\(index) TV x1 to B-1062 (2 days late)\n")
        }
        let answer = try cli.stock("apply", input: #"{"command":"Allocate","orderid":"A","sku":"TV","qty":1}"#)
        #expect(answer.stdout.contains(#""batchref":"B-1062""#))
    }

    @Test func anAllocationThatOvertakesOlderWaitingLinesSaysSoOnStandardError() throws {
        try cli.stock("add-batch", "W-1", "BLUE-CHAIR", "2")
        for order in ["OLD-1", "OLD-2"] { try cli.stock("allocate", order, "BLUE-CHAIR", "5") }
        let small = try cli.stock("allocate", "NEW-1", "BLUE-CHAIR", "2")
        #expect(small.status == 0)
        #expect(small.stdout == "allocated NEW-1 BLUE-CHAIR x2 to W-1\n")
        #expect(small.stderr == "note: 2 older lines wait for BLUE-CHAIR; none fits in the 2 units this line took\n")
        try cli.stock("add-batch", "W-2", "LAMP", "5")
        let alone = try cli.stock("allocate", "NEW-2", "LAMP", "2")
        #expect(alone.stderr == "")
        let again = try cli.stock("allocate", "NEW-1", "BLUE-CHAIR", "2")
        #expect(!again.stderr.contains("note:"))
    }

    @Test func atRiskListsLatePiecesAndWaitingLinesWithWhereTheyCouldGoAndWhen() throws {
        try cli.stock("add-batch", "LATE", "TV", "4", "--eta", "2026-01-13")
        try cli.stock("allocate", "A", "TV", "4")
        try cli.stock("allocate", "W", "TV", "60")
        try cli.stock("add-batch", "SOON", "TV", "5", "--eta", "2026-01-19")
        let table = try cli.stock("at-risk")
        #expect(table.status == 0)
        #expect(
            table.stdout == """
                ORDER  SKU  QTY  STATUS   BATCH  ETA         COULD TAKE IT NOW  DUE
                A      TV   4    late     LATE   2026-01-13  SOON               2026-01-19
                W      TV   60   waiting  -      -           none               -

                """)
        let json = try cli.stock("at-risk", "--json")
        #expect(
            json.stdout
                == #"[{"orderid":"A","sku":"TV","qty":4,"status":"late","batchref":"LATE","eta":"2026-01-13","#
                + #""alternative":"SOON","alternativeEta":"2026-01-19"},{"orderid":"W","sku":"TV","qty":60,"#
                + #""status":"waiting","batchref":null,"eta":null,"alternative":null,"alternativeEta":null}]"# + "\n")
        let bad = try cli.stock("at-risk", "--sku")
        #expect(bad.status == 2)
    }
}
