import TestSupport
import Testing

@testable import Allocation

/// Receipts as warehouses do them, through the production bus on a real database (SQLite, or the test server):
/// a short receipt whose rest still arrives, a receipt taken back, a batch voided; and their refusals, which
/// change nothing.
@Suite struct ReceiptTests {
    let store: TestDatabase
    let eta = Day("2026-03-04")!
    let restEta = Day("2026-03-20")!

    init() throws {
        store = try TestDatabase()
    }

    /// W-1 with 10 TV in the warehouse and SHIP-7 with 50 arriving; OLD-1 x30 and NEW-1 x15 on SHIP-7.
    func arriving() throws -> MessageBus {
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-7", sku: "TV", qty: 50, eta: eta)))
        try bus.handle(.allocate(Allocate(orderid: "OLD-1", sku: "TV", qty: 30)))
        try bus.handle(.allocate(Allocate(orderid: "NEW-1", sku: "TV", qty: 15)))
        return bus
    }

    func batches() throws -> [String] {
        try Views.batches(in: store.database).map {
            "\($0.reference) \($0.purchased)/\($0.allocated) \($0.eta.map(\.description) ?? "in stock")"
        }.sorted()
    }

    func kinds(of reference: String) throws -> [String] {
        try Views.history(batch: reference, in: store.database).map(\.kind)
    }

