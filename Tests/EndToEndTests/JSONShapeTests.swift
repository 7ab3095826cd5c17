import Foundation
import TestSupport
import Testing

/// Every listing's `--json` is one JSON array, on either engine; only `events --json` is JSON lines.
@Suite struct JSONShapeTests {
    /// The document `text` holds, which must be a whole JSON array.
    func array(_ text: String) throws -> [[String: Any]] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [[String: Any]], "not an array of objects: \(text)")
    }

    @Test func historyOfAnOrderOrABatchIsOneArray() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        try cli.stock("allocate", "o1", "LAMP", "3")
        try cli.stock("ship", "o1")

        let order = try cli.stock("history", "o1", "--json")
        #expect(order.status == 0)
        #expect(order.stdout.hasPrefix("[") && order.stdout.hasSuffix("]\n"))
        #expect(order.stdout.split(separator: "\n").count == 1)
        let events = try array(order.stdout)
        #expect(events.count == 2)
        #expect(events.first?["kind"] as? String == "Allocated")
        #expect(events.allSatisfy { $0["orderid"] as? String == "o1" || $0["orderid"] == nil })

        let batch = try array(try cli.stock("history", "--batch", "b1", "--json").stdout)
        #expect(batch.first?["kind"] as? String == "BatchCreated")
        let ids = batch.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted() && ids.count == batch.count)
    }

    @Test func aHistoryOfOneEventIsStillAnArray() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let result = try cli.stock("history", "--batch", "b1", "--json")
        let events = try array(result.stdout)
        #expect(events.count == 1)
        #expect(events.first?["kind"] as? String == "BatchCreated")
    }

    @Test func everyListingIsAnArrayAndTheEventLogIsJSONLines() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1")
        try cli.stock("allocate", "o1", "LAMP", "1")
        try cli.stock("allocate", "o2", "LAMP", "2")
        for arguments in [
            ["batches"], ["allocations", "o1"], ["backorders"], ["at-risk"], ["history", "o2"],
            ["history", "--batch", "b1"],
        ] {
            let result = try cli.stock(arguments + ["--json"])
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(try !array(result.stdout).isEmpty, "\(arguments)")
        }
        let lines = try cli.stock("events", "--json").stdout.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any], "\(line)")
        }
    }
}
