import TestSupport
import Testing

@testable import Allocation

/// Lines that take stock from several batches, through the production bus on a real database, under each
/// `splitLines` policy.
@Suite struct SplitLineTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    /// Three batches of 40 TV in the warehouse.
    func threeBatches(_ policy: SplitLines) throws -> MessageBus {
        let bus = store.makeBus(splitLines: policy)
        for reference in ["B1", "B2", "B3"] {
            try bus.handle(.createBatch(CreateBatch(ref: reference, sku: "TV", qty: 40)))
        }
        return bus
    }

    func pieces(_ orderid: String) throws -> [String] {
        try store.database.query(
            """
            SELECT b.reference, a.qty FROM allocations AS a JOIN batches AS b ON b.id = a.batch_id
            JOIN order_lines AS l ON l.id = a.orderline_id WHERE l.orderid = ? ORDER BY b.reference
            """, orderid
        ) { "\($0.text(0)) x\($0.int(1))" }
    }

    func allocated() throws -> [Int] {
        try store.database.query("SELECT allocated FROM batches ORDER BY reference") { $0.int(0) }
    }

    @Test(arguments: [SplitLines.batches, .partial])
    func stockSpreadOverBatchesTakesALineInPieces(policy: SplitLines) throws {
        let bus = try threeBatches(policy)
        let command = Command.allocate(Allocate(orderid: "O1", sku: "TV", qty: 100))
        let outcome = try bus.handle(command)
        #expect(
            outcome
                == .allocatedInPieces(
                    orderid: "O1", sku: "TV", qty: 100,
                    pieces: [
                        Piece(batchref: "B1", qty: 40), Piece(batchref: "B2", qty: 40), Piece(batchref: "B3", qty: 20),
                    ], waiting: 0))
        #expect(outcome.lines(for: command) == ["allocated O1 TV x100: x40 from B1, x40 from B2, x20 from B3"])
        #expect(try pieces("O1") == ["B1 x40", "B2 x40", "B3 x20"])
        #expect(try allocated() == [40, 40, 20])
        #expect(
            try Views.history(orderid: "O1", in: store.database).map(\.event) == [
                .allocated(orderid: "O1", sku: "TV", qty: 40, batchref: "B1"),
                .allocated(orderid: "O1", sku: "TV", qty: 40, batchref: "B2"),
                .allocated(orderid: "O1", sku: "TV", qty: 20, batchref: "B3"),
            ])
    }

    @Test func withSplittingOffTheLineWaitsAndTheMessageSaysWhy() throws {
        let bus = try threeBatches(.never)
        let command = Command.allocate(Allocate(orderid: "O1", sku: "TV", qty: 100))
        let outcome = try bus.handle(command)
        #expect(
            outcome.lines(for: command) == [
                "waiting: O1 TV x100 (no single batch can take 100; 120 available in 3 batches; splitLines is never)"
            ])
        #expect(try pieces("O1") == [])
        let tooMany = Command.allocate(Allocate(orderid: "O2", sku: "TV", qty: 200))
        #expect(try bus.handle(tooMany).lines(for: tooMany) == ["waiting: O2 TV x200 (out of stock for TV)"])
    }

    @Test func partialFillsTakeWhatThereIsAndTheRestWaitsUntilStockAppears() throws {
        let bus = try threeBatches(.partial)
        let command = Command.allocate(Allocate(orderid: "O1", sku: "TV", qty: 150))
        let outcome = try bus.handle(command)
        #expect(outcome.leftLinesWaiting)
        #expect(
            outcome.lines(for: command) == [
                "allocated O1 TV x120 of 150: x40 from B1, x40 from B2, x40 from B3",
                "waiting: O1 TV x30 (out of stock for TV)",
            ])
        #expect(try store.lines(matching: "O1").count == 4, "three pieces and the part that waits")
        try bus.handle(.createBatch(CreateBatch(ref: "B4", sku: "TV", qty: 50)))
        #expect(try pieces("O1") == ["B1 x40", "B2 x40", "B3 x40", "B4 x30"])
        #expect(try store.database.queryOne("SELECT waiting_since IS NULL FROM order_lines") { $0.int(0) } == 1)
    }

    @Test func batchesWaitsWholeWhenAllTheBatchesTogetherCannotTakeIt() throws {
        let bus = try threeBatches(.batches)
        let command = Command.allocate(Allocate(orderid: "O1", sku: "TV", qty: 150))
        #expect(try bus.handle(command).lines(for: command) == ["waiting: O1 TV x150 (out of stock for TV)"])
        #expect(try pieces("O1") == [])
        try bus.handle(.createBatch(CreateBatch(ref: "B4", sku: "TV", qty: 30)))
        #expect(try pieces("O1") == ["B1 x40", "B2 x40", "B3 x40", "B4 x30"])
    }

    @Test func deallocatingASplitLineFreesEveryPieceForTheOldestWaitingLine() throws {
        let bus = try threeBatches(.batches)
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 100)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 60)))
        #expect(try pieces("O2") == [])
        try bus.handle(.deallocate(Deallocate(orderid: "O1", sku: "TV")))
        #expect(try pieces("O1") == [])
        #expect(try pieces("O2") == ["B1 x40", "B2 x20"])
        #expect(try allocated() == [40, 20, 0])
    }

    /// A shrunk batch keeps the oldest pieces; a displaced piece is placed again by the rule: whole on the first
    /// batch that can take it by the date it could be complete, here in the warehouse.
    @Test func aShrunkBatchPlacesItsYoungestPiecesAgain() throws {
        let bus = try threeBatches(.batches)
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 30)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "O3", sku: "TV", qty: 70)))
        #expect(try pieces("O3") == ["B2 x40", "B3 x30"])
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "B1", qty: 35)))
        guard case .quantityChanged(_, let moved, _, _, _) = outcome else {
            Issue.record("\(outcome)")
            return
        }
        #expect(moved == [Move(orderid: "O2", sku: "TV", qty: 10, from: "B1", to: "B3")])
        #expect(try pieces("O2") == ["B3 x10"])
        #expect(try allocated() == [30, 40, 40])
    }

    @Test func aSplitLineShipsFromEveryBatchInTheWarehouseOrNotAtAll() throws {
        let bus = try threeBatches(.batches)
        try bus.handle(.createBatch(CreateBatch(ref: "S1", sku: "TV", qty: 20, eta: Day("2027-01-10"))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 100)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 30)))
        #expect(try pieces("O2") == ["B3 x20", "S1 x10"])
        #expect(throws: AllocationError.notShippable(["O2 TV has x10 on arriving batch S1"])) {
            try bus.handle(.ship(Ship(orderid: "O2")))
        }
        let shipped = try bus.handle(.ship(Ship(orderid: "O1")))
        #expect(
            shipped
                == .shipped([
                    LineOnBatch(orderid: "O1", sku: "TV", qty: 40, batchref: "B1"),
                    LineOnBatch(orderid: "O1", sku: "TV", qty: 40, batchref: "B2"),
                    LineOnBatch(orderid: "O1", sku: "TV", qty: 20, batchref: "B3"),
                ]))
        #expect(
            try store.database.query("SELECT purchased - shipped FROM batches ORDER BY reference") { $0.int(0) } == [
                0, 0, 20, 20,
            ])
    }

    @Test func movingASplitLinePutsAllOfItOnOneBatch() throws {
        let bus = try threeBatches(.batches)
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 50)))
        #expect(try pieces("O1") == ["B1 x40", "B2 x10"])
        try bus.handle(.createBatch(CreateBatch(ref: "B4", sku: "TV", qty: 60)))
        try bus.handle(.moveLine(MoveLine(orderid: "O1", sku: "TV", batchref: "B4")))
        #expect(try pieces("O1") == ["B4 x50"])
        #expect(try allocated() == [0, 0, 0, 50])
        #expect(throws: AllocationError.noRoom(batch: "B1", available: 40, needed: 50)) {
            try bus.handle(.moveLine(MoveLine(orderid: "O1", sku: "TV", batchref: "B1")))
        }
    }

    /// An order's listing has a row per piece and one for the part that waits; backorders and the board's
    /// waiting count take the waiting part only.
    @Test func listingsShowEachPieceAndTheWaitingRest() throws {
        let bus = try threeBatches(.partial)
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 100)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 30)))
        let rows = try Views.orderLines(orderid: "O2", in: store.database)
        #expect(rows.map(\.qty) == [20, 10])
        #expect(rows.map(\.batchref) == ["B3", nil])
        #expect(rows.map(\.json).last?.contains(#""status":"waiting""#) == true)
        #expect(try Views.backorders(in: store.database).map(\.qty) == [10])
        #expect(try Views.totals(skus: ["TV"], in: store.database).first?.waiting == 10)
    }

    /// A displaced piece placed partly back on its own shrunk batch moves only what went elsewhere.
    @Test func aPieceThatPartlyStaysOnItsShrunkBatchMovesOnlyTheRest() throws {
        let bus = store.makeBus(splitLines: .batches)
        try bus.handle(.createBatch(CreateBatch(ref: "SHELF-1", sku: "TV", qty: 40)))
        try bus.handle(.createBatch(CreateBatch(ref: "SHELF-2", sku: "TV", qty: 40)))
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP-7", sku: "TV", qty: 50, eta: Day("2027-03-01"))))
        try bus.handle(.allocate(Allocate(orderid: "WEB-1", sku: "TV", qty: 70)))
        #expect(try pieces("WEB-1") == ["SHELF-1 x40", "SHELF-2 x30"])
        try bus.handle(.allocate(Allocate(orderid: "WEB-2", sku: "TV", qty: 30)))
        #expect(try pieces("WEB-2") == ["SHIP-7 x30"])
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "SHELF-2", qty: 25)))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "SHELF-2",
                    moved: [Move(orderid: "WEB-1", sku: "TV", qty: 5, from: "SHELF-2", to: "SHIP-7")],
                    filled: [],
                    delayed: [
                        Delay(
                            orderid: "WEB-1", sku: "TV", qty: 70, from: store.settings.clock.today,
                            to: Day("2027-03-01"))
                    ]))
        #expect(try pieces("WEB-1") == ["SHELF-1 x40", "SHELF-2 x25", "SHIP-7 x5"])
    }

    /// The console's pages count lines, not rows: a page of one line holds all its pieces and its waiting part.
    @Test func aPageOfLinesNeverCutsALineInPieces() throws {
        let bus = try threeBatches(.partial)
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 130)))
        let newest = try Views.lines(matching: nil, from: Int64.max, newer: false, limit: 1, in: store.database)
        #expect(newest.map(\.orderid) == ["O2", "O2", "O2", "O2"])
        #expect(newest.map(\.qty) == [30, 40, 40, 20])
        #expect(newest.map(\.batchref) == ["B1", "B2", "B3", nil])
        let oldest = try Views.lines(matching: nil, from: 0, newer: true, limit: 1, in: store.database)
        #expect(oldest.map(\.orderid) == ["O1"])
    }

    /// A line with a piece on a late batch is at risk for that piece, which another batch may take now.
    @Test func aPieceOnALateBatchPutsItsLineAtRisk() throws {
        let bus = store.makeBus(splitLines: .batches)
        let today = store.settings.clock.today
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 40)))
        try bus.handle(.createBatch(CreateBatch(ref: "LATE", sku: "TV", qty: 40, eta: today.adding(days: -3))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 60)))
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 30)))
        let risks = try Views.atRisk(today: today, in: store.database)
        #expect(risks.map(\.line.orderid) == ["O1"])
        #expect(risks.map(\.line.qty) == [20])
        #expect(risks.map(\.batchref) == ["LATE"])
        #expect(risks.map(\.alternative) == ["B2"])
    }
}
