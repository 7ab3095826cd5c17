import TestSupport
import Testing

@testable import Allocation

/// The statements an allocation runs, and that the shortcut for a new line decides as the full path does.
@Suite struct AllocationPathTests {
    @Test func aNewLineThatABatchCanTakeIsInsertedWithoutLookingItUpFirst() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 10)))
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 3)))
        store.database.willRun = nil
        #expect(outcome == .allocated(batchReference: "B-1", wasAlreadyAllocated: false))
        let lineReads = statements.filter { $0.hasPrefix("SELECT") && $0.contains("FROM order_lines") }
        #expect(lineReads.isEmpty, "\(lineReads)")
        #expect(statements.filter { $0.hasPrefix("INSERT INTO order_lines") }.count == 1)
    }

    @Test func anExistingLineIsDecidedAsItIsWhateverTheInsertFound() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 3)))
        #expect(
            try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 3)))
                == .allocated(batchReference: "B-1", wasAlreadyAllocated: true))
        #expect(throws: AllocationError.conflictingLine(orderid: "o1", sku: "LAMP", existingQty: 3, requestedQty: 4)) {
            try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        }
        try bus.handle(.allocate(Allocate(orderid: "w1", sku: "LAMP", qty: 9)))
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "B-1", qty: 11)))
        #expect(
            try bus.handle(.allocate(Allocate(orderid: "w1", sku: "LAMP", qty: 9)))
                == .waiting(orderid: "w1", sku: "LAMP", qty: 9, isNew: false))
        let lines = try store.database.query("SELECT orderid, qty FROM order_lines ORDER BY id") {
            "\($0.text(0)) \($0.int(1))"
        }
        #expect(lines == ["o1 3", "w1 9"])
        let events = try store.database.query("SELECT kind FROM events ORDER BY id") { $0.text(0) }
        #expect(events == ["BatchCreated", "Allocated", "OutOfStock", "BatchQuantityChanged"])
    }
}
