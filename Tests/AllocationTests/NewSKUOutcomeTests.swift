import TestSupport
import Testing

@testable import Allocation

/// A batch says whether it created its SKU's product: the one fact every front end reports a new SKU from.
@Suite struct NewSKUOutcomeTests {
    let store: TestDatabase
    let bus: MessageBus

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    @Test func theFirstBatchOfASKUCreatesItAndTheNextDoesNot() throws {
        let first = try bus.handle(.createBatch(CreateBatch(ref: "LAMP", sku: "B-9", qty: 10)))
        #expect(first == .batchCreated(reference: "LAMP", sku: "B-9", skuIsNew: true, filled: []))
        let second = try bus.handle(.createBatch(CreateBatch(ref: "B-10", sku: "B-9", qty: 5)))
        #expect(second == .batchCreated(reference: "B-10", sku: "B-9", skuIsNew: false, filled: []))
    }

    @Test func theOutcomeNamesTheSKUInItsCanonicalForm() throws {
        let outcome = try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "Gera\u{308}t", qty: 1)))
        #expect(outcome == .batchCreated(reference: "b1", sku: "Ger\u{E4}t", skuIsNew: true, filled: []))
        let again = try bus.handle(.createBatch(CreateBatch(ref: "b2", sku: "Ger\u{E4}t", qty: 1)))
        #expect(again == .batchCreated(reference: "b2", sku: "Ger\u{E4}t", skuIsNew: false, filled: []))
    }

    @Test func aRefusedBatchCreatesNoProduct() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        #expect(throws: AllocationError.duplicateBatch("b1")) {
            try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "NEW-SKU", qty: 1)))
        }
        #expect(try !Views.productExists(sku: "NEW-SKU", in: store.database))
    }
}
