import TestSupport
import Testing

@testable import Allocation

/// The book's `test_views.py`: the read side answers "where did order X go" with plain queries.
@Suite struct ViewTests {
    let store: TestDatabase
    let bus: MessageBus
    let today = Day("2026-01-15")

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    @Test func allocationsView() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "sku1batch", sku: "sku1", qty: 50)))
        try bus.handle(.createBatch(CreateBatch(ref: "sku2batch", sku: "sku2", qty: 50, eta: today)))
        try bus.handle(.allocate(Allocate(orderid: "order1", sku: "sku1", qty: 20)))
        try bus.handle(.allocate(Allocate(orderid: "order1", sku: "sku2", qty: 20)))
        // add a spurious batch and order to make sure we're getting the right ones
        try bus.handle(.createBatch(CreateBatch(ref: "sku1batch-later", sku: "sku1", qty: 50, eta: today)))
        try bus.handle(.allocate(Allocate(orderid: "otherorder", sku: "sku1", qty: 30)))
        try bus.handle(.allocate(Allocate(orderid: "otherorder", sku: "sku2", qty: 10)))

        #expect(
            try Views.orderLines(orderid: "order1", in: store.database).map { "\($0.sku) \($0.status)" } == [
                "sku1 allocated(batchref: \"sku1batch\")", "sku2 allocated(batchref: \"sku2batch\")",
            ])
    }

    @Test func deallocation() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "sku1", qty: 50)))
        try bus.handle(.createBatch(CreateBatch(ref: "b2", sku: "sku1", qty: 50, eta: today)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "sku1", qty: 40)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 10)))
        #expect(
            try Views.orderLines(orderid: "o1", in: store.database).map(\.status) == [.allocated(batchref: "b2")])
    }

    @Test func unknownOrderHasNoAllocations() throws {
        #expect(try Views.orderLines(orderid: "nobody", in: store.database).isEmpty)
    }

    @Test func batchesComeGroupedBySkuInAllocationPreferenceOrder() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "late", sku: "B-SKU", qty: 5, eta: Day("2026-03-01"))))
        try bus.handle(.createBatch(CreateBatch(ref: "early", sku: "B-SKU", qty: 5, eta: Day("2026-02-01"))))
        try bus.handle(.createBatch(CreateBatch(ref: "zz-in-stock", sku: "B-SKU", qty: 5)))
        try bus.handle(.createBatch(CreateBatch(ref: "a-only", sku: "A-SKU", qty: 5, eta: Day("2026-02-01"))))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "B-SKU", qty: 3)))
        let rows = try Views.batches(in: store.database)
        #expect(rows.map(\.reference) == ["a-only", "zz-in-stock", "early", "late"])
        #expect(rows[1].allocated == 3 && rows[1].available == 2)
        #expect(
            try Views.batches(limit: 2, offset: 1, in: store.database).map(\.reference) == ["zz-in-stock", "early"])
        #expect(try Views.batches(sku: "B-SKU", limit: 1, in: store.database).map(\.reference) == ["zz-in-stock"])
        #expect(
            try Views.totals(skus: ["B-SKU"], in: store.database)
                == [SKUTotals(sku: "B-SKU", batches: 3, purchased: 15, allocated: 3)])
    }

    @Test func orderLinesShowWaitingLinesWithoutABatchIncludingAnAllocationThatFoundNoStock() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 1)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 0)))
        #expect(try store.lines(matching: "LAMP") == ["o2 LAMP 1 waiting", "o1 LAMP 5 waiting"])
    }
}
