import TestSupport
import Testing

@testable import Allocation

/// Re-planning through the production bus on a real database (SQLite, or the test server).
@Suite struct ReplanTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    /// SHIP-9 (50, due 2026-03-20) holds OLD-1 x30 and NEW-2 x10; SHIP-8 (20, due 2026-03-10) holds NEW-1 x15;
    /// then W-2 with 12 comes into the warehouse.
    func supplyChanged() throws -> MessageBus {
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-9", sku: "TV", qty: 50, eta: Day("2026-03-20"))))
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-8", sku: "TV", qty: 20, eta: Day("2026-03-10"))))
        try bus.handle(.allocate(Allocate(orderid: "OLD-1", sku: "TV", qty: 30)))
        try bus.handle(.allocate(Allocate(orderid: "NEW-1", sku: "TV", qty: 15)))
        try bus.handle(.allocate(Allocate(orderid: "NEW-2", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "W-2", sku: "TV", qty: 12)))
        return bus
    }

    let expected = ReplannedLine(
        orderid: "NEW-2", sku: "TV", qty: 10, from: [Piece(batchref: "SHIP-9", qty: 10)],
        to: [Piece(batchref: "W-2", qty: 10)], wasDay: Day("2026-03-20")!, day: Day("2026-01-15")!)

    @Test func aDryRunSaysWhatWouldMoveAndChangesNothing() throws {
        let bus = try supplyChanged()
        let before = try store.contents()
        let outcome = try bus.handle(.replan(Replan(sku: "TV", dryRun: true)))
        #expect(outcome == .replanned([expected], dryRun: true))
        #expect(!outcome.changed)
        #expect(try store.contents() == before)
    }

    @Test func replanMovesTheLinesThatCompleteSoonerAndRecordsTheirEvents() throws {
        let bus = try supplyChanged()
        let outcome = try bus.handle(.replan(Replan()))
        #expect(outcome == .replanned([expected], dryRun: false))
        #expect(try Views.orderLines(orderid: "NEW-2", in: store.database).map(\.batchref) == ["W-2"])
        #expect(
            try Views.history(orderid: "NEW-2", in: store.database).map(\.kind).suffix(2) == [
                "Deallocated", "Allocated",
            ])
        #expect(try TestDatabase.miscountedBatches(in: store.database).isEmpty)
        let again = try bus.handle(.replan(Replan()))
        #expect(again == .replanned([], dryRun: false))
        #expect(!again.changed)
    }

    @Test func anUnknownSKUIsRefused() throws {
        let bus = try supplyChanged()
        #expect(throws: AllocationError.invalidSKU("NOPE")) { try bus.handle(.replan(Replan(sku: "NOPE"))) }
    }
}
