import Allocation

/// SplitMix64: a small, fully specified pseudo-random generator, so the Swift and C sides (and anyone
/// reproducing the figures) build the same workload from the same seed.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (plain modulo, as agreed for the workload; the bias does not matter here).
    mutating func below(_ n: UInt64) -> Int { Int(next() % n) }
}

/// The agreed `stock apply` workload: 100 SKUs of 10 batches of 1000 units, even batches in stock and odd ones
/// arriving in 2025, then `count` Allocate commands of 1 to 5 units on random SKUs, all drawn from SplitMix64
/// seeded with 42 in a fixed order (each odd batch's ETA, then each order's SKU and quantity).
struct ApplyWorkload {
    struct Batch {
        let reference: String
        let sku: String
        let qty: Int
        let eta: Day?
    }

    struct Order {
        let orderid: String
        let sku: String
        let qty: Int
    }

    static let skuCount = 100
    static let batchesPerSKU = 10
    static let batchQuantity = 1000

    let batches: [Batch]
    let orders: [Order]

    init(count: Int) {
        var random = SplitMix64(seed: 42)
        let firstETA = Day(year: 2025, month: 1, day: 1)?.daysSinceEpoch ?? 0
        var batches: [Batch] = []
        for s in 0..<ApplyWorkload.skuCount {
            for b in 0..<ApplyWorkload.batchesPerSKU {
                let eta = b % 2 == 0 ? nil : Day(daysSinceEpoch: firstETA + random.below(365))
                batches.append(
                    Batch(
                        reference: "B-\(digits(s, 3))-\(digits(b, 2))", sku: "SKU-\(digits(s, 3))",
                        qty: ApplyWorkload.batchQuantity, eta: eta))
            }
        }
        self.batches = batches
        orders = (0..<count).map { index in
            let sku = "SKU-\(digits(random.below(UInt64(ApplyWorkload.skuCount)), 3))"
            return Order(orderid: "order-\(digits(index, 6))", sku: sku, qty: 1 + random.below(5))
        }
    }

    /// The CreateBatch JSON lines for `stock apply`, one per batch (no `eta` for a batch in stock).
    var createBatchLines: String {
        jsonLines(batches, command: "CreateBatch") { batch, json in
            json.add("ref", batch.reference)
            json.add("sku", batch.sku)
            json.add("qty", batch.qty)
            if let eta = batch.eta { json.add("eta", eta.description) }
        }
    }

    /// The Allocate JSON lines for `stock apply`, one per order.
    var allocateLines: String {
        jsonLines(orders, command: "Allocate") { order, json in
            json.add("orderid", order.orderid)
            json.add("sku", order.sku)
            json.add("qty", order.qty)
        }
    }

    /// Units the orders ask for in total.
    var orderedQuantity: Int { orders.reduce(0) { $0 + $1.qty } }
}

/// One `command` JSON line per item, each ended by a newline, with the fields `fields` adds.
private func jsonLines<Item>(_ items: [Item], command: String, fields: (Item, inout JSONObjectWriter) -> Void)
    -> String
{
    items.map { item in
        var json = JSONObjectWriter()
        json.add("command", command)
        fields(item, &json)
        return json.text + "\n"
    }.joined()
}

/// `value` in decimal, zero-padded to `width` digits.
private func digits(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
