import Testing

@testable import Allocation

/// The book's `test_product.py`: the aggregate chooses the batch, records events and bumps its version.
@Suite struct ProductTests {
    let today = Day(year: 2026, month: 1, day: 15)
    var tomorrow: Day? { today?.adding(days: 1) }
    var later: Day? { today?.adding(days: 10) }

    /// LAMP with an in-stock batch "warehouse" and a batch "shipment" arriving tomorrow.
    func lampWarehouseAndShipment(warehouse: Int, shipment: Int) -> Product {
        Product(
            sku: "LAMP",
            batches: [
                Batch(reference: "warehouse", sku: "LAMP", purchased: warehouse, eta: nil),
                Batch(reference: "shipment", sku: "LAMP", purchased: shipment, eta: tomorrow),
            ])
    }

    /// The lines as the service passes them: stored (with ids) and already on `reference`.
    func placed(_ lines: [OrderLine], on reference: String) -> [OrderLine] {
        lines.map { line in
            var placed = line
            placed.batchReference = reference
            return placed
        }
    }

    @Test func prefersWarehouseBatchesToShipments() throws {
        let inStock = Batch(reference: "in-stock-batch", sku: "RETRO-CLOCK", purchased: 100, eta: nil)
        let shipment = Batch(reference: "shipment-batch", sku: "RETRO-CLOCK", purchased: 100, eta: tomorrow)
        var product = Product(sku: "RETRO-CLOCK", batches: [shipment, inStock])
        _ = try product.allocate(OrderLine(orderid: "oref", sku: "RETRO-CLOCK", qty: 10))
        #expect(product.batches.first { $0.reference == "in-stock-batch" }?.available == 90)
        #expect(product.batches.first { $0.reference == "shipment-batch" }?.available == 100)
    }

    @Test func prefersEarlierBatches() throws {
        let earliest = Batch(reference: "speedy-batch", sku: "MINIMALIST-SPOON", purchased: 100, eta: today)
        let medium = Batch(reference: "normal-batch", sku: "MINIMALIST-SPOON", purchased: 100, eta: tomorrow)
        let latest = Batch(reference: "slow-batch", sku: "MINIMALIST-SPOON", purchased: 100, eta: later)
        var product = Product(sku: "MINIMALIST-SPOON", batches: [medium, earliest, latest])
        _ = try product.allocate(OrderLine(orderid: "order1", sku: "MINIMALIST-SPOON", qty: 10))
        let available = Dictionary(uniqueKeysWithValues: product.batches.map { ($0.reference, $0.available) })
        #expect(available == ["speedy-batch": 90, "normal-batch": 100, "slow-batch": 100])
    }

    @Test func tiesOnEtaAreBrokenByReference() throws {
        let b = Batch(reference: "b-batch", sku: "LAMP", purchased: 10, eta: today)
        let a = Batch(reference: "a-batch", sku: "LAMP", purchased: 10, eta: today)
        var product = Product(sku: "LAMP", batches: [b, a])
        #expect(try product.allocate(OrderLine(orderid: "o", sku: "LAMP", qty: 1)) == "a-batch")
    }

    @Test func skipsPreferredBatchesThatCannotTakeTheLine() throws {
        let small = Batch(reference: "in-stock", sku: "LAMP", purchased: 5, eta: nil)
        let big = Batch(reference: "shipment", sku: "LAMP", purchased: 50, eta: tomorrow)
        var product = Product(sku: "LAMP", batches: [small, big])
        #expect(try product.allocate(OrderLine(orderid: "o", sku: "LAMP", qty: 6)) == "shipment")
    }

