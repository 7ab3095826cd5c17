import Testing

@testable import Allocation

/// The book's `test_batches.py`: what a batch can take.
@Suite struct BatchTests {
    let today = Day("2026-01-15")

    func makeBatchAndLine(sku: String, batchQty: Int, lineQty: Int) -> (Product, OrderLine) {
        let batch = Batch(reference: "batch-001", sku: sku, purchased: batchQty, eta: today)
        return (Product(sku: sku, batches: [batch]), OrderLine(orderid: "order-123", sku: sku, qty: lineQty))
    }

    @Test func allocatingToABatchReducesTheAvailableQuantity() throws {
        var (product, line) = makeBatchAndLine(sku: "SMALL-TABLE", batchQty: 20, lineQty: 2)
        _ = try product.allocate(line)
        #expect(product.batches[0].available == 18)
    }

    @Test func canAllocateIfAvailableGreaterThanRequired() {
        let (product, line) = makeBatchAndLine(sku: "ELEGANT-LAMP", batchQty: 20, lineQty: 2)
        #expect(product.batches[0].canAllocate(line))
    }

    @Test func cannotAllocateIfAvailableSmallerThanRequired() {
        let (product, line) = makeBatchAndLine(sku: "ELEGANT-LAMP", batchQty: 2, lineQty: 20)
        #expect(!product.batches[0].canAllocate(line))
    }

    @Test func canAllocateIfAvailableEqualToRequired() {
        let (product, line) = makeBatchAndLine(sku: "ELEGANT-LAMP", batchQty: 2, lineQty: 2)
        #expect(product.batches[0].canAllocate(line))
    }

    @Test func cannotAllocateIfSkusDoNotMatch() {
        let batch = Batch(reference: "batch-001", sku: "UNCOMFORTABLE-CHAIR", purchased: 100)
        let differentSKULine = OrderLine(orderid: "order-123", sku: "EXPENSIVE-TOASTER", qty: 10)
        #expect(!batch.canAllocate(differentSKULine))
    }

    /// A line that is already placed stays where it is: the second allocation changes nothing.
    @Test func allocationIsIdempotent() throws {
        var (product, line) = makeBatchAndLine(sku: "ANGULAR-DESK", batchQty: 20, lineQty: 2)
        let reference = try #require(try product.allocate(line))
        line.batchReference = reference
        let afterFirst = product
        #expect(try product.allocate(line) == reference)
        #expect(product == afterFirst)
        #expect(product.batches[0].available == 18)
    }

    @Test func availableCountsEveryAllocatedLine() throws {
        var (product, _) = makeBatchAndLine(sku: "ANGULAR-DESK", batchQty: 20, lineQty: 2)
        _ = try product.allocate(OrderLine(orderid: "o1", sku: "ANGULAR-DESK", qty: 5))
        _ = try product.allocate(OrderLine(orderid: "o2", sku: "ANGULAR-DESK", qty: 7))
        #expect(product.batches[0].allocated == 12)
        #expect(product.batches[0].available == 8)
    }
}
