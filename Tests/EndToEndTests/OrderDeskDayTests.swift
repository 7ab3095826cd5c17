import Foundation
import TestSupport
import Testing

/// A day at the order desk, on both engines, every answer checked: an advance shipping notice, web-shop orders,
/// a supplier's delay, a short delivery whose rest comes later, a shipment, a cancellation, "where is my order?",
/// and, a fortnight later, "which orders are at risk?" and a re-plan.
@Suite struct OrderDeskDayTests {
    struct Step {
        let arguments: [String]
        let stdout: String
        var status: Int32 = 0
        var day = "2026-12-07"
    }

    static let day: [Step] = [
        Step(arguments: ["add-batch", "SHELF-1", "TV", "4"], stdout: "SHELF-1\nnew SKU TV created\n"),
        Step(arguments: ["add-batch", "ASN-101", "TV", "10", "--eta", "2026-12-09"], stdout: "ASN-101\n"),
        Step(arguments: ["allocate", "WEB-5", "TV", "3"], stdout: "allocated WEB-5 TV x3 to SHELF-1\n"),
        Step(arguments: ["allocate", "WEB-6", "TV", "5"], stdout: "allocated WEB-6 TV x5 to ASN-101\n"),
        Step(arguments: ["allocate", "WEB-7", "TV", "4"], stdout: "allocated WEB-7 TV x4 to ASN-101\n"),
        Step(
            arguments: ["change-eta", "ASN-101", "2026-12-15"],
            stdout: "ASN-101 due 2026-12-15\ndelays WEB-6 TV x5: 2026-12-09 → 2026-12-15\n"
                + "delays WEB-7 TV x4: 2026-12-09 → 2026-12-15\n"),
        Step(
            arguments: ["order", "WEB-6"],
            stdout: """
                order WEB-6: open
                SKU  QTY  STATUS     EXPECTED    WHERE
                TV   5    allocated  2026-12-15  x5 on ASN-101 (eta 2026-12-15)

                """),
        Step(
            arguments: ["receive", "ASN-101", "6", "--rest-eta", "2026-12-20"],
            stdout: "received ASN-101 x6\nrest ASN-101-REST x4 arriving 2026-12-20\n"
                + "moved WEB-7 TV x4 from ASN-101 to ASN-101-REST\ndelays WEB-7 TV x4: 2026-12-15 → 2026-12-20\n"),
        Step(arguments: ["ship", "WEB-5"], stdout: "shipped WEB-5 TV x3 from SHELF-1\n"),
        Step(arguments: ["cancel", "WEB-6"], stdout: "cancelled WEB-6 TV x5: freed x5 from ASN-101\n"),
        Step(
            arguments: ["order", "WEB-6"],
            stdout: """
                order WEB-6: cancelled
                SKU  QTY  STATUS     EXPECTED  WHERE
                TV   5    cancelled  -         cancelled at 2026-12-07 12:00:00 UTC

                """),
        Step(arguments: ["order", "web-7"], stdout: "", status: 1),
        Step(arguments: ["at-risk", "--json"], stdout: "[]\n"),
        Step(
            arguments: ["at-risk"],
            stdout: """
                ORDER  SKU  QTY  STATUS  BATCH         ETA         COULD TAKE IT NOW  DUE
                WEB-7  TV   4    late    ASN-101-REST  2026-12-20  ASN-101            in stock

                """, day: "2026-12-21"),
        Step(
            arguments: ["replan"],
            stdout: "moved WEB-7 TV x4 from ASN-101-REST to ASN-101: complete 2026-12-21 instead of 2026-12-20 "
                + "(late)\n", day: "2026-12-21"),
        Step(
            arguments: ["order", "WEB-7"],
            stdout: """
                order WEB-7: open
                SKU  QTY  STATUS     EXPECTED    WHERE
                TV   4    allocated  2026-12-21  x4 on ASN-101 (in the warehouse)

                """, day: "2026-12-21"),
    ]

    @Test func aDayAtTheOrderDesk() throws {
        let cli = try CommandLineFixture()
        for step in Self.day {
            var environment = cli.environment
            environment["STOCK_CLOCK"] = step.day
            environment["STOCK_TIME"] = "utc"
            let result = try StockProcess.run(["--db", cli.path] + step.arguments, environment: environment)
            #expect(result.status == step.status, "\(step.arguments): \(result.stderr)")
            #expect(result.stdout == step.stdout, "\(step.arguments)")
            if step.status == 1 {
                #expect(result.stderr == "Unknown order web-7; did you mean WEB-7?\n")
            }
        }
        // The order's history has each move; the batch's, the delays it caused.
        let order = try cli.stock("history", "WEB-7").stdout
        #expect(order.components(separatedBy: "Allocated").count - 1 == 3, "\(order)")
        let batch = try cli.stock("history", "--batch", "ASN-101").stdout
        #expect(batch.components(separatedBy: "OrdersDelayed").count - 1 == 2, "\(batch)")
    }
}
