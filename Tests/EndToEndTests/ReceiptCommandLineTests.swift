import Foundation
import TestSupport
import Testing

/// `receive --rest-eta`, `unreceive` and `void-batch` from the command line and `apply`, on both engines: what
/// they print and answer, their refusals and bad input, which leave the database unchanged.
@Suite struct ReceiptCommandLineTests {
    /// W-1 with 10 TV in the warehouse, SHIP-7 with 50 arriving on 2026-03-04; OLD-1 x30 and NEW-1 x15 on SHIP-7.
    func arriving() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "W-1", "TV", "10"], ["add-batch", "SHIP-7", "TV", "50", "--eta", "2026-03-04"],
            ["allocate", "OLD-1", "TV", "30"], ["allocate", "NEW-1", "TV", "15"],
        ] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
        return cli
    }

    @Test func receiveWithARestEtaAndUnreceiveTakesItBack() throws {
        let cli = try arriving()
        let before = try cli.contents()["batches"]
        let received = try cli.stock("receive", "SHIP-7", "30", "--rest-eta", "2026-03-20")
        #expect(received.status == 0, "\(received.stderr)")
        #expect(
            received.stdout
                == "received SHIP-7 x30\nrest SHIP-7-REST x20 arriving 2026-03-20\n"
                + "moved NEW-1 TV x15 from SHIP-7 to SHIP-7-REST\ndelays NEW-1 TV x15: 2026-03-04 → 2026-03-20\n")
        let unreceived = try cli.stock("unreceive", "SHIP-7")
        #expect(unreceived.status == 0, "\(unreceived.stderr)")
        #expect(
            unreceived.stdout
                == "unreceived SHIP-7: arriving 2026-03-04 with x50\nrest batch SHIP-7-REST folded back into SHIP-7\n"
                + "moved NEW-1 TV x15 from SHIP-7-REST to SHIP-7\n")
        #expect(try cli.contents()["batches"] == before)
        let again = try cli.stock("unreceive", "SHIP-7")
        #expect(again.status == 1)
        #expect(again.stderr == "cannot unreceive SHIP-7: it is still arriving; nothing was changed\n")
    }

    @Test func aRestEtaWithoutAShortQuantityOrWithABadDateIsBadUsageAndChangesNothing() throws {
        let cli = try arriving()
        let before = try cli.contents()
        let atOrdered = try cli.stock("receive", "SHIP-7", "50", "--rest-eta", "2026-03-20")
        #expect(atOrdered.status == 2)
        #expect(atOrdered.stderr == "a rest ETA needs a quantity below the 50 ordered of batch SHIP-7, got 50\n")
        let noQuantity = try cli.stock("receive", "SHIP-7", "--rest-eta", "2026-03-20")
        #expect(noQuantity.status == 2)
        #expect(noQuantity.stderr == "a rest ETA needs the quantity received, less than the quantity ordered\n")
        let badDate = try cli.stock("receive", "SHIP-7", "30", "--rest-eta", "2026-02-30")
        #expect(badDate.status == 2)
        #expect(badDate.stderr == "--rest-eta \"2026-02-30\" is not a valid date YYYY-MM-DD\n")
        #expect(try cli.stock("unreceive").status == 2)
        #expect(try cli.stock("void-batch", "A", "B").status == 2)
        #expect(try cli.contents() == before)
    }

    @Test func voidBatchReplacesItsLinesOrLetsThemWaitAndIsRefusedAfterAShipment() throws {
        let cli = try arriving()
        let voided = try cli.stock("void-batch", "SHIP-7")
        #expect(voided.status == 4)
        let said =
            "voided SHIP-7\nmoved OLD-1 TV x30 from SHIP-7 to waiting\nmoved NEW-1 TV x15 from SHIP-7 to waiting\n"
        #expect(voided.stdout == said)
        let history = try cli.stock("history", "--batch", "SHIP-7", "--json")
        #expect(history.stdout.contains("BatchCreated") && history.stdout.contains("BatchVoided"))
        #expect(try cli.stock("allocate", "O-W", "TV", "1").status == 0)
        #expect(try cli.stock("ship", "O-W").status == 0)
        let before = try cli.contents()
        let refused = try cli.stock("void-batch", "W-1")
        #expect(refused.status == 1)
        #expect(refused.stderr == "cannot void W-1: stock was shipped from it; nothing was changed\n")
        let unknown = try cli.stock("void-batch", "NOPE")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Unknown batch NOPE\n")
        #expect(try cli.contents() == before)
    }

    @Test func applyAnswersRestReceiptsUnreceiptsAndVoids() throws {
        let cli = try arriving()
        let input = [
            #"{"command":"ReceiveBatch","ref":"SHIP-7","qty":30,"restEta":"2026-03-20"}"#,
            #"{"command":"UnreceiveBatch","ref":"SHIP-7"}"#,
            #"{"command":"VoidBatch","ref":"W-1"}"#,
            #"{"command":"UnreceiveBatch","ref":"W-9"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 1, "\(result.stderr)")
        let answers = result.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == 4)
        let expected: [String] = [
            #"{"ok":true,"line":1,"command":"ReceiveBatch","status":"done","ref":"SHIP-7","qty":30,"rest":{"ref":"SHIP-7-REST","qty":20,"eta":"2026-03-20"},"moved":1,"moves":[{"orderid":"NEW-1","sku":"TV","qty":15,"from":"SHIP-7","to":"SHIP-7-REST"}],"filled":[],"delayed":[{"orderid":"NEW-1","sku":"TV","qty":15,"from":"2026-03-04","to":"2026-03-20"}],"changed":true}"#,
            #"{"ok":true,"line":2,"command":"UnreceiveBatch","status":"done","ref":"SHIP-7","qty":50,"eta":"2026-03-04","removedRest":"SHIP-7-REST","moved":1,"moves":[{"orderid":"NEW-1","sku":"TV","qty":15,"from":"SHIP-7-REST","to":"SHIP-7"}],"filled":[],"changed":true}"#,
            #"{"ok":true,"line":3,"command":"VoidBatch","status":"done","ref":"W-1","moved":0,"moves":[],"filled":[],"changed":true}"#,
            #"{"ok":false,"line":4,"command":"UnreceiveBatch","error":"Unknown batch W-9","changed":false}"#,
        ]
        for (answer, wanted) in zip(answers, expected) { #expect(answer == wanted) }
    }

    @Test func applyRefusesBadReceiptLinesAndChangesNothing() throws {
        let cli = try arriving()
        let before = try cli.contents()
        let input = [
            #"{"command":"ReceiveBatch","ref":"SHIP-7","qty":50,"restEta":"2026-03-20"}"#,
            #"{"command":"ReceiveBatch","ref":"SHIP-7","qty":30,"restEta":"soon"}"#,
            #"{"command":"VoidBatch","ref":"SHIP-7","qty":1}"#,
            #"{"command":"UnreceiveBatch"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 2)
        let answers = try result.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        #expect(answers.map { $0["ok"] as? Bool } == [false, false, false, false])
        #expect(
            answers.first?["error"] as? String
                == "a rest ETA needs a quantity below the 50 ordered of batch SHIP-7, got 50")
        #expect(try cli.contents() == before)
    }
}
