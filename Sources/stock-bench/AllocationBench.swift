import Allocation
import CBaseline
import Foundation

/// The write-side workload: `count` new order lines spread round-robin over the SKUs of a seeded file.
///
/// Line i is orderid `order-<i>`, sku `skus[i % skus.count]`, qty `1 + i % 7`; the C baseline builds the same lines.
struct AllocationWorkload {
    static let orderPrefix = "order-"
    let skus: [String]
    let count: Int

    init(skuCount: Int, count: Int) {
        skus = (0..<skuCount).map { "SKU-\(String(1000 + $0).dropFirst())" }
        self.count = count
    }

    func command(_ index: Int) -> Command {
        .allocate(
            Allocate(
                orderid: AllocationWorkload.orderPrefix + String(index), sku: skus[index % skus.count],
                qty: 1 + index % 7))
    }

    /// Creates the starting file through the bus: three batches per SKU with mixed ETAs.
    ///
    /// The first batch is small (60), so allocation spills over to the ETA batches and the preference rule
    /// (warehouse, then earliest ETA, then reference) decides; the others are large enough never to run out.
    /// Seeding is not timed and runs with `synchronous=OFF`.
    func makeTemplate(at path: String) throws {
        let db = try Database(path: path, access: .create, synchronous: "OFF")
        try Schema.migrate(db)
        let bus = MessageBus(database: db, clock: .system, log: { print("bench: \($0)") })
        let today = Clock.system.today
        for (index, sku) in skus.enumerated() {
            let batches = [
                CreateBatch(ref: sku + "-A", sku: sku, qty: 60, eta: index % 3 == 2 ? today.adding(days: 30) : nil),
                CreateBatch(ref: sku + "-B", sku: sku, qty: 1_000_000, eta: today.adding(days: 5 + index % 9)),
                CreateBatch(ref: sku + "-C", sku: sku, qty: 1_000_000, eta: today.adding(days: 5 + index % 4)),
            ]
            for batch in batches { try bus.handle(.createBatch(batch)) }
        }
    }

    /// Runs the allocations through `MessageBus.standard` on a fresh connection; returns the timed seconds.
    func runSwift(path: String, synchronous: String) throws -> Double {
        let db = try Database(path: path, synchronous: synchronous)
        let bus = MessageBus.standard(database: db, settings: Settings(), log: { print("bench: \($0)") })
        let ((), seconds) = try timed {
            for index in 0..<count { try bus.handle(command(index)) }
        }
        return seconds
    }

    struct BaselineFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the same allocations through the C baseline; returns the timed seconds.
    func runC(path: String, synchronous: String) throws -> Double {
        let names = skus.map { strdup($0) }
        defer { names.forEach { free($0) } }
        let pointers = names.map { UnsafePointer($0) }
        var result = baseline_result()
        let rc = pointers.withUnsafeBufferPointer { skuPointers in
            baseline_allocate_many(
                path, synchronous, skuPointers.baseAddress, Int32(skus.count), Int32(count),
                AllocationWorkload.orderPrefix, &result)
        }
        guard rc == 0 else {
            let message = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw BaselineFailure(description: "C baseline failed with code \(rc): \(message)")
        }
        return result.seconds
    }

    /// What a run left in the file, timestamps aside: lines with their batches, product versions, events.
    static func contents(of path: String) throws -> [String] {
        let db = try Database(path: path)
        let lines = try db.query(
            """
            SELECT l.orderid, l.sku, l.qty, coalesce(b.reference, '-') FROM order_lines AS l
              LEFT JOIN allocations AS a ON a.orderline_id = l.id LEFT JOIN batches AS b ON b.id = a.batch_id
            ORDER BY l.id
            """
        ) { "\($0.text(0)) \($0.text(1)) \($0.int(2)) \($0.text(3))" }
        let products = try db.query("SELECT sku, version FROM products ORDER BY sku") { "\($0.text(0)) v\($0.int(1))" }
        let events = try db.query("SELECT kind, payload FROM events ORDER BY id") { "\($0.text(0)) \($0.text(1))" }
        return lines + products + events
    }
}

/// One measured configuration: Swift and C rates over the rounds.
struct RateComparison {
    var swiftSeconds: [Double] = []
    var cSeconds: [Double] = []

    func rate(_ seconds: Double, _ count: Int) -> Double { Double(count) / seconds }
}

/// Measures Swift and C on identical copies of the template, alternating which goes first, and prints each round.
func compareRates(
    workload: AllocationWorkload, template: String, directory: String, synchronous: String, rounds: Int,
    checkContents: Bool
) throws -> RateComparison {
    var comparison = RateComparison()
    for round in 1...rounds {
        let swiftPath = "\(directory)/swift-\(synchronous)-\(round).sqlite"
        let cPath = "\(directory)/c-\(synchronous)-\(round).sqlite"
        try FileManager.default.copyItem(atPath: template, toPath: swiftPath)
        try FileManager.default.copyItem(atPath: template, toPath: cPath)
        var swiftSeconds = 0.0
        var cSeconds = 0.0
        if round % 2 == 1 {
            swiftSeconds = try workload.runSwift(path: swiftPath, synchronous: synchronous)
            cSeconds = try workload.runC(path: cPath, synchronous: synchronous)
        } else {
            cSeconds = try workload.runC(path: cPath, synchronous: synchronous)
            swiftSeconds = try workload.runSwift(path: swiftPath, synchronous: synchronous)
        }
        comparison.swiftSeconds.append(swiftSeconds)
        comparison.cSeconds.append(cSeconds)
        let swiftRate = comparison.rate(swiftSeconds, workload.count)
        let cRate = comparison.rate(cSeconds, workload.count)
        print(
            "  round \(round) (\(round % 2 == 1 ? "Swift first" : "C first")): Swift \(fixed(swiftRate))/s"
                + "  C \(fixed(cRate))/s  Swift/C \(fixed(100 * swiftRate / cRate))%")
        if checkContents && round == 1 {
            let same = try AllocationWorkload.contents(of: swiftPath) == AllocationWorkload.contents(of: cPath)
            print("  same lines, batches chosen, versions and event payloads in both files: \(same ? "yes" : "NO")")
        }
        removeDatabase(swiftPath)
        removeDatabase(cPath)
    }
    let swiftRate = comparison.rate(median(comparison.swiftSeconds), workload.count)
    let cRate = comparison.rate(median(comparison.cSeconds), workload.count)
    print(
        "  median of \(rounds): Swift \(fixed(swiftRate)) allocations/s, C \(fixed(cRate)) allocations/s, "
            + "Swift/C \(fixed(100 * swiftRate / cRate))%")
    return comparison
}
