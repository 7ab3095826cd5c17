import Allocation
import Foundation

/// Allocation on a SKU with little history against one with a long history: the time of one allocation must not
/// grow with the batches a SKU keeps after they are emptied (shipped out or fully allocated).
enum HistoryBench {
    static let fewBatches = 10
    static let manyBatches = 10_000

    /// Seeds `SHORT` with 10 batches and `LONG` with 10,000, of which all but 10 are emptied, then times
    /// `allocations` allocations on each of the two SKUs in turn (synchronous=NORMAL, so the figure is the
    /// transaction, not the fsync).
    static func run(directory: String, allocations: Int) throws {
        let path = "\(directory)/history.sqlite"
        let ((), seedSeconds) = try timed { try seed(at: path) }
        print("")
        print(
            "Allocation time by history: SKU SHORT has \(fewBatches) batches, SKU LONG \(manyBatches) "
                + "(\(manyBatches - fewBatches) of them emptied: half shipped out, half fully allocated), seeded in "
                + "\(fixed(seedSeconds, 2)) s; \(allocations) allocations on each, in turn, synchronous=NORMAL:")
        let db = try Database.open(settings: benchSettings(path: path, synchronous: .normal), access: .readWrite)
        let bus = MessageBus.standard(database: db, settings: Settings(), log: { print("bench: \($0)") })
        var times: [String: [Double]] = [:]
        for index in 0..<allocations {
            for sku in index % 2 == 0 ? ["SHORT", "LONG"] : ["LONG", "SHORT"] {
                let command = Command.allocate(Allocate(orderid: "history-\(index)", sku: sku, qty: 1 + index % 5))
                let ((), seconds) = try timed { _ = try bus.handle(command) }
                times[sku, default: []].append(seconds)
            }
        }
        let short = times["SHORT"] ?? []
        let long = times["LONG"] ?? []
        let ratio = median(long) / median(short)
        print(
            "  median per allocation: \(fewBatches) batches \(fixed(1e6 * median(short))) µs, "
                + "\(manyBatches) batches \(fixed(1e6 * median(long))) µs, ratio \(fixed(ratio, 2))")
        print("  target: within 2x: \(ratio <= 2 ? "met" : "not met")")
    }

    /// Both SKUs' live batches through the bus; the emptied history in one transaction of plain SQL, lines and
    /// allocations included, so the schema's triggers keep `allocated` as the bus would.
    private static func seed(at path: String) throws {
        let db = try Database.open(settings: benchSettings(path: path, synchronous: .off), access: .create)
        let bus = MessageBus(database: db, clock: .system, log: { print("bench: \($0)") })
        let today = Clock.system.today
        for sku in ["SHORT", "LONG"] {
            for index in 0..<fewBatches {
                let eta = index % 2 == 0 ? nil : today.adding(days: index)
                try bus.handle(
                    .createBatch(CreateBatch(ref: "\(sku)-LIVE-\(index)", sku: sku, qty: 1_000_000, eta: eta)))
            }
        }
        try db.transaction { db in
            for index in 0..<(manyBatches - fewBatches) {
                let reference = "LONG-OLD-\(String(100_000 + index).dropFirst())"
                let shipped = index % 2 == 0
                // A shipped-out batch bought 3 and shipped them: nothing on hand, as a full one has nothing available.
                try db.execute(
                    "INSERT INTO batches (reference, sku, purchased, shipped) VALUES (?, 'LONG', 3, ?)", reference,
                    shipped ? 3 : 0)
                guard !shipped else { continue }
                try db.execute("INSERT INTO order_lines (orderid, sku, qty) VALUES (?, 'LONG', 3)", "old-\(index)")
                try db.execute(
                    """
                    INSERT INTO allocations (orderline_id, batch_id, qty)
                    SELECT l.id, b.id, l.qty FROM order_lines AS l, batches AS b WHERE l.orderid = ? AND b.reference = ?
                    """, "old-\(index)", reference)
            }
        }
    }
}
