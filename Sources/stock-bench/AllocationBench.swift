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
        let db = try Database.open(settings: benchSettings(path: path, synchronous: .off), access: .create)
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
    func runSwift(path: String, synchronous: Synchronous) throws -> Double {
        let db = try Database.open(settings: benchSettings(path: path, synchronous: synchronous), access: .readWrite)
        let bus = MessageBus.standard(database: db, settings: Settings(), log: { print("bench: \($0)") })
        let ((), seconds) = try timed {
            for index in 0..<count { try bus.handle(command(index)) }
        }
        return seconds
    }

    /// Runs the same allocations through the C baseline; returns the timed seconds.
    func runC(path: String, synchronous: Synchronous) throws -> Double {
        let names = skus.map { strdup($0) }
        defer { for name in names { free(name) } }
        let pointers = names.map { UnsafePointer($0) }
        var result = baseline_result()
        let rc = pointers.withUnsafeBufferPointer { skuPointers in
            baseline_allocate_many(
                path, synchronous.keyword, skuPointers.baseAddress, Int32(skus.count), Int32(count),
                AllocationWorkload.orderPrefix, Settings().user, &result)
        }
        guard rc == 0 else {
            let message = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw BenchFailure(description: "C baseline failed with code \(rc): \(message)")
        }
        return result.seconds
    }

    /// What a run left in the file, timestamps aside: lines with their batches or waiting, product versions,
    /// events with their operators, orders and batches.
    static func contents(of path: String) throws -> [String] {
        let db = try Database.open(settings: benchSettings(path: path), access: .readOnly)
        let lines = try db.query(
            """
            SELECT l.orderid, l.sku, l.qty, coalesce(b.reference, '-'), l.waiting_since IS NOT NULL
              FROM order_lines AS l LEFT JOIN allocations AS a ON a.orderline_id = l.id
              LEFT JOIN batches AS b ON b.id = a.batch_id
            ORDER BY l.id
            """
        ) { "\($0.text(0)) \($0.text(1)) \($0.int(2)) \($0.text(3)) waiting \($0.int(4))" }
        let products = try db.query("SELECT sku, version FROM products ORDER BY sku") { "\($0.text(0)) v\($0.int(1))" }
        let events = try db.query(
            "SELECT kind, payload, operator, coalesce(orderid, '-'), coalesce(ref, '-') FROM events ORDER BY id"
        ) { "\($0.text(0)) \($0.text(1)) by \($0.text(2)) order \($0.text(3)) batch \($0.text(4))" }
        return lines + products + events
    }
}

/// The settings the bench opens a file with: the defaults, at `path`, with the given `synchronous` level.
func benchSettings(path: String, synchronous: Synchronous = .full) -> Settings {
    var settings = Settings()
    settings.database = path
    settings.synchronous = synchronous
    return settings
}

/// One measured configuration: wall and CPU seconds of Swift and C over the rounds.
struct RateComparison {
    var swiftSeconds: [Double] = []
    var cSeconds: [Double] = []
    var swiftCPU: [Double] = []
    var cCPU: [Double] = []
}

/// Wall seconds of the timed loop, and CPU seconds (user + system) of the whole call, open included.
private func measured(_ run: () throws -> Double) rethrows -> (wall: Double, cpu: Double) {
    let before = cpuSeconds()
    let wall = try run()
    return (wall, cpuSeconds() - before)
}

/// Measures Swift and C on identical copies of the template, alternating which goes first, and prints each round.
func compareRates(
    workload: AllocationWorkload, template: String, directory: String, synchronous: Synchronous, rounds: Int,
    checkContents: Bool
) throws -> RateComparison {
    var comparison = RateComparison()
    let count = Double(workload.count)
    func describe(_ wall: Double, _ cpu: Double) -> String {
        "\(fixed(count / wall))/s (CPU \(fixed(1e6 * cpu / count)) µs/allocation)"
    }
    for round in 1...rounds {
        let swiftPath = "\(directory)/swift-\(synchronous)-\(round).sqlite"
        let cPath = "\(directory)/c-\(synchronous)-\(round).sqlite"
        try FileManager.default.copyItem(atPath: template, toPath: swiftPath)
        try FileManager.default.copyItem(atPath: template, toPath: cPath)
        let runSwift = { try measured { try workload.runSwift(path: swiftPath, synchronous: synchronous) } }
        let runC = { try measured { try workload.runC(path: cPath, synchronous: synchronous) } }
        let swiftFirst = firstSideFirst(inRound: round)
        let (swift, c) = try alternating(round: round, runSwift, runC)
        comparison.swiftSeconds.append(swift.wall)
        comparison.cSeconds.append(c.wall)
        comparison.swiftCPU.append(swift.cpu)
        comparison.cCPU.append(c.cpu)
        print(
            "  round \(round) (\(swiftFirst ? "Swift first" : "C first")): Swift \(describe(swift.wall, swift.cpu)), "
                + "C \(describe(c.wall, c.cpu)), Swift/C \(fixed(100 * c.wall / swift.wall))%")
        if checkContents && round == 1 {
            let same = try AllocationWorkload.contents(of: swiftPath) == AllocationWorkload.contents(of: cPath)
            print("  same lines, batches chosen, versions and event payloads in both files: \(same ? "yes" : "NO")")
        }
        removeDatabase(swiftPath)
        removeDatabase(cPath)
    }
    let swiftWall = median(comparison.swiftSeconds)
    let cWall = median(comparison.cSeconds)
    print(
        "  median of \(rounds): Swift \(describe(swiftWall, median(comparison.swiftCPU))), "
            + "C \(describe(cWall, median(comparison.cCPU))), Swift/C \(fixed(100 * cWall / swiftWall))% by rate, "
            + "\(fixed(100 * median(comparison.cCPU) / median(comparison.swiftCPU)))% by CPU")
    return comparison
}
