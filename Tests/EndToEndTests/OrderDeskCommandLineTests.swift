import Foundation
import TestSupport
import Testing

/// `order`, `cancel` and `change-line` from the command line and `apply`, on both engines: answers, exit statuses,
/// unknown orders and bad input that changes nothing.
@Suite struct OrderDeskCommandLineTests {
    /// SHELF with 4 TV in the warehouse, SHIP with 10 arriving on 2099-01-10; WEB-6 for 6 TV and 1 LAMP (waiting
    /// on its arriving batch's SKU with no room).
    func orderDesk() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "SHELF", "TV", "4"], ["add-batch", "SHIP", "TV", "3", "--eta", "2099-01-10"],
            ["add-batch", "L1", "LAMP", "1"], ["allocate", "WEB-1", "LAMP", "1"], ["allocate", "WEB-6", "TV", "6"],
            ["allocate", "WEB-6", "LAMP", "2"],
        ] {
            let result = try cli.stock(arguments)
            try #require(result.status == 0 || result.status == 4, "\(arguments): \(result.stderr)")
        }
        return cli
    }

    @Test func theOrderAsAWholeInTextAndJSON() throws {
        let cli = try orderDesk()
        let text = try cli.stock("order", "WEB-6")
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "order WEB-6: open")
        #expect(
            lines.contains {
                $0.hasPrefix("TV    6    allocated  2099-01-10  x4 on SHELF (in the warehouse), x2 on SHIP")
            })
        #expect(lines.contains { $0.hasPrefix("LAMP  2    waiting    -           x2 waiting since") })
        let json = try #require(try cli.decodeJSON(cli.stock("order", "WEB-6", "--json").stdout) as? [String: Any])
        #expect(json["status"] as? String == "open")
        let orderLines = try #require(json["lines"] as? [[String: Any]])
        #expect(orderLines.map { $0["sku"] as? String } == ["LAMP", "TV"])
        #expect(orderLines[1]["expected"] as? String == "2099-01-10")
        #expect(orderLines[0]["expected"] is NSNull)
        let pieces = try #require(orderLines[1]["pieces"] as? [[String: Any]])
        #expect(pieces.map { $0["batchref"] as? String } == ["SHELF", "SHIP"])
        #expect(pieces.map { $0["late"] as? Bool } == [false, false])
    }

    @Test func anUnknownOrderIsSaidByEveryCommandThatTakesOne() throws {
        let cli = try orderDesk()
        let before = try cli.contents()
        for arguments in [
            ["order", "web-6"], ["allocations", "web-6"], ["history", "web-6"], ["ship", "web-6"], ["cancel", "web-6"],
            ["deallocate", "web-6", "TV"], ["move", "web-6", "TV", "SHELF"], ["change-line", "web-6", "TV", "2"],
        ] {
            let result = try cli.stock(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr == "Unknown order web-6; did you mean WEB-6?\n", "\(arguments): \(result.stderr)")
        }
        let plain = try cli.stock("order", "NOPE-1")
        #expect(plain.status == 1 && plain.stderr == "Unknown order NOPE-1\n")
        #expect(try cli.contents() == before)
    }

    @Test func cancellingAnOrderKeepsItsLinesListed() throws {
        let cli = try orderDesk()
        let cancelled = try cli.stock("cancel", "WEB-6")
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        #expect(
            cancelled.stdout
                == "cancelled WEB-6 LAMP x2: x2 was waiting\ncancelled WEB-6 TV x6: freed x4 from SHELF, "
                + "freed x2 from SHIP\n")
        #expect(try cli.stock("order", "WEB-6").stdout.hasPrefix("order WEB-6: cancelled\n"))
        let listed = try #require(
            try cli.decodeJSON(cli.stock("allocations", "WEB-6", "--json").stdout) as? [[String: Any]])
        #expect(listed.map { $0["status"] as? String } == ["cancelled", "cancelled"])
        let again = try cli.stock("cancel", "WEB-6")
        #expect(again.status == 0 && again.stderr == "order WEB-6 has no open line; nothing changed\n")
    }

    @Test func changingALineFromTheCommandLine() throws {
        let cli = try orderDesk()
        let smaller = try cli.stock("change-line", "WEB-6", "TV", "3")
        #expect(smaller.status == 0, "\(smaller.stderr)")
        #expect(smaller.stdout == "changed WEB-6 TV from x6 to x3: x3 from SHELF\n")
        let larger = try cli.stock("change-line", "WEB-6", "TV", "20")
        #expect(larger.status == 4)
        #expect(larger.stdout == "changed WEB-6 TV from x3 to x20\nwaiting: WEB-6 TV x20 (out of stock for TV)\n")
        let before = try cli.contents()
        for (arguments, status, message) in [
            (["change-line", "WEB-6", "TV", "0"], 2, "qty must be positive, got 0"),
            (["change-line", "WEB-6", "TV", "lots"], 2, #"qty must be a whole number, got "lots""#),
            (["change-line", "WEB-6", "RUG", "2"], 1, "order WEB-6 has no line for RUG"),
        ] {
            let refused = try cli.stock(arguments)
            #expect(refused.status == status, "\(arguments): \(refused.stderr)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        #expect(try cli.contents() == before)
    }

    @Test func applyCancelsOrdersAndChangesLines() throws {
        let cli = try orderDesk()
        let input = [
            #"{"command":"ChangeLine","orderid":"WEB-6","sku":"TV","qty":4}"#,
            #"{"command":"CancelOrder","orderid":"WEB-6"}"#,
            #"{"command":"CancelOrder","orderid":"NOPE"}"#,
            #"{"command":"ChangeLine","orderid":"WEB-6","sku":"TV"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 2, "a malformed line: \(result.stdout)")
        let answers = try result.stdout.split(separator: "\n").map {
            try #require(try cli.decodeJSON(String($0)) as? [String: Any])
        }
        #expect(answers[0]["ok"] as? Bool == true)
        #expect(answers[0]["from"] as? Int == 6 && answers[0]["qty"] as? Int == 4)
        #expect(answers[0]["batchref"] as? String == "SHELF")
        #expect(answers[0]["waiting"] as? Int == 0)
        let cancelled = try #require(answers[1]["cancelled"] as? [[String: Any]])
        #expect(cancelled.map { $0["sku"] as? String } == ["LAMP", "TV"])
        #expect(cancelled.map { $0["waiting"] as? Int } == [2, 0])
        #expect(answers[2]["ok"] as? Bool == false && answers[2]["error"] as? String == "Unknown order NOPE")
        #expect((answers[3]["error"] as? String)?.contains(#"missing field "qty""#) == true, "\(answers[3])")
    }
}
