import Foundation
import TestSupport
import Testing

/// `stock replan` and `apply`'s `Replan` on both engines: what they print and answer, a dry run, refusals and bad
/// input, which leave the database unchanged.
@Suite struct ReplanCommandLineTests {
    /// NEW-2 x10 on SHIP-9 (due 2026-03-20) when W-2 with 12 comes into the warehouse.
    func supplyChanged() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "SHIP-9", "TV", "50", "--eta", "2026-03-20"],
            ["add-batch", "SHIP-8", "TV", "20", "--eta", "2026-03-10"], ["allocate", "OLD-1", "TV", "30"],
            ["allocate", "NEW-1", "TV", "15"], ["allocate", "NEW-2", "TV", "10"], ["add-batch", "W-2", "TV", "12"],
        ] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: cli.environment)
            try #require(result.status == 0, "\(result.stderr)")
        }
        return cli
    }

    @Test func replanSaysWhatMovesAndADryRunChangesNothing() throws {
        let cli = try supplyChanged()
        let before = try cli.contents()
        let dry = try cli.stock("replan", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "would move NEW-2 TV x10 from SHIP-9 to W-2: complete 2026-01-15 instead of 2026-03-20\n")
        #expect(try cli.contents() == before)
        let done = try cli.stock("replan", "TV")
        #expect(done.status == 0, "\(done.stderr)")
        #expect(done.stdout == "moved NEW-2 TV x10 from SHIP-9 to W-2: complete 2026-01-15 instead of 2026-03-20\n")
        let nothing = try cli.stock("replan")
        #expect(nothing.status == 0)
        #expect(nothing.stderr == "no allocated line completes sooner elsewhere; nothing changed\n")
    }

    @Test func replanRefusesAnUnknownSKUAndBadUsageAndChangesNothing() throws {
        let cli = try supplyChanged()
        let before = try cli.contents()
        let unknown = try cli.stock("replan", "NOPE")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "Invalid sku NOPE\n")
        #expect(try cli.stock("replan", "TV", "MORE").status == 2)
        #expect(try cli.stock("replan", "--dryrun").status == 2)
        #expect(try cli.contents() == before)
    }

    @Test func applyAnswersReplanAndRefusesBadLines() throws {
        let cli = try supplyChanged()
        let before = try cli.contents()
        let bad = try cli.stock(
            "apply",
            input: #"{"command":"Replan","dryRun":"yes"}"# + "\n" + #"{"command":"Replan","sku":"TV","ref":"X"}"#)
        #expect(bad.status == 2)
        #expect(bad.stdout.split(separator: "\n").allSatisfy { $0.contains(#""ok":false"#) })
        #expect(try cli.contents() == before)
        let input = [
            #"{"command":"Replan","sku":"TV","dryRun":true}"#, #"{"command":"Replan"}"#,
            #"{"command":"Replan","sku":"NOPE"}"#,
        ].joined(separator: "\n")
        let result = try cli.stock("apply", input: input)
        #expect(result.status == 1)
        let move =
            #"[{"orderid":"NEW-2","sku":"TV","qty":10,"from":[{"batchref":"SHIP-9","qty":10}],"#
            + #""to":[{"batchref":"W-2","qty":10}],"was":"2026-03-20","now":"2026-01-15"}]"#
        let expected: [String] = [
            #"{"ok":true,"line":1,"command":"Replan","status":"done","dryRun":true,"replanned":"# + move
                + #","changed":false}"#,
            #"{"ok":true,"line":2,"command":"Replan","status":"done","dryRun":false,"replanned":"# + move
                + #","changed":true}"#,
            #"{"ok":false,"line":3,"command":"Replan","error":"Invalid sku NOPE","changed":false}"#,
        ]
        let answers = result.stdout.split(separator: "\n").map(String.init)
        #expect(answers.count == expected.count)
        for (answer, wanted) in zip(answers, expected) { #expect(answer == wanted) }
    }
}