    @Test func aShortReceiptWithARestEtaKeepsTheRestArrivingAsANewBatch() throws {
        let bus = try arriving()
        let outcome = try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 30, restEta: restEta)))
        #expect(
            outcome
                == .receivedWithRest(
                    reference: "SHIP-7", qty: 30, rest: RestBatch(reference: "SHIP-7-REST", qty: 20, eta: restEta),
                    moved: [Move(orderid: "NEW-1", sku: "TV", qty: 15, from: "SHIP-7", to: "SHIP-7-REST")], filled: [],
                    delayed: [
                        Delay(orderid: "NEW-1", sku: "TV", qty: 15, from: Day("2026-03-04")!, to: restEta)
                    ]))
        #expect(try batches() == ["SHIP-7 30/30 in stock", "SHIP-7-REST 20/15 2026-03-20", "W-1 10/0 in stock"])
        #expect(try kinds(of: "SHIP-7-REST") == ["BatchCreated", "Allocated"])
        #expect(
            outcome.lines(for: .receiveBatch(ReceiveBatch(ref: "SHIP-7"))).prefix(2) == [
                "received SHIP-7 x30", "rest SHIP-7-REST x20 arriving 2026-03-20",
            ])
    }

    @Test func theRestTakesTheNextFreeName() throws {
        let bus = try arriving()
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-7-REST", sku: "TV", qty: 1, eta: restEta)))
        let outcome = try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 45, restEta: restEta)))
        guard case .receivedWithRest(_, _, let rest, let moved, _, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(rest == RestBatch(reference: "SHIP-7-REST-2", qty: 5, eta: restEta))
        #expect(moved.isEmpty)
    }

    @Test func aRestEtaWithAllThatWasOrderedOrMoreIsRefusedAndChangesNothing() throws {
        let bus = try arriving()
        let before = try store.contents()
        for qty in [50, 60] {
            #expect(throws: ContractViolation.self) {
                try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: qty, restEta: restEta)))
            }
        }
        #expect(throws: ContractViolation.self) {
            try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", restEta: restEta)))
        }
        #expect(try store.contents() == before)
    }

    @Test func thePreviewOfAReceiptIsWhatTheReceiptDoes() throws {
        let bus = try arriving()
        let preview = try Views.previewReceipt(
            reference: "SHIP-7", qty: 30, restEta: restEta, today: store.settings.clock.today, in: store.database)
        #expect(preview.rest == RestBatch(reference: "SHIP-7-REST", qty: 20, eta: restEta))
        #expect(preview.ordered == 50)
        let outcome = try bus.handle(
            .receiveBatch(
                ReceiveBatch(ref: "SHIP-7", qty: 30, restEta: restEta, expectedVersion: preview.version)))
        guard case .receivedWithRest(_, _, _, let moved, _, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(moved == preview.moves)
    }

    @Test func aReceiptConfirmedAfterTheProductChangedIsRefused() throws {
        let bus = try arriving()
        let preview = try Views.previewReceipt(
            reference: "SHIP-7", qty: 30, restEta: nil, today: store.settings.clock.today, in: store.database)
        try bus.handle(.allocate(Allocate(orderid: "NEW-2", sku: "TV", qty: 1)))
        let before = try store.contents()
        #expect(throws: AllocationError.self) {
            try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 30, expectedVersion: preview.version)))
        }
        #expect(try store.contents() == before)
    }

    @Test func unreceiveFoldsTheRestBackAndTheBatchArrivesAgainAsBefore() throws {
        let bus = try arriving()
        let before = try batches()
        try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 30, restEta: restEta)))
        let outcome = try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "SHIP-7")))
        #expect(
            outcome
                == .unreceived(
                    reference: "SHIP-7", qty: 50, eta: eta, removedRest: "SHIP-7-REST",
                    moved: [Move(orderid: "NEW-1", sku: "TV", qty: 15, from: "SHIP-7-REST", to: "SHIP-7")],
                    filled: []))
        #expect(try batches() == before)
        #expect(try kinds(of: "SHIP-7").suffix(1) == ["Allocated"])
        #expect(try kinds(of: "SHIP-7").contains("BatchUnreceived"))
        #expect(try kinds(of: "SHIP-7-REST") == ["BatchCreated", "Allocated", "BatchVoided", "Deallocated"])
        #expect(try Views.orderLines(orderid: "NEW-1", in: store.database).map(\.batchref) == ["SHIP-7"])
    }

    @Test func unreceiveOfAShortReceiptWithoutRestGivesTheOrderedQuantityBack() throws {
        let bus = try arriving()
        try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 30)))
        #expect(try Views.backorders(in: store.database).map(\.orderid) == ["NEW-1"])
        let outcome = try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "SHIP-7")))
        #expect(
            outcome
                == .unreceived(
                    reference: "SHIP-7", qty: 50, eta: eta, removedRest: nil, moved: [],
                    filled: [LineOnBatch(orderid: "NEW-1", sku: "TV", qty: 15, batchref: "SHIP-7")]))
        #expect(try batches() == ["SHIP-7 50/45 2026-03-04", "W-1 10/0 in stock"])
    }

    @Test func unreceiveIsRefusedWhenShippedFromArrivingOrItsRestWasReceivedAndChangesNothing() throws {
        let bus = try arriving()
        #expect(throws: AllocationError.cannotUnreceive(batch: "SHIP-7", why: "it is still arriving")) {
            try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "SHIP-7")))
        }
        #expect(throws: AllocationError.cannotUnreceive(batch: "W-1", why: "it has no receipt to take back")) {
            try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "W-1")))
        }
        #expect(throws: AllocationError.unknownBatch("NOPE")) {
            try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "NOPE")))
        }
        try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7", qty: 40, restEta: restEta)))
        try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-7-REST")))
        let received = try store.contents()
        #expect(
            throws: AllocationError.cannotUnreceive(
                batch: "SHIP-7", why: "its rest batch SHIP-7-REST was received since; unreceive SHIP-7-REST first")
        ) {
            try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "SHIP-7")))
        }
        #expect(try store.contents() == received)
        try bus.handle(.ship(Ship(orderid: "OLD-1")))
        let shipped = try store.contents()
        #expect(
            throws: AllocationError.cannotUnreceive(batch: "SHIP-7", why: "stock was shipped from it since its receipt")
        ) {
            try bus.handle(.unreceiveBatch(UnreceiveBatch(ref: "SHIP-7")))
        }
        #expect(try store.contents() == shipped)
    }

    @Test func voidingABatchPlacesItsLinesAgainOrLetsThemWaitAndKeepsItsHistory() throws {
        let bus = try arriving()
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-8", sku: "TV", qty: 20, eta: restEta)))
        let outcome = try bus.handle(.voidBatch(VoidBatch(ref: "SHIP-7")))
        #expect(
            outcome
                == .batchVoided(
                    reference: "SHIP-7",
                    moved: [
                        Move(orderid: "OLD-1", sku: "TV", qty: 10, from: "SHIP-7", to: "W-1"),
                        Move(orderid: "OLD-1", sku: "TV", qty: 20, from: "SHIP-7", to: "SHIP-8"),
                        Move(orderid: "NEW-1", sku: "TV", qty: 15, from: "SHIP-7", to: nil),
                    ], filled: []))
        #expect(outcome.leftLinesWaiting)
        #expect(try batches() == ["SHIP-8 20/20 2026-03-20", "W-1 10/10 in stock"])
        #expect(try kinds(of: "SHIP-7").prefix(1) == ["BatchCreated"])
        #expect(try kinds(of: "SHIP-7").contains("BatchVoided"))
        #expect(try TestDatabase.miscountedBatches(in: store.database).isEmpty)
    }

    @Test func aBatchShippedFromCannotBeVoidedAndNothingChanges() throws {
        let bus = try arriving()
        try bus.handle(.allocate(Allocate(orderid: "W-O", sku: "TV", qty: 5)))
        try bus.handle(.ship(Ship(orderid: "W-O")))
        let before = try store.contents()
        #expect(throws: AllocationError.cannotVoid(batch: "W-1", why: "stock was shipped from it")) {
            try bus.handle(.voidBatch(VoidBatch(ref: "W-1")))
        }
        #expect(throws: AllocationError.unknownBatch("NOPE")) { try bus.handle(.voidBatch(VoidBatch(ref: "NOPE"))) }
        #expect(try store.contents() == before)
    }
}
