import TestSupport
import Testing

@testable import Allocation

/// Partial shipments through the production bus on a real database: a line ships what is in the warehouse and
/// stays open, the same line, for its pieces still arriving and its waiting part.
@Suite struct PartialShipmentTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    /// B1 with 40 TV in the warehouse, S1 with 10 arriving, and O1 for 60 TV under `partial`: x40 from B1, x10 on
    /// S1 and x10 waiting.
    func lineInThreeParts(autoAllocate: Bool = true) throws -> MessageBus {
        let bus = store.makeBus(splitLines: .partial)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 40)))
        try bus.handle(.createBatch(CreateBatch(ref: "S1", sku: "TV", qty: 10, eta: Day("2027-01-10"))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 60)))
        return bus
    }

    func lines(_ orderid: String) throws -> [String] {
        try Views.orderLines(orderid: orderid, in: store.database).map { row in
            switch row.status {
            case .allocated(let batchref): "\(row.sku) x\(row.qty) on \(batchref)"
            case .waiting: "\(row.sku) x\(row.qty) waiting"
            case .shipped(let at, let from):
                "\(row.sku) x\(row.qty) shipped from \(from)\(at.isEmpty ? " at no time" : "")"
            case .cancelled: "\(row.sku) x\(row.qty) cancelled"
            }
        }
    }

    /// Each batch as `reference on-hand/allocated`.
    func batches() throws -> [String] {
        try store.database.query("SELECT reference, purchased - shipped, allocated FROM batches ORDER BY reference") {
            "\($0.text(0)) \($0.int(1))/\($0.int(2))"
        }
    }

    @Test func withoutPartialALineWithPartsArrivingOrWaitingIsRefusedAndNothingShips() throws {
        let bus = try lineInThreeParts()
        #expect(try lines("O1") == ["TV x40 on B1", "TV x10 on S1", "TV x10 waiting"])
        let before = try store.contents()
        #expect(throws: AllocationError.notShippable(["O1 TV has x10 on arriving batch S1, x10 waiting"])) {
            try bus.handle(.ship(Ship(orderid: "O1")))
        }
        #expect(try store.contents() == before)
    }

    @Test func aPartialShipmentShipsWhatIsInTheWarehouseAndKeepsTheRestOpenAsTheSameLine() throws {
        let bus = try lineInThreeParts()
        let command = Command.ship(Ship(orderid: "O1", partial: true))
        let outcome = try bus.handle(command)
        #expect(
            outcome
                == .shipped(
                    [LineOnBatch(orderid: "O1", sku: "TV", qty: 40, batchref: "B1")],
                    open: [
                        OpenRest(orderid: "O1", sku: "TV", pieces: [Piece(batchref: "S1", qty: 10)], waiting: 10)
                    ]))
        #expect(
            outcome.lines(for: command) == [
                "shipped O1 TV x40 from B1", "O1 TV x20 stays open: x10 on arriving batch S1, x10 waiting",
            ])
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x10 on S1", "TV x10 waiting"])
        #expect(try batches() == ["B1 0/0", "S1 10/10"])
        #expect(try store.miscountedBatches().isEmpty)
        #expect(
            try store.database.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } == 1, "the same line")
        #expect(
            try Views.history(orderid: "O1", in: store.database).map(\.event).last
                == .shipped(orderid: "O1", sku: "TV", qty: 40, batchref: "B1"))
        // The waiting part is still a backorder, of its own quantity.
        #expect(try Views.backorders(in: store.database).map(\.qty) == [10])
    }

    @Test func theRestShipsLaterAndTheLineIsShippedWhole() throws {
        let bus = try lineInThreeParts()
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        try bus.handle(.receiveBatch(ReceiveBatch(ref: "S1")))
        // New stock fills the waiting part: S1, which holds a piece of the line, is full, so B2 takes it.
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 15)))
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x10 on S1", "TV x10 on B2"])
        let outcome = try bus.handle(.ship(Ship(orderid: "O1", sku: "TV")))
        #expect(
            outcome
                == .shipped([
                    LineOnBatch(orderid: "O1", sku: "TV", qty: 10, batchref: "S1"),
                    LineOnBatch(orderid: "O1", sku: "TV", qty: 10, batchref: "B2"),
                ]))
        #expect(try lines("O1") == ["TV x60 shipped from B1, S1, B2"])
        #expect(try batches() == ["B1 0/0", "B2 5/0", "S1 0/0"])
        #expect(throws: AllocationError.nothingToShip(orderid: "O1")) {
            try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        }
    }

    @Test func aPartialShipmentWithNothingInTheWarehouseIsRefused() throws {
        let bus = store.makeBus(splitLines: .partial)
        try bus.handle(.createBatch(CreateBatch(ref: "S1", sku: "TV", qty: 10, eta: Day("2027-01-10"))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 15)))
        let before = try store.contents()
        #expect(
            throws: AllocationError.notShippable([
                "O1 TV has nothing in the warehouse: x10 on arriving batch S1, x5 waiting"
            ])
        ) {
            try bus.handle(.ship(Ship(orderid: "O1", sku: "TV", partial: true)))
        }
        #expect(
            throws: AllocationError.notShippable([
                "O1 TV has nothing in the warehouse: x10 on arriving batch S1, x5 waiting"
            ])
        ) {
            try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        }
        #expect(try store.contents() == before)
    }

    @Test func anOrderShippedInPartShipsEveryLineThatCanAndLeavesTheOthersOpen() throws {
        let bus = try lineInThreeParts()
        try bus.handle(.createBatch(CreateBatch(ref: "L1", sku: "LAMP", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "LAMP", qty: 5)))
        try bus.handle(.createBatch(CreateBatch(ref: "R1", sku: "RUG", qty: 5, eta: Day("2027-01-20"))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "RUG", qty: 2)))
        let outcome = try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        #expect(
            outcome
                == .shipped(
                    [
                        LineOnBatch(orderid: "O1", sku: "LAMP", qty: 5, batchref: "L1"),
                        LineOnBatch(orderid: "O1", sku: "TV", qty: 40, batchref: "B1"),
                    ],
                    open: [
                        OpenRest(orderid: "O1", sku: "RUG", pieces: [Piece(batchref: "R1", qty: 2)], waiting: 0),
                        OpenRest(orderid: "O1", sku: "TV", pieces: [Piece(batchref: "S1", qty: 10)], waiting: 10),
                    ]))
        #expect(try lines("O1").contains("LAMP x5 shipped from L1"))
        #expect(try lines("O1").contains("RUG x2 on R1"))
    }

    @Test func deallocatingALineShippedInPartKeepsTheShippedPartAndCancelsTheRest() throws {
        let bus = try lineInThreeParts()
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        let command = Command.deallocate(Deallocate(orderid: "O1", sku: "TV"))
        let outcome = try bus.handle(command)
        #expect(
            outcome
                == .deallocated(batchReference: "S1", filled: [], pieces: [], cancelled: 10, shipped: 40))
        #expect(
            outcome.lines(for: command) == [
                "S1", "cancelled the x10 of it that was waiting", "the x40 of it shipped before stays shipped",
            ])
        #expect(
            outcome.statusLine(for: command)
                == "deallocated O1 TV from S1; cancelled the x10 of it that was waiting; the x40 of it shipped before "
                + "stays shipped")
        #expect(try lines("O1") == ["TV x40 shipped from B1"])
        #expect(try batches() == ["B1 0/0", "S1 10/0"])
        #expect(
            try Views.history(orderid: "O1", in: store.database).map(\.event).suffix(2) == [
                .deallocated(orderid: "O1", sku: "TV", qty: 10, batchref: "S1"),
                .cancelled(orderid: "O1", sku: "TV", qty: 10),
            ])
        #expect(throws: AllocationError.shippedLine(orderid: "O1", sku: "TV")) {
            try bus.handle(.deallocate(Deallocate(orderid: "O1", sku: "TV")))
        }
    }

    @Test func aLineShippedInPartMovesItsOpenQuantityOnly() throws {
        let bus = try lineInThreeParts()
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        try bus.handle(.createBatch(CreateBatch(ref: "S2", sku: "TV", qty: 50, eta: Day("2027-02-01"))))
        // Stock that appears fills the waiting part first; the move then takes all the line has open.
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x10 on S1", "TV x10 on S2"])
        try bus.handle(.moveLine(MoveLine(orderid: "O1", sku: "TV", batchref: "S2")))
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x20 on S2"])
        #expect(try store.miscountedBatches().isEmpty)
    }

    /// With `autoAllocate` off, `Allocate` of the line again places its waiting part by the placement rule.
    @Test func allocatingALineShippedInPartAgainPlacesItsWaitingPart() throws {
        var settings = store.settings
        settings.autoAllocate = false
        settings.splitLines = .partial
        let bus = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 40)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 60)))
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 30)))
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x20 waiting"])
        let outcome = try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 60)))
        #expect(
            outcome
                == .allocatedInPieces(
                    orderid: "O1", sku: "TV", qty: 20, pieces: [Piece(batchref: "B2", qty: 20)], waiting: 0))
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x20 on B2"])
        let again = try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 60)))
        #expect(again == .allocated(batchReference: "B2", wasAlreadyAllocated: true))
    }

    @Test func theSchemaKeepsPiecesWithinWhatALineHasOpen() throws {
        let bus = try lineInThreeParts()
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        try bus.handle(.createBatch(CreateBatch(ref: "X1", sku: "TV", qty: 100)))
        #expect(try lines("O1") == ["TV x40 shipped from B1", "TV x10 on S1", "TV x10 on X1"])
        let db = store.database
        let before = try store.contents()
        AllocationPiecesSchemaTests.expectRefused(
            "UPDATE allocations SET qty = 15 WHERE batch_id = (SELECT id FROM batches WHERE reference = 'X1')",
            saying: "pieces cannot add up to more than its open quantity", in: db)
        AllocationPiecesSchemaTests.expectRefused(
            "UPDATE order_lines SET shipped_qty = 55",
            saying: "an allocated order line cannot wait, ship or be cancelled",
            in: db)
        AllocationPiecesSchemaTests.expectRefused(
            "UPDATE order_lines SET shipped_qty = 61", saying: "", in: db)
        #expect(try store.contents() == before)
    }
}
