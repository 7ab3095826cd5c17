import TestSupport
import Testing

@testable import Allocation

/// A `CreateBatch` for a batch that is there already, with the same SKU, quantity and ETA, is answered as already
/// there and changes nothing; under that reference another batch is still refused.
@Suite struct IdenticalBatchTests {
    let store: TestDatabase
    let bus: MessageBus

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    @Test func anIdenticalBatchIsAlreadyThereWithNoEventAndNoNewVersion() throws {
        let command = Command.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10, eta: Day("2026-02-01")))
        #expect(try bus.handle(command).changed)
        let before = try store.contents()
        let again = try bus.handle(command)
        #expect(
            again
                == .batchCreated(reference: "b1", sku: "LAMP", skuIsNew: false, filled: [], wasAlreadyThere: true))
        #expect(!again.changed)
        #expect(try store.contents() == before)
    }

    @Test func theSameReferenceWithAnotherSKUQuantityOrETAIsRefused() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10, eta: Day("2026-02-01"))))
        let before = try store.contents()
        for other in [
            CreateBatch(ref: "b1", sku: "DESK", qty: 10, eta: Day("2026-02-01")),
            CreateBatch(ref: "b1", sku: "LAMP", qty: 11, eta: Day("2026-02-01")),
            CreateBatch(ref: "b1", sku: "LAMP", qty: 10, eta: Day("2026-02-02")),
            CreateBatch(ref: "b1", sku: "LAMP", qty: 10),
        ] {
            #expect(throws: AllocationError.duplicateBatch("b1")) { try bus.handle(.createBatch(other)) }
        }
        #expect(try store.contents() == before)
    }

    /// On a server a failed statement would abort the group's transaction: the taken reference is skipped
    /// instead, so the commands after it in the same transaction still run.
    @Test func anIdenticalBatchInAGroupLeavesTheTransactionUsable() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let group = CommandGroup(bus: bus, commandLimit: 1000, millisecondLimit: 60_000)
        let again = try group.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        #expect(!again.changed)
        #expect(try group.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4))).changed)
        try group.finish()
        #expect(
            try Views.batches(in: store.database).map { "\($0.reference) \($0.purchased) \($0.allocated)" } == [
                "b1 10 4"
            ])
        #expect(try Views.events(in: store.database).map(\.kind) == ["BatchCreated", "Allocated"])
    }
}
