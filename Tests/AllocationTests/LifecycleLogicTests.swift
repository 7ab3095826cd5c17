import Testing

@testable import Allocation

/// The lifecycle rules as pure functions on record values: filling backorders, receiving, re-dating, shipping and
/// moving, with their refusals.
@Suite struct LifecycleLogicTests {
    let today = Day(year: 2026, month: 1, day: 15)
    var later: Day? { today?.adding(days: 10) }

    func waiting(_ id: Int64, _ orderid: String, _ qty: Int) -> OrderLine {
        OrderLine(id: id, orderid: orderid, sku: "TV", qty: qty, waitingSince: "2026-01-15T12:00:00.000Z")
    }

    func on(_ reference: String, _ id: Int64, _ orderid: String, _ qty: Int) -> OrderLine {
        OrderLine(id: id, orderid: orderid, sku: "TV", qty: qty, batchReference: reference)
    }

    @Test func waitingLinesAreFilledOldestFirstAndThoseThatDoNotFitAreSkipped() throws {
        var product = Product(
            sku: "TV", version: 3,
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5),
                Batch(reference: "S-1", sku: "TV", purchased: 4, eta: later),
            ])
        let placed = try product.fillWaiting([waiting(3, "C", 2), waiting(1, "A", 9), waiting(2, "B", 4)])
        #expect(placed.map { "\($0.orderid) \($0.batchReference ?? "-")" } == ["B W-1", "C S-1"])
        #expect(
            product.events == [
                .allocated(orderid: "B", sku: "TV", qty: 4, batchref: "W-1"),
                .allocated(orderid: "C", sku: "TV", qty: 2, batchref: "S-1"),
            ])
        #expect(product.version == 4)
    }

    @Test func fillingNothingChangesNothing() throws {
        var product = Product(sku: "TV", version: 3, batches: [Batch(reference: "W-1", sku: "TV", purchased: 1)])
        #expect(try product.fillWaiting([waiting(1, "A", 2)]).isEmpty)
        #expect(product.version == 3 && product.events.isEmpty)
        #expect(throws: ContractViolation.self) { _ = try product.fillWaiting([on("W-1", 2, "B", 1)]) }
    }

    @Test func receivingClearsTheEtaAndMakesTheBatchPreferred() throws {
        var product = Product(
            sku: "TV",
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5),
                Batch(reference: "A-1", sku: "TV", purchased: 4, eta: later),
            ])
        let (qty, moves) = try product.receive(batch: "A-1", quantity: nil, allocatedLines: [])
        #expect(qty == 4 && moves.isEmpty)
        #expect(product.batches.map(\.reference) == ["A-1", "W-1"])
        #expect(product.events == [.batchReceived(ref: "A-1", qty: 4)])
        #expect(throws: AllocationError.alreadyInWarehouse("W-1")) {
            _ = try product.receive(batch: "W-1", quantity: nil, allocatedLines: [])
        }
    }

    @Test func reDatingRefusesABatchInTheWarehouseAndIgnoresTheSameDate() throws {
        let eta = try #require(later)
        var product = Product(
            sku: "TV",
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5),
                Batch(reference: "S-1", sku: "TV", purchased: 4, eta: eta),
            ])
        #expect(throws: AllocationError.alreadyInWarehouse("W-1")) {
            _ = try product.changeEta(ofBatch: "W-1", to: eta)
        }
        #expect(try product.changeEta(ofBatch: "S-1", to: eta) == false)
        #expect(product.events.isEmpty)
        #expect(try product.changeEta(ofBatch: "S-1", to: eta.adding(days: 1)))
        #expect(product.events == [.batchEtaChanged(ref: "S-1", eta: eta.adding(days: 1))])
    }

    @Test func shippingRefusesWaitingLinesAndLinesOnArrivingBatches() throws {
        var product = Product(
            sku: "TV",
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5, allocated: 3),
                Batch(reference: "S-1", sku: "TV", purchased: 4, eta: later, allocated: 2),
            ])
        #expect(product.shippingProblem(waiting(1, "A", 2)) == "A TV is waiting for stock")
        #expect(product.shippingProblem(on("S-1", 2, "B", 2)) == "B TV is on arriving batch S-1")
        #expect(throws: AllocationError.notShippable(["B TV is on arriving batch S-1"])) {
            _ = try product.ship(on("S-1", 2, "B", 2))
        }
        let shipped = try product.ship(on("W-1", 3, "C", 3))
        #expect(shipped == [LineOnBatch(orderid: "C", sku: "TV", qty: 3, batchref: "W-1")])
        #expect(product.batches[0].purchased == 5, "what was bought stays")
        #expect(product.batches[0].shipped == 3 && product.batches[0].onHand == 2 && product.batches[0].allocated == 0)
    }

    @Test func movingRefusesWithoutRoomTheSameBatchAndAShippedLine() throws {
        var product = Product(
            sku: "TV",
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5, allocated: 5),
                Batch(reference: "S-1", sku: "TV", purchased: 4, eta: later, allocated: 1),
            ])
        #expect(throws: AllocationError.noRoom(batch: "S-1", available: 3, needed: 5)) {
            _ = try product.move(on("W-1", 1, "A", 5), to: "S-1")
        }
        #expect(throws: AllocationError.alreadyOnBatch(orderid: "A", sku: "TV", batch: "W-1")) {
            _ = try product.move(on("W-1", 1, "A", 5), to: "W-1")
        }
        let shipped = OrderLine(id: 3, orderid: "C", sku: "TV", qty: 1, shippedAt: "x", shippedFrom: "W-1")
        #expect(throws: AllocationError.shippedLine(orderid: "C", sku: "TV")) {
            _ = try product.move(shipped, to: "S-1")
        }
        #expect(product.events.isEmpty)
        #expect(try product.move(waiting(4, "D", 3), to: "S-1") == nil)
        #expect(product.events == [.allocated(orderid: "D", sku: "TV", qty: 3, batchref: "S-1")])
        #expect(product.batches[1].allocated == 4)
    }

    @Test func theAlternativeBatchIsThePreferredOtherOneWithRoom() {
        let product = Product(
            sku: "TV",
            batches: [
                Batch(reference: "W-1", sku: "TV", purchased: 5, allocated: 4),
                Batch(reference: "S-1", sku: "TV", purchased: 9, eta: today),
                Batch(reference: "S-2", sku: "TV", purchased: 9, eta: later, allocated: 2),
            ])
        #expect(product.alternativeBatch(for: on("S-2", 1, "A", 2))?.reference == "S-1")
        #expect(product.alternativeBatch(for: on("S-1", 1, "A", 1))?.reference == "W-1")
        #expect(product.alternativeBatch(for: on("S-1", 1, "A", 10)) == nil)
    }

    @Test func theReleasePlanKeepsLinesOldestFirstWhileTheyFit() throws {
        var product = Product(sku: "TV", batches: [Batch(reference: "W-1", sku: "TV", purchased: 10, allocated: 10)])
        product.batches[0].purchased = 6
        let lines = [on("W-1", 5, "E", 1), on("W-1", 2, "B", 4), on("W-1", 3, "C", 3), on("W-1", 4, "D", 2)]
        let plan = try product.releasePlan(from: "W-1", allocatedLines: lines)
        #expect(plan.kept == 6)
        #expect(plan.leaving.map(\.orderid) == ["C", "E"])
        #expect(throws: ContractViolation.self) {
            _ = try product.releasePlan(from: "W-1", allocatedLines: [OrderLine(orderid: "X", sku: "TV", qty: 10)])
        }
    }
}
