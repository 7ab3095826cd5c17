import Foundation
import TestSupport
import Testing

/// `stock projection` on both engines (the test settings' clock says 2026-01-15): the text, the JSON, its exit
/// statuses, and an unknown SKU named with the nearest known one.
@Suite struct ProjectionCommandLineTests {
    /// TV: W-1 with 10 in the warehouse, SHIP-1 with 20 due 2026-01-17, SHIP-2 with 5 due 2026-01-20, LATE-1 with 4
    /// due 2026-01-10; OLD-1 takes W-1's 10 and 20 of SHIP-1's, NEW-1's 12 wait (no batch has room for all 12
    /// since SHIP-2 has 5 and LATE-1 4).
    func stocked() throws -> CommandLineFixture {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "W-1", "TV", "10"], ["add-batch", "SHIP-1", "TV", "20", "--eta", "2026-01-17"],
            ["allocate", "OLD-1", "TV", "30"], ["add-batch", "SHIP-2", "TV", "5", "--eta", "2026-01-20"],
            ["add-batch", "LATE-1", "TV", "4", "--eta", "2026-01-10"], ["allocate", "NEW-1", "TV", "12"],
        ] {
            let result = try cli.stock(arguments)
            try #require(result.status == 0 || result.status == 4, "\(arguments): \(result.stderr)")
        }
        return cli
    }

    @Test func theTextListsTodayAndTheDaysSomethingArrivesAndSaysWhetherTheWaitingLinesAreCovered() throws {
        let cli = try stocked()
        let result = try cli.stock("projection", "TV")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                DATE              ARRIVING  ON HAND  ALLOCATED  AVAILABLE  WAITING
                2026-01-15 today  0         10       10         0          12
                2026-01-17        20        30       30         0          12
                2026-01-20        5         35       30         5          12
                late: LATE-1 x4, ETA 2026-01-10, not counted
                Waiting lines (12 units) are not covered by any batch due by 2026-01-20; late: LATE-1 (4 units, \
                ETA 2026-01-10)

                """)
        #expect(result.stderr.isEmpty)
    }

    @Test func theJSONHasOneEntryADayAndTheLateBatches() throws {
        let cli = try stocked()
        let before = try cli.contents()
        let result = try cli.stock("projection", "TV", "--json")
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try cli.decodeJSON(result.stdout) as? [String: Any])
        #expect(object["sku"] as? String == "TV")
        let days = try #require(object["days"] as? [[String: Any]])
        #expect(days.map { $0["date"] as? String } == (15...20).map { "2026-01-\($0)" })
        #expect(days.map { $0["arriving"] as? Int } == [0, 0, 20, 0, 0, 5])
        #expect(days.map { $0["onHand"] as? Int } == [10, 10, 30, 30, 30, 35])
        #expect(days.map { $0["allocated"] as? Int } == [10, 10, 30, 30, 30, 30])
        #expect(days.map { $0["available"] as? Int } == [0, 0, 0, 0, 0, 5])
        #expect(days.map { $0["waiting"] as? Int } == [12, 12, 12, 12, 12, 12])
        #expect(Set(days.flatMap(\.keys)) == ["date", "arriving", "onHand", "allocated", "available", "waiting"])
        let late = try #require(object["late"] as? [[String: Any]])
        #expect(late.count == 1)
        #expect(late.first?["batchref"] as? String == "LATE-1")
        #expect(late.first?["qty"] as? Int == 4)
        #expect(late.first?["eta"] as? String == "2026-01-10")
        #expect(try cli.contents() == before)
    }

    @Test func aSKUInStockOnlyIsTodayAndCoveredLinesAreDated() throws {
        let cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "W-1", "LAMP", "4"], ["allocate", "A-1", "LAMP", "9"],
            ["add-batch", "S-1", "LAMP", "3", "--eta", "2026-01-16"],
        ] {
            try #require([0, 4].contains(try cli.stock(arguments).status))
        }
        // A-1's 9 fit in neither batch; 7 are free from 2026-01-16, not enough.
        let waiting = try cli.stock("projection", "LAMP")
        #expect(waiting.stdout.hasSuffix("Waiting lines (9 units) are not covered by any batch due by 2026-01-16\n"))
        // With autoAllocate off, S-2 is not given to A-1: from its day 9 are free, as many as wait.
        let noFilling = cli.environment.merging(["STOCK_AUTO_ALLOCATE": "false"]) { $1 }
        let added = try StockProcess.run(
            ["--db", cli.path, "add-batch", "S-2", "LAMP", "2", "--eta", "2026-01-18"], environment: noFilling)
        try #require(added.status == 0, "\(added.stderr)")
        let covered = try cli.stock("projection", "LAMP")
        #expect(covered.stdout.hasSuffix("Waiting lines (9 units) covered from 2026-01-18\n"), "\(covered.stdout)")
        try #require(try cli.stock("allocate-waiting", "LAMP").status == 0)
        let filled = try cli.stock("projection", "LAMP")
        #expect(filled.stdout.hasSuffix("No line waits; 0 available today\n"), "\(filled.stdout)")
        try #require(try cli.stock("add-batch", "W-9", "DESK", "6").status == 0)
        let desk = try cli.stock("projection", "DESK", "--json")
        #expect(
            desk.stdout == #"{"sku":"DESK","days":[{"date":"2026-01-15","arriving":0,"onHand":6,"allocated":0,"#
                + #""available":6,"waiting":0}],"late":[]}"# + "\n")
    }

    @Test func anUnknownSKUIsBadUsageNamingTheNearestKnownOne() throws {
        let cli = try stocked()
        let before = try cli.contents()
        let typo = try cli.stock("projection", "TVV")
        #expect(typo.status == 1)
        #expect(typo.stdout.isEmpty)
        #expect(typo.stderr == "Invalid sku TVV; did you mean TV?\n", "\(typo.stderr)")
        let lowerCase = try cli.stock("projection", "tv", "--json")
        #expect(lowerCase.status == 1)
        #expect(lowerCase.stderr == "Invalid sku tv; did you mean TV?\n", "\(lowerCase.stderr)")
        let far = try cli.stock("projection", "WARDROBE")
        #expect(far.status == 1)
        #expect(far.stderr == "Invalid sku WARDROBE\n", "\(far.stderr)")
        #expect(try cli.stock("projection").status == 2)
        #expect(try cli.stock("projection", "TV", "MORE").status == 2)
        #expect(try cli.stock("projection", "TV", "--jsn").status == 2)
        #expect(try cli.stock("projection", "").status == 2)
        #expect(try cli.contents() == before)
    }
}
