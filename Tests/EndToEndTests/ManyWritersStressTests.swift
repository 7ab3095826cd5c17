import Allocation
import Foundation
import TestSupport
import Testing

/// Eight real `stock apply` processes writing five shared SKUs at once, at the default busy timeout, while a reader
/// loops: every writer gets its turns, and what they leave is whole.
@Suite struct ManyWritersStressTests {
    static let writers = 8
    static let commandsEach = 2_500
    static let skus = (0..<5).map { "S\($0)" }

    /// Writer `k`'s lines: ten batches of its own, then allocations, deallocations of its earlier lines and
    /// quantity changes of its batches, in turn, all on the five shared SKUs.
    static func lines(writer k: Int) -> [String] {
        (0..<commandsEach).map { i in
            let sku = skus[i % skus.count]
            if i < 10 {
                return #"{"command":"CreateBatch","ref":"W\#(k)-B\#(i)","sku":"\#(sku)","qty":50}"#
            }
            switch i % 4 {
            case 0, 1: return #"{"command":"Allocate","orderid":"w\#(k)-o\#(i)","sku":"\#(sku)","qty":\#(1 + i % 4)}"#
            case 2:
                return #"{"command":"Deallocate","orderid":"w\#(k)-o\#(i - 2)","sku":"\#(skus[(i - 2) % skus.count])"}"#
            default: return #"{"command":"ChangeBatchQuantity","ref":"W\#(k)-B\#((i / 4) % 10)","qty":\#(30 + i % 40)}"#
            }
        }
    }

    @Test func eightWritersOnFiveSKUsAllFinishAndLeaveConsistentTables() throws {
        let cli = try CommandLineFixture()
        let started = monotonicSeconds()
        let processes = try (0..<Self.writers).map { k in
            try StockProcess.start(
                ["--db", cli.path, "apply"], input: Self.lines(writer: k).joined(separator: "\n"),
                environment: cli.environment)
        }
        let reader = try rawConnection(to: cli.path, access: .readOnly)
        var reads = 0
        while processes.contains(where: { kill($0.processIdentifier, 0) == 0 }) {
            _ = try Views.batches(in: reader)
            reads += 1
            usleep(20_000)
        }
        let results = try processes.map { try $0.wait() }
        print(
            "ManyWritersStressTests: \(Self.writers) x \(Self.commandsEach) commands and \(reads) reads in "
                + "\(String(format: "%.1f", monotonicSeconds() - started)) s")

        for result in results {
            #expect(result.status != 3, "\(result.stderr)")
            #expect(result.stderr.isEmpty, "\(result.stderr)")
            let answers = result.stdout.split(separator: "\n")
            #expect(answers.count == Self.commandsEach)
            let numbers = answers.compactMap { answer in
                answer.firstRange(of: #""line":"#).flatMap { range in
                    Int(answer[range.upperBound...].prefix { $0.isNumber })
                }
            }
            #expect(numbers.elementsEqual(1...Self.commandsEach), "every line answered once, in order")
        }

        let database = try rawConnection(to: cli.path, access: .readOnly)
        if database.isSQLite {
            #expect(try database.queryOne("PRAGMA integrity_check") { $0.text(0) } == "ok")
        }
        #expect(try TestDatabase.miscountedBatches(in: database).isEmpty)
        let batches = try Views.batches(in: database)
        #expect(batches.count == Self.writers * 10)
        for batch in batches { #expect(batch.allocated <= batch.purchased, "\(batch)") }
        try ReplayedLog(cli).expectMatchesTables()
    }
}
