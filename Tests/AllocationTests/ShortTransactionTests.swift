import TestSupport
import Testing

@testable import Allocation

/// Commands read the product row and only the batches they touch or that could take a line, so their work does
/// not grow with the emptied batches a SKU keeps; and they decide exactly as the rules do on the whole aggregate.
@Suite struct ShortTransactionTests {
    static let emptied = 2000

    /// LAMP: `emptied` batches in the warehouse with nothing available (half shipped out, half fully allocated),
    /// which come first in preference order, then `LIVE-1` (20 in the warehouse) and `LIVE-2` (50 arriving).
    static func longHistory() throws -> TestDatabase {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "LIVE-1", sku: "LAMP", qty: 20)))
        try bus.handle(.createBatch(CreateBatch(ref: "LIVE-2", sku: "LAMP", qty: 50, eta: Day("2026-03-01"))))
        try store.database.transaction { db in
            for index in 0..<emptied {
                let reference = "A-OLD-\(String(10_000 + index).dropFirst())"
                let shipped = index % 2 == 0
                try db.execute(
                    "INSERT INTO batches (reference, sku, purchased) VALUES (?, 'LAMP', ?)", reference, shipped ? 0 : 4)
                guard !shipped else { continue }
                try db.execute("INSERT INTO order_lines (orderid, sku, qty) VALUES (?, 'LAMP', 4)", "old-\(index)")
                try db.execute(
                    """
                    INSERT INTO allocations (orderline_id, batch_id, qty)
                    SELECT l.id, b.id, l.qty FROM order_lines AS l, batches AS b WHERE l.orderid = ? AND b.reference = ?
                    """, "old-\(index)", reference)
            }
        }
        return store
    }

    @Test func anAllocationLoadsOnlyThePreferredBatchWithRoom() throws {
        let store = try Self.longHistory()
        var product = try #require(try Product.loadVersion(sku: "LAMP", in: store.database))
        let line = OrderLine(orderid: "o1", sku: "LAMP", qty: 5)
        try product.includeCandidates(for: [line], limit: 1, in: store.database)
        #expect(product.batches.map(\.reference) == ["LIVE-1"])
        try product.includeCandidates(
            for: [OrderLine(orderid: "o2", sku: "LAMP", qty: 21)], limit: 1, in: store.database)
        #expect(product.batches.map(\.reference) == ["LIVE-1", "LIVE-2"])
        #expect(
            try store.makeBus().handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
                == .allocated(
                    batchReference: "LIVE-1", wasAlreadyAllocated: false))
    }

    @Test func aQuantityChangeReadsTheLinesOnTheBatchAndMovesTheYoungestThatNoLongerFits() throws {
        let store = try Self.longHistory()
        let bus = store.makeBus()
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 8)))
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 6)))
        #expect(try OrderLine.allocated(toBatch: "LIVE-1", in: store.database).map(\.orderid) == ["o1", "o2"])
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "LIVE-1", qty: 10)))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "LIVE-1",
                    moved: [Move(orderid: "o2", sku: "LAMP", qty: 6, from: "LIVE-1", to: "LIVE-2")],
                    filled: [],
                    delayed: [
                        Delay(
                            orderid: "o2", sku: "LAMP", qty: 6, from: store.settings.clock.today, to: Day("2026-03-01"))
                    ]))
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func creatingABatchLoadsNoOtherBatch() throws {
        let store = try Self.longHistory()
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "NEW", sku: "LAMP", qty: 5)))
        store.database.willRun = nil
        let batchReads = statements.filter { $0.hasPrefix("SELECT") && $0.contains("FROM batches") }
        #expect(batchReads.isEmpty, "\(batchReads)")
    }

    /// Each statement the commands run on the long history reads through an index, and every read of the SKU's
    /// batches goes through `batches_with_stock`, which holds none of the emptied ones.
    @Test(arguments: [
        Command.allocate(Allocate(orderid: "o9", sku: "LAMP", qty: 3)),
        .allocate(Allocate(orderid: "o9", sku: "LAMP", qty: 500)),
        .changeBatchQuantity(ChangeBatchQuantity(ref: "LIVE-1", qty: 2)),
        .deallocate(Deallocate(orderid: "o1", sku: "LAMP")),
        .receiveBatch(ReceiveBatch(ref: "LIVE-2", qty: 1)),
        .moveLine(MoveLine(orderid: "o1", sku: "LAMP", batchref: "LIVE-2")),
        .allocateWaiting(AllocateWaiting(sku: "LAMP")),
        .ship(Ship(orderid: "o1", sku: "LAMP")),
    ])
    func aCommandOnALongHistoryReadsTheSkusBatchesOnlyThroughTheIndexOfBatchesWithStock(_ command: Command) throws {
        let store = try Self.longHistory()
        let bus = store.makeBus()
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 8)))
        try bus.handle(.allocate(Allocate(orderid: "w1", sku: "LAMP", qty: 900)))
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        try bus.handle(command)
        store.database.willRun = nil
        let touchingRows = Set(statements).filter { ["SELECT", "INSERT", "UPDATE", "DELETE"].contains($0.prefix(6)) }
        #expect(touchingRows.count >= 3, "\(statements)")
        for sql in touchingRows {
            let plan = try QueryPlan(of: sql, in: store.database)
            #expect(plan.fullScans.isEmpty, "\(sql): \(plan.steps)")
            if store.database.isSQLite {
                #expect(plan.sorts.isEmpty, "\(sql): \(plan.steps)")
            }
            if sql.contains("b.sku = ?") {
                #expect(plan.uses("batches_with_stock"), "\(sql): \(plan.steps)")
            }
        }
    }

    /// Mixed commands on a SKU with emptied batches: each allocation, quantity change and deallocation decides
    /// what the rules decide on the whole aggregate (every batch loaded), and the schema's counts stay right.
    /// Under `splitLines` `never`, the book's rule, which the whole aggregate's methods implement.
    @Test func decisionsAreThoseOfTheWholeAggregate() throws {
        let store = try Self.longHistory()
        let bus = store.makeBus(splitLines: .never)
        let db = store.database
        var random = SplitMix(seed: 8)
        var orders: [String] = []
        for step in 0..<300 {
            switch random.next(8) {
            case 0, 1, 2:
                let line = OrderLine(orderid: "s\(step)", sku: "LAMP", qty: 1 + random.next(12))
                var whole = try #require(try Product.load(sku: "LAMP", in: db))
                let expected = try whole.allocate(line)
                var outcome = try bus.handle(.allocate(Allocate(orderid: line.orderid, sku: "LAMP", qty: line.qty)))
                if case .waiting(let orderid, let sku, let qty, let isNew, let room, _) = outcome {
                    let available = whole.batches.reduce(0) { $0 + $1.available }
                    #expect(room.map(\.available) == (available >= qty ? available : nil), "room for \(orderid)")
                    outcome = .waiting(orderid: orderid, sku: sku, qty: qty, isNew: isNew)
                }
                #expect(
                    outcome
                        == (expected.map { .allocated(batchReference: $0, wasAlreadyAllocated: false) }
                            ?? .waiting(orderid: line.orderid, sku: "LAMP", qty: line.qty)))
                orders.append(line.orderid)
            case 3:
                let reference = ["LIVE-1", "LIVE-2"][random.next(2)]
                let qty = random.next(60)
                var whole = try #require(try Product.load(batchReference: reference, in: db))
                let lines = try OrderLine.allocated(toBatch: reference, in: db)
                let moves = try whole.changeQuantity(ofBatch: reference, to: qty, allocatedLines: lines)
                let expectedFill = whole.version == whole.readVersion ? [] : try Self.fill(&whole, in: db)
                var outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: reference, qty: qty)))
                // The whole aggregate decides the moves; the delays they cause are the consequences' tests' concern.
                if case .quantityChanged(let reference, let moved, let filled, let wasChanged, _) = outcome {
                    outcome = .quantityChanged(
                        reference: reference, moved: moved, filled: filled, wasChanged: wasChanged)
                }
                #expect(outcome == .quantityChanged(reference: reference, moved: moves, filled: expectedFill))
            case 4:
                guard !orders.isEmpty else { continue }
                let orderid = orders.remove(at: random.next(orders.count))
                let line = try #require(try OrderLine.find(orderid: orderid, sku: "LAMP", in: db))
                var whole = try #require(try Product.load(sku: "LAMP", in: db))
                try whole.deallocate(line)
                let expectedFill = line.batchReference == nil ? [] : try Self.fill(&whole, in: db, without: line)
                let outcome = try bus.handle(.deallocate(Deallocate(orderid: orderid, sku: "LAMP")))
                #expect(
                    outcome
                        == (line.batchReference.map { .deallocated(batchReference: $0, filled: expectedFill) }
                            ?? .cancelled(orderid: orderid, sku: "LAMP", qty: line.qty)))
            default:
                let reference = "NEW-\(step)"
                try bus.handle(.createBatch(CreateBatch(ref: reference, sku: "LAMP", qty: 1 + random.next(9))))
            }
            #expect(try store.miscountedBatches().isEmpty)
            #expect(try store.overAllocatedBatches().isEmpty)
        }
    }

    /// The placements filling the waiting lines (all but `without`) on the whole aggregate `product` would make.
    private static func fill(_ product: inout Product, in db: Database, without: OrderLine? = nil) throws
        -> [LineOnBatch]
    {
        let waiting = try OrderLine.waiting(sku: product.sku, in: db).filter { $0.id != without?.id }
        return try product.fillWaiting(waiting).map {
            LineOnBatch(orderid: $0.orderid, sku: $0.sku, qty: $0.qty, batchref: $0.batchReference ?? "")
        }
    }
}

/// SplitMix64: a small seeded generator, so a failing scenario can be replayed.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    /// A number in `0..<bound`.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
