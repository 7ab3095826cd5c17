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

    /// The lines as the service passes them: already on `reference`.
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

    @Test func recordsOutOfStockEventIfCannotAllocate() throws {
        let batch = Batch(reference: "batch1", sku: "SMALL-FORK", purchased: 10, eta: today)
        var product = Product(sku: "SMALL-FORK", batches: [batch])
        _ = try product.allocate(OrderLine(orderid: "order1", sku: "SMALL-FORK", qty: 10))
        let allocation = try product.allocate(OrderLine(orderid: "order2", sku: "SMALL-FORK", qty: 1))
        #expect(product.events.last == .outOfStock(sku: "SMALL-FORK"))
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

    @Test func outOfStockLeavesTheVersionAlone() throws {
        var product = Product(
            sku: "SCANDI-PEN", version: 7, batches: [Batch(reference: "b1", sku: "SCANDI-PEN", purchased: 1)])
        _ = try product.allocate(OrderLine(orderid: "oref", sku: "SCANDI-PEN", qty: 10))
        #expect(product.version == 7)
    }

    @Test func refusesALineForAnotherSKUWithAContractViolation() {
        var product = Product(sku: "LAMP", batches: [Batch(reference: "b1", sku: "LAMP", purchased: 10)])
        #expect(throws: ContractViolation.self) {
            _ = try product.allocate(OrderLine(orderid: "o", sku: "CHAIR", qty: 1))
        }
        #expect(product.events.isEmpty)
    }

    @Test func changingQuantityDeallocatesNewestLinesAndReallocatesThem() throws {
        var product = lampWarehouseAndShipment(warehouse: 10, shipment: 10)
        let first = OrderLine(orderid: "o1", sku: "LAMP", qty: 4)
        let second = OrderLine(orderid: "o2", sku: "LAMP", qty: 5)
        _ = try product.allocate(first)
        _ = try product.allocate(second)
        let newestFirst = placed([second, first], on: "warehouse")
        let moves = try product.changeQuantity(ofBatch: "warehouse", to: 5, allocatedLines: newestFirst)
        #expect(moves == [Move(orderid: "o2", sku: "LAMP", qty: 5, from: "warehouse", to: "shipment")])
        #expect(product.batches.map(\.allocated) == [4, 5])
        #expect(
            product.events.suffix(3) == [
                .batchQuantityChanged(ref: "warehouse", qty: 5),
                .deallocated(orderid: "o2", sku: "LAMP", qty: 5),
                .allocated(orderid: "o2", sku: "LAMP", qty: 5, batchref: "shipment"),
            ])
        #expect(product.version == 3)
    }

    /// Lines give way newest first until the batch fits; one that then fits back where it was stays put.
    @Test func aReleasedLineThatFitsBackStaysWithoutEvents() throws {
        var product = lampWarehouseAndShipment(warehouse: 100, shipment: 50)
        let older = OrderLine(orderid: "ORD-1", sku: "LAMP", qty: 10)
        let newer = OrderLine(orderid: "ORD-2", sku: "LAMP", qty: 3)
        _ = try product.allocate(older)
        _ = try product.allocate(newer)
        let newestFirst = placed([newer, older], on: "warehouse")
        let moves = try product.changeQuantity(ofBatch: "warehouse", to: 5, allocatedLines: newestFirst)
        #expect(moves == [Move(orderid: "ORD-1", sku: "LAMP", qty: 10, from: "warehouse", to: "shipment")])
        #expect(product.batches.map(\.allocated) == [3, 10])
        #expect(
            product.events.suffix(3) == [
                .batchQuantityChanged(ref: "warehouse", qty: 5),
                .deallocated(orderid: "ORD-1", sku: "LAMP", qty: 10),
                .allocated(orderid: "ORD-1", sku: "LAMP", qty: 10, batchref: "shipment"),
            ])
    }

    @Test func changingQuantityWithNowhereToGoRecordsOutOfStock() throws {
        var product = Product(sku: "LAMP", batches: [Batch(reference: "only", sku: "LAMP", purchased: 10)])
        var line = OrderLine(orderid: "o1", sku: "LAMP", qty: 8)
        line.batchReference = try product.allocate(line)
        let moves = try product.changeQuantity(ofBatch: "only", to: 3, allocatedLines: [line])
        #expect(moves == [Move(orderid: "o1", sku: "LAMP", qty: 8, from: "only", to: nil)])
        #expect(product.batches[0].allocated == 0)
        #expect(product.events.last == .outOfStock(sku: "LAMP"))
    }

    @Test func changingQuantityRefusesLinesThatDoNotAddUp() {
        var product = Product(
            sku: "LAMP", batches: [Batch(reference: "only", sku: "LAMP", purchased: 10, allocated: 4)])
        #expect(throws: ContractViolation.self) {
            _ = try product.changeQuantity(ofBatch: "only", to: 3, allocatedLines: [])
        }
    }
}
