import Allocation
import Foundation

/// A command's cost against the size of the database: allocation, and a batch arriving for a SKU with many lines
/// waiting, each timed one command at a time through the whole bus on the small database and on the big one.
/// Target: the big database's p99 at most twice the small one's.
struct ScaleBench {
    /// Allocations timed on each database.
    let allocations: Int
    /// Batches created on each database, each for a SKU with `waitingLines` lines waiting.
    let fills: Int
    let waitingLines: Int

    static let full = ScaleBench(allocations: 2000, fills: 30, waitingLines: 1000)
    static let bar = 2.0

    /// A run on copies of the small template and of the big database, so neither original changes.
    func run(
        small workload: AllocationWorkload, template: String, big: BigDatabase, bigPath: String, directory: String
    ) throws {
        print("")
        print(
            "Scale: each command timed alone through the whole bus on the small database (\(workload.skus.count) "
                + "SKUs x 3 batches) and on the big one (\(big.batches) batches, \(big.orderLines) lines), "
                + "copies of both in the OS page cache, alternating; synchronous=FULL (the default), then NORMAL; "
                + "target: big p99 at most \(fixed(ScaleBench.bar))x small p99:")
        let smallPath = "\(directory)/scale-small.sqlite"
        let bigCopy = "\(directory)/scale-big.sqlite"
        defer {
            removeDatabase(smallPath)
            removeDatabase(bigCopy)
        }
        try copyDatabase(template, to: smallPath)
        try copyDatabase(bigPath, to: bigCopy)
        let smallSKUs = workload.skus
        let bigSKUs = (0..<big.skus).map(BigDatabase.sku)
        for synchronous in [Synchronous.full, .normal] {
            let databases = try [smallPath, bigCopy].map { path in
                let db = try Database.open(
                    settings: benchSettings(path: path, synchronous: synchronous), access: .readWrite)
                return MessageBus.standard(database: db, settings: Settings(), log: { print("bench: \($0)") })
            }
            let level = synchronous.keyword
            let allocationTimes = try alternate(databases, times: allocations) { bus, isBig, index in
                let skus = isBig ? bigSKUs : smallSKUs
                // A stride prime to the SKU count spreads the big database's SKUs over its whole index.
                let sku = skus[(index * 7919) % skus.count]
                let command = Command.allocate(
                    Allocate(orderid: "scale-\(level)-\(index)", sku: sku, qty: 1 + index % 7))
                return try timed { _ = try bus.handle(command) }.1
            }
            report("allocation, \(allocations) on each, \(level)", allocationTimes)
            let fillTimes = try alternate(databases, times: fills) { bus, _, index in
                let sku = "WAIT-\(level)-\(index)"
                try seedWaitingLines(sku: sku, in: bus.database)
                let command = Command.createBatch(
                    CreateBatch(ref: "ARRIVAL-\(level)-\(index)", sku: sku, qty: 3 * waitingLines))
                let (outcome, seconds) = try timed { try bus.handle(command) }
                guard case .batchCreated(_, _, _, let filled, _) = outcome, filled.count == waitingLines else {
                    throw BenchFailure(
                        description: "the batch for \(sku) did not fill its \(waitingLines) lines: \(outcome)")
                }
                return seconds
            }
            report("CreateBatch filling \(waitingLines) waiting lines, \(fills) on each, \(level)", fillTimes)
        }
    }

    /// Runs `body` `times` times on each bus, the small database first in even rounds and the big one in odd ones,
    /// so a change of load on the machine falls on both; returns each database's seconds.
    private func alternate(
        _ buses: [MessageBus], times: Int, _ body: (MessageBus, Bool, Int) throws -> Double
    ) throws -> (small: [Double], big: [Double]) {
        var small: [Double] = []
        var big: [Double] = []
        for index in 0..<times {
            for isBig in index % 2 == 0 ? [false, true] : [true, false] {
                let seconds = try body(buses[isBig ? 1 : 0], isBig, index)
                if isBig { big.append(seconds) } else { small.append(seconds) }
            }
        }
        return (small, big)
    }

    /// `waitingLines` lines of a new SKU left waiting (no batch has it), in one untimed transaction of plain SQL.
    private func seedWaitingLines(sku: String, in db: Database) throws {
        try db.transaction { db in
            try db.execute("INSERT INTO products (sku, version) VALUES (?, 0)", sku)
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
                INSERT INTO order_lines (orderid, sku, qty, waiting_since)
                SELECT 'waiting-' || i, ?, 1 + i % 3, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM n
                """, waitingLines - 1, sku)
        }
    }

    private func report(_ label: String, _ times: (small: [Double], big: [Double])) {
        let small = times.small.sorted()
        let big = times.big.sorted()
        let ratio = percentile(big, 0.99) / percentile(small, 0.99)
        print(
            "  \(label): p50 \(milliseconds(percentile(small, 0.5))) small, \(milliseconds(percentile(big, 0.5))) "
                + "big (\(fixed(percentile(big, 0.5) / percentile(small, 0.5), 2))x); p99 "
                + "\(milliseconds(percentile(small, 0.99))) small, \(milliseconds(percentile(big, 0.99))) big "
                + "(\(fixed(ratio, 2))x); target: \(ratio <= ScaleBench.bar ? "met" : "not met")")
    }
}

/// Copies a database file with its WAL, if it has one, to `destination`, replacing what was there.
func copyDatabase(_ source: String, to destination: String) throws {
    removeDatabase(destination)
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
        try FileManager.default.copyItem(atPath: source + suffix, toPath: destination + suffix)
    }
}
