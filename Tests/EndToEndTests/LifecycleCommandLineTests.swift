import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The stock lifecycle through the real `stock` binary: backorders, receiving, re-dating, shipping, moving, the
/// listings and `--user`, with the test settings' clock (2026-01-15).
@Suite struct LifecycleCommandLineTests {
    let cli: CommandLineFixture

    init() throws {
        cli = try CommandLineFixture()
    }

    /// Runs `stock` with extra variables over the fixture's.
    func stock(_ arguments: [String], with variables: [String: String]) throws -> ProcessResult {
        try StockProcess.run(
            ["--db", cli.path] + arguments, environment: cli.environment.merging(variables) { $1 })
    }

    /// The issue's opening scenario: the older order waits when the batch shrinks, the newer keeps its stock, and
    /// a new batch fills the older first.
    @Test func aShrinkKeepsTheOlderOrderWaitingAndANewBatchFillsIt() throws {
        try cli.stock("add-batch", "W-1", "TV", "10")
        #expect(try cli.stock("allocate", "OLD-1", "TV", "8").stdout == "allocated OLD-1 TV x8 to W-1\n")
        #expect(try cli.stock("allocate", "NEW-1", "TV", "2").stdout == "allocated NEW-1 TV x2 to W-1\n")
        let shrink = try cli.stock("change-quantity", "W-1", "5")
        #expect(shrink.status == 4, "\(shrink.stderr)")
        #expect(shrink.stdout == "moved OLD-1 TV x8 from W-1 to waiting\ndelays OLD-1 TV x8: 2026-01-15 → waiting\n")
        #expect(
            try cli.stock("allocations", "OLD-1", "--json").stdout
                == #"[{"sku":"TV","batchref":null,"qty":8,"status":"waiting","since":"2026-01-15T12:00:00.000Z"}]"#
                + "\n")
        #expect(
            try cli.stock("allocations", "OLD-1").stdout
                == "SKU  QTY  STATUS\nTV   8    waiting since 2026-01-15 12:00:00 UTC\n")
        #expect(
            try cli.stock("allocations", "NEW-1", "--json").stdout
                == #"[{"sku":"TV","batchref":"W-1","qty":2,"status":"allocated"}]"# + "\n")
        let receipt = try cli.stock("add-batch", "W-2", "TV", "100")
        #expect(receipt.status == 0)
        #expect(receipt.stdout == "W-2\nfilled OLD-1 TV x8 from W-2\n")
        #expect(try cli.stock("allocations", "OLD-1").stdout == "SKU  QTY  STATUS\nTV   8    allocated to W-2\n")
        #expect(try cli.stock("backorders", "--json").stdout == "[]\n")
    }

    @Test func receivingFillsWaitingLinesAndClearsTheEta() throws {
        try cli.stock("add-batch", "S-1", "LAMP", "10", "--eta", "2026-02-01")
        try cli.stock("allocate", "o1", "LAMP", "8")
        let waiting = try cli.stock("allocate", "o2", "LAMP", "5")
        #expect(waiting.status == 4)
        #expect(waiting.stdout == "waiting: o2 LAMP x5 (out of stock for LAMP)\n")
        let received = try cli.stock("receive", "S-1", "14")
        #expect(received.status == 0, "\(received.stderr)")
        #expect(received.stdout == "received S-1 x14\nfilled o2 LAMP x5 from S-1\n")
        #expect(try cli.stock("batches", "--json").stdout.contains(#""reference":"S-1","sku":"LAMP","eta":null"#))
        let before = try cli.contents()
        let again = try cli.stock("receive", "S-1")
        #expect(again.status == 1)
        #expect(again.stderr == "batch S-1 is already in the warehouse\n")
        #expect(try cli.contents() == before)
    }

    @Test func receivingLessThanOrderedMovesLinesAndExitsFourWhenOneWaits() throws {
        try cli.stock("add-batch", "S-2", "LAMP", "10", "--eta", "2026-02-01")
        try cli.stock("allocate", "o1", "LAMP", "8")
        let received = try cli.stock("receive", "S-2", "5")
        #expect(received.status == 4)
        #expect(
            received.stdout
                == "received S-2 x5\nmoved o1 LAMP x8 from S-2 to waiting\ndelays o1 LAMP x8: 2026-02-01 → waiting\n")
        #expect(try cli.stock("backorders").stdout.contains("o1     LAMP  8"))
    }

    @Test func reDatingKeepsTheAllocationsAndTheSameDateChangesNothing() throws {
        try cli.stock("add-batch", "S-1", "LAMP", "10", "--eta", "2026-02-01")
        try cli.stock("allocate", "o1", "LAMP", "3")
        let slipped = try cli.stock("change-eta", "S-1", "2026-02-10")
        #expect(slipped.status == 0)
        #expect(slipped.stdout == "S-1 due 2026-02-10\ndelays o1 LAMP x3: 2026-02-01 → 2026-02-10\n")
        #expect(
            try cli.stock("batches", "--json").stdout.contains(
                #""eta":"2026-02-10","purchased":10,"shipped":0,"onHand":10,"allocated":3"#))
        let before = try cli.contents()
        let same = try cli.stock("change-eta", "S-1", "2026-02-10")
        #expect(same.status == 0)
        #expect(same.stderr == "S-1 already had that ETA; nothing changed\n")
        #expect(try cli.contents() == before)
    }

    @Test func shippingTakesTheLinesOutAndRefusesWhatCannotShip() throws {
        try cli.stock("add-batch", "b1", "LAMP", "10")
        try cli.stock("add-batch", "t1", "TV", "5")
        try cli.stock("allocate", "o1", "TV", "2")
        try cli.stock("allocate", "o1", "LAMP", "3")
        let shipped = try cli.stock("ship", "o1")
        #expect(shipped.status == 0)
        #expect(shipped.stdout == "shipped o1 LAMP x3 from b1\nshipped o1 TV x2 from t1\n")
        let lines = try cli.stock("allocations", "o1", "--json").stdout
        #expect(
            lines
                == #"[{"sku":"LAMP","batchref":null,"qty":3,"status":"shipped","shippedAt":"2026-01-15T12:00:00.000Z","#
                + #""shippedFrom":"b1"},{"sku":"TV","batchref":null,"qty":2,"status":"shipped","#
                + #""shippedAt":"2026-01-15T12:00:00.000Z","shippedFrom":"t1"}]"# + "\n")
        // b1 keeps what was bought; the 3 shipped leave 7 on hand, all of it available.
        #expect(
            try cli.stock("batches", "--sku", "LAMP").stdout.contains(
                "b1         LAMP  in stock  10         3        7        0          7"))
        try cli.stock("allocate", "o2", "LAMP", "50")
        let before = try cli.contents()
        for (arguments, message) in [
            (["ship", "o1"], "order o1 has nothing left to ship"),
            (["ship", "o2"], "nothing was shipped: o2 LAMP is waiting for stock"),
            (["ship", "nobody"], "Unknown order nobody"),
            (["allocate", "o1", "LAMP", "3"], "o1 LAMP was shipped"),
            (["deallocate", "o1", "LAMP"], "o1 LAMP was shipped"),
        ] {
            let refused = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr == message + "\n", "\(arguments)")
            #expect(refused.stdout.isEmpty)
        }
        #expect(try cli.contents() == before)
    }

    @Test func movingPutsALineOnAnotherBatchAndRefusesOneWithoutRoom() throws {
        try cli.stock("add-batch", "b1", "LAMP", "10")
        try cli.stock("add-batch", "S-1", "LAMP", "10", "--eta", "2026-02-01")
        try cli.stock("add-batch", "tiny", "LAMP", "1", "--eta", "2026-02-02")
        try cli.stock("allocate", "o1", "LAMP", "3")
        let moved = try cli.stock("move", "o1", "LAMP", "S-1")
        #expect(moved.status == 0)
        #expect(moved.stdout == "moved o1 LAMP from b1 to S-1\n")
        #expect(try cli.stock("allocations", "o1").stdout.contains("allocated to S-1"))
        let before = try cli.contents()
        for (arguments, message) in [
            (["move", "o1", "LAMP", "tiny"], "batch tiny has 1 available, line needs 3"),
            (["move", "o1", "LAMP", "S-1"], "S-1"),
            (["move", "o1", "LAMP", "nope"], "Unknown batch nope"),
            (["move", "o9", "LAMP", "b1"], "Unknown order o9"),
            (["move", "o1", "RUG", "b1"], "order o1 has no line for RUG"),
        ] {
            let refused = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            #expect(refused.status == 1, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        #expect(try cli.contents() == before)
    }

    @Test func allocateWaitingFillsOnDemandWhenAutoAllocateIsOff() throws {
        let manual = ["STOCK_AUTO_ALLOCATE": "false"]
        try cli.stock("add-batch", "b1", "LAMP", "2")
        #expect(try cli.stock("allocate", "o1", "LAMP", "5").status == 4)
        #expect(try stock(["add-batch", "b2", "LAMP", "10"], with: manual).stdout == "b2\n")
        #expect(try cli.stock("backorders", "--json").stdout.contains(#""orderid":"o1""#))
        let filled = try stock(["allocate-waiting", "LAMP"], with: manual)
        #expect(filled.status == 0)
        #expect(filled.stdout == "filled o1 LAMP x5 from b2\n")
        let before = try cli.contents()
        let nothing = try stock(["allocate-waiting"], with: manual)
        #expect(nothing.status == 0)
        #expect(nothing.stderr == "no waiting line fits a batch; nothing changed\n")
        #expect(try cli.contents() == before)
    }

    @Test func backordersListOldestFirstWithTheirAgeByTheClock() throws {
        try cli.stock("add-batch", "b1", "LAMP", "2")
        try cli.stock("add-batch", "t1", "TV", "1")
        try cli.stock("allocate", "o1", "LAMP", "5")
        try cli.stock("allocate", "o2", "TV", "3")
        try cli.stock("allocate", "o3", "LAMP", "4")
        let later = ["STOCK_CLOCK": "2026-01-17"]
        #expect(
            try stock(["backorders"], with: later).stdout == """
                ORDER  SKU   QTY  WAITING SINCE            AGE
                o1     LAMP  5    2026-01-15 12:00:00 UTC  2d 0h
                o2     TV    3    2026-01-15 12:00:00 UTC  2d 0h
                o3     LAMP  4    2026-01-15 12:00:00 UTC  2d 0h

                """)
        #expect(
            try stock(["backorders", "--sku", "LAMP", "--json"], with: later).stdout
                == #"[{"orderid":"o1","sku":"LAMP","qty":5,"since":"2026-01-15T12:00:00.000Z","ageSeconds":172800},"#
                + #"{"orderid":"o3","sku":"LAMP","qty":4,"since":"2026-01-15T12:00:00.000Z","ageSeconds":172800}]"#
                + "\n")
    }

    @Test func atRiskListsLinesOnLateBatchesWithWhereTheyCouldGo() throws {
        try cli.stock("add-batch", "late", "LAMP", "10", "--eta", "2026-01-10")
        try cli.stock("allocate", "o1", "LAMP", "4")
        try cli.stock("add-batch", "now", "LAMP", "10")
        try cli.stock("add-batch", "late-tv", "TV", "10", "--eta", "2026-01-12")
        try cli.stock("allocate", "o2", "TV", "4")
        #expect(
            try cli.stock("at-risk").stdout == """
                ORDER  SKU   QTY  STATUS  BATCH    ETA         COULD TAKE IT NOW  DUE
                o1     LAMP  4    late    late     2026-01-10  now                in stock
                o2     TV    4    late    late-tv  2026-01-12  none               -

                """)
        #expect(
            try cli.stock("at-risk", "--json").stdout
                == #"[{"orderid":"o1","sku":"LAMP","qty":4,"status":"late","batchref":"late","eta":"2026-01-10","#
                + #""alternative":"now","alternativeEta":null},"#
                + #"{"orderid":"o2","sku":"TV","qty":4,"status":"late","batchref":"late-tv","eta":"2026-01-12","#
                + #""alternative":null,"alternativeEta":null}]"#
                + "\n")
        #expect(try stock(["at-risk", "--json"], with: ["STOCK_CLOCK": "2026-01-05"]).stdout == "[]\n")
    }

    @Test func theOperatorIsRecordedAndShownByHistoryAndTheEventLog() throws {
        let ann = ["STOCK_USER": "ann"]
        _ = try stock(["add-batch", "b1", "LAMP", "2"], with: ann)
        #expect(try stock(["allocate", "o1", "LAMP", "5"], with: ann).status == 4)
        #expect(try stock(["--user", "bob", "add-batch", "b2", "LAMP", "10"], with: ann).status == 0)
        let history = try cli.stock("history", "o1").stdout.split(separator: "\n").map(String.init)
        #expect(history.count == 3)
        #expect(history.first == "ID  TIME                     OPERATOR  EVENT       DETAILS")
        #expect(history.dropFirst().first?.hasPrefix(" 2  2026-01-15 12:00:00 UTC  ann       OutOfStock") == true)
        #expect(history.last?.hasPrefix(" 4  2026-01-15 12:00:00 UTC  bob       Allocated ") == true)
        let json = try cli.stock("history", "--batch", "b2", "--json").stdout
        #expect(
            json == "["
                + #"{"id":3,"at":"2026-01-15T12:00:00.000Z","operator":"bob","kind":"BatchCreated","ref":"b2","#
                + #""sku":"LAMP","qty":10,"eta":null},"#
                + #"{"id":4,"at":"2026-01-15T12:00:00.000Z","operator":"bob","kind":"Allocated","orderid":"o1","#
                + #""sku":"LAMP","qty":5,"batchref":"b2"}"#
                + "]\n")
        #expect(
            try cli.stock("events", "--since", "2").stdout.hasPrefix(
                "3  2026-01-15 12:00:00 UTC  bob  BatchCreated          "))
    }

    @Test func applyAnswersEachLifecycleCommand() throws {
        try cli.stock("add-batch", "b1", "LAMP", "10")
        try cli.stock("add-batch", "S-1", "LAMP", "10", "--eta", "2026-02-01")
        let input = """
            {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":8}
            {"command":"Allocate","orderid":"o2","sku":"LAMP","qty":8}
            {"command":"Allocate","orderid":"o3","sku":"LAMP","qty":8}
            {"command":"ChangeBatchEta","ref":"S-1","eta":"2026-02-03"}
            {"command":"ReceiveBatch","ref":"S-1","qty":30}
            {"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"S-1"}
            {"command":"Ship","orderid":"o2"}
            {"command":"Deallocate","orderid":"o9","sku":"LAMP"}
            {"command":"AllocateWaiting","sku":"LAMP"}
            {"command":"ReceiveBatch","ref":"S-1"}
            {"command":"Ship","orderid":"o2","sku":7}
            """
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 2)
        let answers = result.stdout.split(separator: "\n").map(String.init)
        let expected: [String] = [
            #"{"ok":true,"line":1,"command":"Allocate","status":"allocated","batchref":"b1","orderid":"o1","#
                + #""sku":"LAMP","qty":8,"pieces":[{"batchref":"b1","qty":8}],"waiting":0,"alreadyAllocated":false,"#
                + #""changed":true}"#,
            #"{"ok":true,"line":2,"command":"Allocate","status":"allocated","batchref":"S-1","orderid":"o2","#
                + #""sku":"LAMP","qty":8,"pieces":[{"batchref":"S-1","qty":8}],"waiting":0,"alreadyAllocated":false,"#
                + #""changed":true}"#,
            #"{"ok":true,"line":3,"command":"Allocate","status":"waiting","batchref":null,"orderid":"o3","sku":"LAMP","#
                + #""qty":8,"pieces":[],"waiting":8,"message":"Out of stock for LAMP: order o3 waits for 8","#
                + #""changed":true}"#,
            #"{"ok":true,"line":4,"command":"ChangeBatchEta","status":"done","ref":"S-1","eta":"2026-02-03","#
                + #""delayed":[{"orderid":"o2","sku":"LAMP","qty":8,"from":"2026-02-01","to":"2026-02-03"}],"#
                + #""changed":true}"#,
            #"{"ok":true,"line":5,"command":"ReceiveBatch","status":"done","ref":"S-1","qty":30,"moved":0,"#
                + #""moves":[],"filled":[{"orderid":"o3","sku":"LAMP","qty":8,"batchref":"S-1"}],"delayed":[],"#
                + #""changed":true}"#,
            #"{"ok":true,"line":6,"command":"MoveLine","status":"done","orderid":"o1","sku":"LAMP","from":"b1","#
                + #""to":"S-1","filled":[],"changed":true}"#,
            #"{"ok":true,"line":7,"command":"Ship","status":"done","shipped":[{"orderid":"o2","sku":"LAMP","#
                + #""qty":8,"batchref":"S-1"}],"open":[],"changed":true}"#,
            #"{"ok":false,"line":8,"command":"Deallocate","error":"Unknown order o9","changed":false}"#,
            #"{"ok":true,"line":9,"command":"AllocateWaiting","status":"done","filled":[],"changed":false}"#,
            #"{"ok":false,"line":10,"command":"ReceiveBatch","error":"batch S-1 is already in the warehouse","changed":false}"#,
            #"{"ok":false,"line":11,"command":"Ship","error":"Ship: field \"sku\" must be a string, got 7","changed":false}"#,
        ]
        #expect(answers == expected)
    }

    @Test func applyExitsFourWhenALineWasLeftWaitingAndNothingWasRefused() throws {
        try cli.stock("add-batch", "W-1", "TV", "10")
        let input = """
            {"command":"Allocate","orderid":"OLD-1","sku":"TV","qty":8}
            {"command":"Allocate","orderid":"NEW-1","sku":"TV","qty":2}
            {"command":"ChangeBatchQuantity","ref":"W-1","qty":5}
            {"command":"Deallocate","orderid":"OLD-1","sku":"TV"}
            """
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 4)
        let answers = result.stdout.split(separator: "\n").map(String.init)
        let expected: [String] = [
            #"{"ok":true,"line":3,"command":"ChangeBatchQuantity","status":"waiting","ref":"W-1","moved":1,"#
                + #""moves":[{"orderid":"OLD-1","sku":"TV","qty":8,"from":"W-1","to":null}],"filled":[],"#
                + #""delayed":[{"orderid":"OLD-1","sku":"TV","qty":8,"from":"2026-01-15","to":null}],"#
                + #""message":"Out of stock for TV: order OLD-1 waits for 8","changed":true}"#,
            #"{"ok":true,"line":4,"command":"Deallocate","status":"cancelled","batchref":null,"orderid":"OLD-1","#
                + #""sku":"TV","qty":8,"changed":true}"#,
        ]
        #expect(Array(answers.dropFirst(2)) == expected)
    }

    @Test func deallocatingAWaitingLineCancelsIt() throws {
        try cli.stock("add-batch", "b1", "LAMP", "2")
        try cli.stock("allocate", "o1", "LAMP", "5")
        let cancelled = try cli.stock("deallocate", "o1", "LAMP")
        #expect(cancelled.status == 0)
        #expect(cancelled.stdout == "cancelled o1 LAMP x5 (it was waiting)\n")
        let listed = try cli.stock("allocations", "o1", "--json").stdout
        #expect(listed.contains(#""status":"cancelled""#), "\(listed)")
    }

    /// A database written before the lifecycle (schema version 2): `stock init` brings it forward, its line without
    /// a batch becomes a backorder that new stock fills, and its old events read in the history.
    @Test(.sqliteOnly) func aVersionTwoDatabaseIsMigratedByInitAndKeepsWorking() throws {
        let old = try CommandLineFixture(initialize: false)
        do {
            let database = try Database(path: old.path, access: .create)
            try database.transaction { db in
                for migration in Schema.migrations.prefix(2) {
                    for sql in migration.sqlite { try db.execute(sql) }
                }
                try db.execute("PRAGMA user_version = 2")
                try db.execute("INSERT INTO products (sku, version) VALUES ('TV', 3)")
                try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('W-1', 'TV', 5)")
                try db.execute("INSERT INTO order_lines (orderid, sku, qty) VALUES ('OLD-1', 'TV', 8)")
                try db.execute(
                    "INSERT INTO events (at, kind, payload) VALUES ('2026-01-14T09:00:00.000Z', 'Deallocated', ?)",
                    #"{"orderid":"OLD-1","sku":"TV","qty":8}"#)
            }
        }
        let stale = try old.stock("allocations", "OLD-1")
        #expect(stale.status == 3)
        #expect(stale.stderr.contains("init"), "\(stale.stderr)")
        #expect(try old.stock("init").status == 0)
        #expect(try old.stock("allocations", "OLD-1").stdout.contains("waiting since"))
        #expect(try old.stock("add-batch", "W-2", "TV", "100").stdout == "W-2\nfilled OLD-1 TV x8 from W-2\n")
        let history = try old.stock("history", "OLD-1").stdout.split(separator: "\n")
        #expect(history.count == 3)
        #expect(history.dropFirst().first?.hasPrefix(" 1  2026-01-14 09:00:00 UTC  -         Deallocated") == true)
    }
}
