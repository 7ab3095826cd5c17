import TestSupport
import Testing

@testable import Allocation

/// The book's `test_handlers.py`, against a real SQLite file through the production bus.
@Suite struct HandlerTests {
    let store: TestDatabase
    let bus: MessageBus

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    func batches(_ sku: String) throws -> [BatchRow] {
        try Views.batches(sku: sku, in: store.database)
    }

    @Test func addBatchForNewProduct() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "CRUNCHY-ARMCHAIR", qty: 100)))
        #expect(try Views.productExists(sku: "CRUNCHY-ARMCHAIR", in: store.database))
        #expect(try batches("CRUNCHY-ARMCHAIR").map(\.reference) == ["b1"])
    }

    @Test func addBatchForExistingProduct() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "GARISH-RUG", qty: 100)))
        try bus.handle(.createBatch(CreateBatch(ref: "b2", sku: "GARISH-RUG", qty: 99)))
        #expect(try batches("GARISH-RUG").map(\.reference).sorted() == ["b1", "b2"])
        #expect(try Product.load(sku: "GARISH-RUG", in: store.database)?.version == 2)
    }

    @Test func duplicateBatchReferenceIsRefusedAndChangesNothing() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "GARISH-RUG", qty: 100)))
        let before = try store.contents()
        #expect(throws: AllocationError.duplicateBatch("b1")) {
            try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "OTHER-RUG", qty: 5)))
        }
        #expect(throws: AllocationError.duplicateBatch("b1")) {
            try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "GARISH-RUG", qty: 5)))
        }
        #expect(try store.contents() == before)
    }

    @Test func allocates() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "batch1", sku: "COMPLICATED-LAMP", qty: 100)))
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "COMPLICATED-LAMP", qty: 10)))
        #expect(outcome == .allocated(batchReference: "batch1", wasAlreadyAllocated: false))
        #expect(try batches("COMPLICATED-LAMP").first?.available == 90)
    }

    @Test func errorsForInvalidSku() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "AREALSKU", qty: 100)))
        let before = try store.contents()
        #expect(throws: AllocationError.invalidSKU("NONEXISTENTSKU")) {
            try bus.handle(.allocate(Allocate(orderid: "o1", sku: "NONEXISTENTSKU", qty: 10)))
        }
        #expect(AllocationError.invalidSKU("NONEXISTENTSKU").description == "Invalid sku NONEXISTENTSKU")
        #expect(try store.contents() == before)
    }

    /// Committed work is visible to another connection, as it would be to another process.
    @Test func commits() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "OMINOUS-MIRROR", qty: 100)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "OMINOUS-MIRROR", qty: 10)))
        let other = try store.openAnotherConnection(access: .readOnly)
        #expect(
            try Views.orderLines(orderid: "o1", in: other).map { "\($0.sku) \($0.batchref ?? "-")" }
                == ["OMINOUS-MIRROR b1"])
    }

    @Test func anAllocationWithNoStockKeepsTheLineWaitingAndSendsEmailNamingTheOrder() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "POPULAR-CURTAINS", qty: 9)))
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "POPULAR-CURTAINS", qty: 10)))
        #expect(outcome == .waiting(orderid: "o1", sku: "POPULAR-CURTAINS", qty: 10))
        #expect(outcome.leftLinesWaiting)
        bus.finishNotifications()
        #expect(store.notifications == ["to stock@made.com: Out of stock for POPULAR-CURTAINS: order o1 waits for 10"])
        #expect(try store.lines(matching: "o1") == ["o1 POPULAR-CURTAINS 10 waiting"])
        #expect(try store.latestEvent()?.event == .outOfStock(sku: "POPULAR-CURTAINS", orderid: "o1", qty: 10))
    }

    @Test func allocationIsIdempotent() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "ANGULAR-DESK", qty: 20)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "ANGULAR-DESK", qty: 2)))
        let before = try store.contents()
        let again = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "ANGULAR-DESK", qty: 2)))
        #expect(again == .allocated(batchReference: "b1", wasAlreadyAllocated: true))
        #expect(try store.contents() == before)
        #expect(try batches("ANGULAR-DESK").first?.available == 18)
    }

    @Test func aSecondLineForTheSameOrderAndSkuIsRefused() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "ANGULAR-DESK", qty: 20)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "ANGULAR-DESK", qty: 2)))
        let before = try store.contents()
        let refusal = AllocationError.conflictingLine(
            orderid: "o1", sku: "ANGULAR-DESK", existingQty: 2, requestedQty: 3)
        #expect(throws: refusal) { try bus.handle(.allocate(Allocate(orderid: "o1", sku: "ANGULAR-DESK", qty: 3))) }
        #expect(refusal.description == "order o1 already has a line for ANGULAR-DESK with qty 2; refusing qty 3")
        #expect(try store.contents() == before)
    }

    /// The oldest order line stays first, even when it arrived on the batch later (moved there when another
    /// batch shrank): older orders keep their stock.
    @Test func theOldestOrderLineStaysFirstWhenABatchShrinks() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "A", sku: "LAMP", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "B", sku: "LAMP", qty: 20, eta: Day("2026-12-01"))))
        try bus.handle(.allocate(Allocate(orderid: "o-1", sku: "LAMP", qty: 6)))
        try bus.handle(.allocate(Allocate(orderid: "o-2", sku: "LAMP", qty: 5)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "A", qty: 0)))
        #expect(try Views.orderLines(orderid: "o-1", in: store.database).map(\.batchref) == ["B"])
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "B", qty: 6)))
        let eta = try #require(Day("2026-12-01"))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "B", moved: [Move(orderid: "o-2", sku: "LAMP", qty: 5, from: "B", to: nil)], filled: [],
                    delayed: [Delay(orderid: "o-2", sku: "LAMP", qty: 5, from: eta, to: nil)]))
        #expect(outcome.leftLinesWaiting)
        #expect(try Views.orderLines(orderid: "o-1", in: store.database).map(\.batchref) == ["B"])
        #expect(try store.lines(matching: "o-2") == ["o-2 LAMP 5 waiting"])
    }

    @Test func changesAvailableQuantity() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "batch1", sku: "ADORABLE-SETTEE", qty: 100)))
        #expect(try batches("ADORABLE-SETTEE").first?.available == 100)
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "batch1", qty: 50)))
        #expect(try batches("ADORABLE-SETTEE").first?.available == 50)
    }

    @Test func reallocatesIfNecessary() throws {
        let tomorrow = Day("2026-01-16")
        try bus.handle(.createBatch(CreateBatch(ref: "batch1", sku: "INDIFFERENT-TABLE", qty: 50)))
        try bus.handle(.createBatch(CreateBatch(ref: "batch2", sku: "INDIFFERENT-TABLE", qty: 50, eta: tomorrow)))
        try bus.handle(.allocate(Allocate(orderid: "order1", sku: "INDIFFERENT-TABLE", qty: 20)))
        try bus.handle(.allocate(Allocate(orderid: "order2", sku: "INDIFFERENT-TABLE", qty: 20)))
        #expect(try batches("INDIFFERENT-TABLE").map(\.available) == [10, 50])

        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "batch1", qty: 25)))

        // order1 or order2 will be deallocated, so we'll have 25 - 20 left on batch1 and 30 on batch2
        #expect(try batches("INDIFFERENT-TABLE").map(\.available) == [5, 30])
        #expect(try Views.orderLines(orderid: "order2", in: store.database).map(\.batchref) == ["batch2"])
        #expect(try store.overAllocatedBatches().isEmpty)
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func shrinkingToZeroWithNowhereToGoLeavesTheLineWaitingUntilABatchArrives() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "only", sku: "RARE-VASE", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "RARE-VASE", qty: 5)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "only", qty: 0)))
        #expect(try store.lines(matching: "o1") == ["o1 RARE-VASE 5 waiting"])
        bus.finishNotifications()
        #expect(
            store.notifications == [
                "to stock@made.com: Out of stock for RARE-VASE: order o1 waits for 5",
                "to stock@made.com: Batch only delays order o1 RARE-VASE x5: 2026-01-15 → waiting",
            ])
        let created = try bus.handle(.createBatch(CreateBatch(ref: "restock", sku: "RARE-VASE", qty: 10)))
        #expect(
            created
                == .batchCreated(
                    reference: "restock", sku: "RARE-VASE", skuIsNew: false,
                    filled: [LineOnBatch(orderid: "o1", sku: "RARE-VASE", qty: 5, batchref: "restock")]))
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "RARE-VASE", qty: 5)))
        #expect(outcome == .allocated(batchReference: "restock", wasAlreadyAllocated: true))
    }

    @Test func changeQuantityOfAnUnknownBatchIsRefused() throws {
        #expect(throws: AllocationError.unknownBatch("nope")) {
            try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "nope", qty: 5)))
        }
    }

    @Test func deallocateFreesTheLine() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        let outcome = try bus.handle(.deallocate(Deallocate(orderid: "o1", sku: "LAMP")))
        #expect(outcome == .deallocated(batchReference: "b1", filled: []))
        #expect(try batches("LAMP").first?.available == 10)
        #expect(try Views.orderLines(orderid: "o1", in: store.database).map(\.status.name) == ["cancelled"])
        #expect(try store.latestEvent()?.payload == #"{"orderid":"o1","sku":"LAMP","qty":4,"batchref":"b1"}"#)
        #expect(throws: AllocationError.cancelledLine(orderid: "o1", sku: "LAMP")) {
            try bus.handle(.deallocate(Deallocate(orderid: "o1", sku: "LAMP")))
        }
    }

    /// A new backorder is a change to the product too; a waiting line tried again, with still no stock, is not.
    @Test func everyChangeBumpsTheVersionByOneIncludingANewBackorder() throws {
        let version = { try Product.load(sku: "LAMP", in: store.database)?.version }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        #expect(try version() == 1)
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        #expect(try version() == 2)
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        #expect(try version() == 2)
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 40)))
        #expect(try version() == 3)
        try bus.handle(.allocate(Allocate(orderid: "o2", sku: "LAMP", qty: 40)))
        #expect(try version() == 3)
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 2)))
        #expect(try version() == 4)
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 2)))
        #expect(try version() == 4)
        try bus.handle(.deallocate(Deallocate(orderid: "o1", sku: "LAMP")))
        #expect(try version() == 5)
    }

    @Test func badInputIsRefusedBeforeTheDatabaseIsTouched() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let before = try store.contents()
        let bad: [Command] = [
            .allocate(Allocate(orderid: "", sku: "LAMP", qty: 1)),
            .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 0)),
            .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: -3)),
            .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 2_000_000_000)),
            .createBatch(CreateBatch(ref: String(repeating: "r", count: 300), sku: "LAMP", qty: 1)),
            .createBatch(CreateBatch(ref: "b\u{1B}]0;pwned\u{7}", sku: "LAMP", qty: 1)),
            .changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: -1)),
            .deallocate(Deallocate(orderid: "o1", sku: "")),
        ]
        for command in bad {
            #expect(throws: ContractViolation.self, "\(command)") { try bus.handle(command) }
        }
        #expect(try store.contents() == before)
    }
}