    @Test func returnsAllocatedBatchRef() throws {
        let inStock = Batch(reference: "in-stock-batch-ref", sku: "HIGHBROW-POSTER", purchased: 100, eta: nil)
        let shipment = Batch(reference: "shipment-batch-ref", sku: "HIGHBROW-POSTER", purchased: 100, eta: tomorrow)
        var product = Product(sku: "HIGHBROW-POSTER", batches: [inStock, shipment])
        #expect(
            try product.allocate(OrderLine(orderid: "oref", sku: "HIGHBROW-POSTER", qty: 10)) == "in-stock-batch-ref")
    }

    @Test func outputsAllocatedEvent() throws {
        let batch = Batch(reference: "batchref", sku: "RETRO-LAMPSHADE", purchased: 100, eta: nil)
        var product = Product(sku: "RETRO-LAMPSHADE", batches: [batch])
        _ = try product.allocate(OrderLine(orderid: "oref", sku: "RETRO-LAMPSHADE", qty: 10))
        #expect(
            product.events.last == .allocated(orderid: "oref", sku: "RETRO-LAMPSHADE", qty: 10, batchref: "batchref"))
    }

    @Test func recordsOutOfStockEventNamingTheLineIfCannotAllocate() throws {
        let batch = Batch(reference: "batch1", sku: "SMALL-FORK", purchased: 10, eta: today)
        var product = Product(sku: "SMALL-FORK", batches: [batch])
        _ = try product.allocate(OrderLine(orderid: "order1", sku: "SMALL-FORK", qty: 10))
        let allocation = try product.allocate(OrderLine(orderid: "order2", sku: "SMALL-FORK", qty: 1))
        #expect(product.events.last == .outOfStock(sku: "SMALL-FORK", orderid: "order2", qty: 1))
        #expect(allocation == nil)
        #expect(product.batches[0].available == 0)
    }

    @Test func incrementsVersionNumber() throws {
        let line = OrderLine(orderid: "oref", sku: "SCANDI-PEN", qty: 10)
        var product = Product(
            sku: "SCANDI-PEN", version: 7, batches: [Batch(reference: "b1", sku: "SCANDI-PEN", purchased: 100)])
        _ = try product.allocate(line)
        #expect(product.version == 8)
    }

    @Test func aNewBackorderBumpsTheVersionAndAWaitingLineTriedAgainChangesNothing() throws {
        var product = Product(
            sku: "SCANDI-PEN", version: 7, batches: [Batch(reference: "b1", sku: "SCANDI-PEN", purchased: 1)])
        _ = try product.allocate(OrderLine(orderid: "oref", sku: "SCANDI-PEN", qty: 10))
        #expect(product.version == 8)
        var again = Product(
            sku: "SCANDI-PEN", version: 8, batches: [Batch(reference: "b1", sku: "SCANDI-PEN", purchased: 1)])
        let waiting = OrderLine(id: 1, orderid: "oref", sku: "SCANDI-PEN", qty: 10, waitingSince: "2026-01-15T12:00Z")
        #expect(try again.allocate(waiting) == nil)
        #expect(again.version == 8)
        #expect(again.events.isEmpty)
    }

    @Test func refusesALineForAnotherSKUWithAContractViolation() {
        var product = Product(sku: "LAMP", batches: [Batch(reference: "b1", sku: "LAMP", purchased: 10)])
        #expect(throws: ContractViolation.self) {
            _ = try product.allocate(OrderLine(orderid: "o", sku: "CHAIR", qty: 1))
        }
        #expect(product.events.isEmpty)
    }

    @Test func changingQuantityKeepsOlderLinesAndReallocatesTheNewerOnesThatNoLongerFit() throws {
        var product = lampWarehouseAndShipment(warehouse: 10, shipment: 10)
        let first = OrderLine(id: 1, orderid: "o1", sku: "LAMP", qty: 4)
        let second = OrderLine(id: 2, orderid: "o2", sku: "LAMP", qty: 5)
        _ = try product.allocate(first)
        _ = try product.allocate(second)
        let moves = try product.changeQuantity(
            ofBatch: "warehouse", to: 5, allocatedLines: placed([second, first], on: "warehouse"))
        #expect(moves == [Move(orderid: "o2", sku: "LAMP", qty: 5, from: "warehouse", to: "shipment")])
        #expect(product.batches.map(\.allocated) == [4, 5])
        #expect(
            product.events.suffix(3) == [
                .batchQuantityChanged(ref: "warehouse", qty: 5),
                .deallocated(orderid: "o2", sku: "LAMP", qty: 5, batchref: "warehouse"),
                .allocated(orderid: "o2", sku: "LAMP", qty: 5, batchref: "shipment"),
            ])
        #expect(product.version == 1)
    }

    /// Each line stays if it still fits, oldest first: an older line too big to stay does not push out a younger,
    /// smaller one that fits.
    @Test func theIssuesTelevisionsTheOlderLineThatNoLongerFitsWaitsAndTheSmallerNewerOneStays() throws {
        var product = Product(sku: "TV", batches: [Batch(reference: "W-1", sku: "TV", purchased: 10)])
        let old = OrderLine(id: 1, orderid: "OLD-1", sku: "TV", qty: 8)
        let new = OrderLine(id: 2, orderid: "NEW-1", sku: "TV", qty: 2)
        _ = try product.allocate(old)
        _ = try product.allocate(new)
        let moves = try product.changeQuantity(ofBatch: "W-1", to: 5, allocatedLines: placed([old, new], on: "W-1"))
        #expect(moves == [Move(orderid: "OLD-1", sku: "TV", qty: 8, from: "W-1", to: nil)])
        #expect(product.batches[0].allocated == 2)
        #expect(
            product.events.suffix(2) == [
                .deallocated(orderid: "OLD-1", sku: "TV", qty: 8, batchref: "W-1"),
                .outOfStock(sku: "TV", orderid: "OLD-1", qty: 8),
            ])
    }

    /// The leavers are re-placed oldest first, so the older order gets first pick of the stock left anywhere.
    @Test func linesThatLeaveArePlacedOldestFirstSoTheOlderOrderGetsFirstPick() throws {
        var product = Product(
            sku: "LAMP",
            batches: [
                Batch(reference: "A", sku: "LAMP", purchased: 12),
                Batch(reference: "B", sku: "LAMP", purchased: 6, eta: tomorrow),
                Batch(reference: "C", sku: "LAMP", purchased: 3, eta: later),
            ])
        let lines = [
            OrderLine(id: 10, orderid: "o10", sku: "LAMP", qty: 2),
            OrderLine(id: 11, orderid: "o11", sku: "LAMP", qty: 5),
            OrderLine(id: 12, orderid: "o12", sku: "LAMP", qty: 5),
        ]
        for line in lines { _ = try product.allocate(line) }
        let moves = try product.changeQuantity(
            ofBatch: "A", to: 3, allocatedLines: placed(lines.reversed(), on: "A"))
        #expect(
            moves == [
                Move(orderid: "o11", sku: "LAMP", qty: 5, from: "A", to: "B"),
                Move(orderid: "o12", sku: "LAMP", qty: 5, from: "A", to: nil),
            ])
        #expect(product.batches.map(\.allocated) == [2, 5, 0])
    }

    @Test func theSameQuantityChangesNothingAndRecordsNothing() throws {
        var product = lampWarehouseAndShipment(warehouse: 10, shipment: 10)
        let line = OrderLine(id: 1, orderid: "o1", sku: "LAMP", qty: 4)
        _ = try product.allocate(line)
        let before = product
        #expect(
            try product.changeQuantity(ofBatch: "warehouse", to: 10, allocatedLines: placed([line], on: "warehouse"))
                == [])
        #expect(product == before)
    }

    @Test func changingQuantityRefusesLinesThatDoNotAddUp() {
        var product = Product(
            sku: "LAMP", batches: [Batch(reference: "only", sku: "LAMP", purchased: 10, allocated: 4)])
        #expect(throws: ContractViolation.self) {
            _ = try product.changeQuantity(ofBatch: "only", to: 3, allocatedLines: [])
        }
    }
}
