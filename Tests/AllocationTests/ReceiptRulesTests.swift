import Testing

@testable import Allocation

/// The rules of receipts as pure functions: the rest batch's name, the quantity a rest needs, and what taking a
/// receipt back restores, read from the batch's events.
@Suite struct ReceiptRulesTests {
    let eta = Day("2099-03-04")!
    let later = Day("2099-03-20")!

    @Test func restBatchesAreNamedRestThenNumberedFromTwo() {
        #expect(restReference(of: "S-7", number: 1) == "S-7-REST")
        #expect(restReference(of: "S-7", number: 2) == "S-7-REST-2")
        #expect(restReference(of: "S-7", number: 3) == "S-7-REST-3")
    }

    @Test func aRestNeedsFewerUnitsThanOrdered() throws {
        try checkRestReceipt(of: "S-7", received: 30, ordered: 50)
        try checkRestReceipt(of: "S-7", received: 0, ordered: 50)
        #expect(throws: ContractViolation.self) { try checkRestReceipt(of: "S-7", received: 50, ordered: 50) }
        #expect(throws: ContractViolation.self) { try checkRestReceipt(of: "S-7", received: 60, ordered: 50) }
    }

    @Test func undoingAReceiptRestoresTheEtaAndQuantityFromBeforeIt() throws {
        let history: [Event] = [
            .batchCreated(ref: "S-7", sku: "TV", qty: 50, eta: eta),
            .allocated(orderid: "O1", sku: "TV", qty: 10, batchref: "S-7"),
            .batchEtaChanged(ref: "S-7", eta: later),
            .batchQuantityChanged(ref: "S-7", qty: 45),
            .batchReceived(ref: "S-7", qty: 30),
            .deallocated(orderid: "O1", sku: "TV", qty: 10, batchref: "S-7"),
        ]
        #expect(
            try receiptToUndo(of: "S-7", history: history)
                == ReceiptToUndo(receiptIndex: 4, eta: later, orderedQty: 45, receivedQty: 30))
    }

    @Test func aReceiptTakenBackAndMadeAgainIsUndoneToTheRestoredState() throws {
        let history: [Event] = [
            .batchCreated(ref: "S-7", sku: "TV", qty: 50, eta: eta),
            .batchReceived(ref: "S-7", qty: 30),
            .batchUnreceived(ref: "S-7", qty: 50, eta: eta),
            .batchEtaChanged(ref: "S-7", eta: later),
            .batchReceived(ref: "S-7", qty: 50),
        ]
        #expect(
            try receiptToUndo(of: "S-7", history: history)
                == ReceiptToUndo(receiptIndex: 4, eta: later, orderedQty: 50, receivedQty: 50))
    }

    @Test func anEarlierBatchOfTheSameNameDoesNotCount() throws {
        let history: [Event] = [
            .batchCreated(ref: "S-7", sku: "TV", qty: 5, eta: eta),
            .batchReceived(ref: "S-7", qty: 5),
            .batchVoided(ref: "S-7", sku: "TV", qty: 5),
            .batchCreated(ref: "S-7", sku: "TV", qty: 9, eta: nil),
        ]
        #expect(throws: AllocationError.cannotUnreceive(batch: "S-7", why: "it has no receipt to take back")) {
            try receiptToUndo(of: "S-7", history: history)
        }
    }

    @Test func aReceiptIsKeptWhenShippedFromOrChangedSinceOrAlreadyTakenBack() {
        let received: [Event] = [
            .batchCreated(ref: "S-7", sku: "TV", qty: 50, eta: eta), .batchReceived(ref: "S-7", qty: 50),
        ]
        #expect(
            throws: AllocationError.cannotUnreceive(batch: "S-7", why: "stock was shipped from it since its receipt")
        ) {
            try receiptToUndo(
                of: "S-7", history: received + [.shipped(orderid: "O1", sku: "TV", qty: 1, batchref: "S-7")])
        }
        #expect(
            throws: AllocationError.cannotUnreceive(
                batch: "S-7", why: "its quantity was changed to 40 since its receipt")
        ) {
            try receiptToUndo(of: "S-7", history: received + [.batchQuantityChanged(ref: "S-7", qty: 40)])
        }
        #expect(throws: AllocationError.cannotUnreceive(batch: "S-7", why: "it has no receipt to take back")) {
            try receiptToUndo(of: "S-7", history: received + [.batchUnreceived(ref: "S-7", qty: 50, eta: eta)])
        }
    }
}
