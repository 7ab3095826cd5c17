import TestSupport
import Testing

@testable import Allocation

/// The stock lifecycle through the production bus on a real SQLite file: backorders filled oldest first by each
/// change that frees stock, receiving, re-dating, shipping, moving, and their refusals.
@Suite struct LifecycleTests {
    let store: TestDatabase
    let bus: MessageBus
    let later = Day("2026-02-01")

    /// The lifecycle under the book's rule (`splitLines` `never`): a line goes whole to one batch or waits
    /// whole. `SplitLineTests` runs the lifecycle with lines in pieces.
    init() throws {
        store = try TestDatabase()
        bus = store.makeBus(splitLines: .never)
    }

    func create(_ ref: String, _ sku: String, _ qty: Int, eta: Day? = nil) throws {
        try bus.handle(.createBatch(CreateBatch(ref: ref, sku: sku, qty: qty, eta: eta)))
    }

    func create(_ ref: String, _ qty: Int, eta: Day? = nil) throws {
        try create(ref, "TV", qty, eta: eta)
    }

    @discardableResult
    func allocate(_ orderid: String, _ sku: String, _ qty: Int) throws -> Outcome {
        try bus.handle(.allocate(Allocate(orderid: orderid, sku: sku, qty: qty)))
    }

    @discardableResult
    func allocate(_ orderid: String, _ qty: Int) throws -> Outcome {
        try allocate(orderid, "TV", qty)
    }

    func status(_ orderid: String) throws -> [String] {
        try store.lines(matching: orderid)
    }

    func version() throws -> Int? {
        try Product.load(sku: "TV", in: store.database)?.version
    }

    /// Three waiting lines, oldest first: OLD-1 x8, MID-1 x3, NEW-1 x2, on a SKU with a 1-unit batch.
    func threeWaitingLines() throws {
        try create("W-0", 1)
        try allocate("OLD-1", 8)
        try allocate("MID-1", 3)
        try allocate("NEW-1", 2)
    }

    @Test func theIssuesTelevisionsWaitRatherThanVanishAndANewBatchAllocatesThem() throws {
        try create("W-1", 10)
        try allocate("OLD-1", 8)
        try allocate("NEW-1", 2)
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 5)))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "W-1", moved: [Move(orderid: "OLD-1", sku: "TV", qty: 8, from: "W-1", to: nil)],
                    filled: [],
                    delayed: [Delay(orderid: "OLD-1", sku: "TV", qty: 8, from: store.settings.clock.today, to: nil)]))
        #expect(outcome.notice == "Out of stock for TV: order OLD-1 waits for 8")
        #expect(try status("OLD-1") == ["OLD-1 TV 8 waiting"])
        #expect(try status("NEW-1") == ["NEW-1 TV 2 W-1"])
        #expect(try Views.orderLines(orderid: "OLD-1", in: store.database).first?.status.name == "waiting")
        let created = try bus.handle(.createBatch(CreateBatch(ref: "W-2", sku: "TV", qty: 100)))
        #expect(
            created
                == .batchCreated(
                    reference: "W-2", sku: "TV", skuIsNew: false,
                    filled: [LineOnBatch(orderid: "OLD-1", sku: "TV", qty: 8, batchref: "W-2")]))
        #expect(try status("OLD-1") == ["OLD-1 TV 8 W-2"])
        #expect(try store.overAllocatedBatches().isEmpty && store.miscountedBatches().isEmpty)
    }

    @Test func aNewBatchFillsWaitingLinesOldestFirstSkippingThoseThatDoNotFit() throws {
        try threeWaitingLines()
        let outcome = try bus.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 6)))
        #expect(
            outcome
                == .batchCreated(
                    reference: "W-1", sku: "TV", skuIsNew: false,
                    filled: [
                        LineOnBatch(orderid: "MID-1", sku: "TV", qty: 3, batchref: "W-1"),
                        LineOnBatch(orderid: "NEW-1", sku: "TV", qty: 2, batchref: "W-1"),
                    ]))
        #expect(try status("OLD-1") == ["OLD-1 TV 8 waiting"])
        #expect(try Views.backorders(sku: "TV", in: store.database).map(\.orderid) == ["OLD-1"])
    }

    @Test func theOldestWaitingLineGetsFirstPick() throws {
        try create("W-0", 1)
        try allocate("A-1", 4)
        try allocate("B-1", 4)
        try create("W-1", 5)
        #expect(try status("A-1") == ["A-1 TV 4 W-1"])
        #expect(try status("B-1") == ["B-1 TV 4 waiting"])
    }

    @Test func growingABatchFillsWaitingLines() throws {
        try threeWaitingLines()
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "W-0", qty: 9)))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "W-0", moved: [],
                    filled: [LineOnBatch(orderid: "OLD-1", sku: "TV", qty: 8, batchref: "W-0")]))
        #expect(!outcome.leftLinesWaiting)
    }

    @Test func receivingMoreThanOrderedFillsWaitingLinesAndLessMovesTheNewerLines() throws {
        try create("W-0", 1)
        try create("SHIP-1", 10, eta: later)
        try allocate("A-1", 6)
        try allocate("B-1", 4)
        try allocate("C-1", 5)
        #expect(try status("C-1") == ["C-1 TV 5 waiting"])
        let more = try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-1", qty: 15)))
        #expect(
            more
                == .received(
                    reference: "SHIP-1", qty: 15, moved: [],
                    filled: [LineOnBatch(orderid: "C-1", sku: "TV", qty: 5, batchref: "SHIP-1")]))
        #expect(
            try Views.batches(sku: "TV", in: store.database).map { "\($0.reference) \($0.eta == nil)" } == [
                "SHIP-1 true", "W-0 true",
            ])
        #expect(try store.latestEvent()?.event == .allocated(orderid: "C-1", sku: "TV", qty: 5, batchref: "SHIP-1"))
        #expect(
            try Views.history(batch: "SHIP-1", in: store.database).map(\.kind).suffix(2) == [
                "BatchReceived", "Allocated",
            ])
    }

    @Test func receivingLessThanOrderedAppliesTheQuantityChangeRules() throws {
        try create("SHIP-1", 10, eta: later)
        try allocate("A-1", 6)
        try allocate("B-1", 4)
        let outcome = try bus.handle(.receiveBatch(ReceiveBatch(ref: "SHIP-1", qty: 7)))
        let eta = try #require(later)
        #expect(
            outcome
                == .received(
                    reference: "SHIP-1", qty: 7,
                    moved: [Move(orderid: "B-1", sku: "TV", qty: 4, from: "SHIP-1", to: nil)], filled: [],
                    delayed: [Delay(orderid: "B-1", sku: "TV", qty: 4, from: eta, to: nil)]))
        #expect(outcome.leftLinesWaiting)
        #expect(try Views.batches(sku: "TV", in: store.database).map(\.purchased) == [7])
    }

    @Test func receivingABatchInTheWarehouseIsRefusedAndChangesNothing() throws {
        try create("W-1", 10)
        let before = try store.contents()
        #expect(throws: AllocationError.alreadyInWarehouse("W-1")) {
            try bus.handle(.receiveBatch(ReceiveBatch(ref: "W-1")))
        }
        #expect(AllocationError.alreadyInWarehouse("W-1").description == "batch W-1 is already in the warehouse")
        #expect(throws: AllocationError.alreadyInWarehouse("W-1")) {
            try bus.handle(.changeBatchEta(ChangeBatchEta(ref: "W-1", eta: try #require(later))))
        }
        #expect(throws: AllocationError.unknownBatch("NOPE")) {
            try bus.handle(.receiveBatch(ReceiveBatch(ref: "NOPE")))
        }
        #expect(try store.contents() == before)
    }

    @Test func reDatingKeepsAllocationsAndTheSameEtaRecordsNothing() throws {
        let eta = try #require(later)
        try create("SHIP-1", 10, eta: eta)
        try create("SHIP-2", 10, eta: eta.adding(days: 5))
        try allocate("A-1", 6)
        let before = try store.contents()
        let versionBefore = try version()
        let same = try bus.handle(.changeBatchEta(ChangeBatchEta(ref: "SHIP-1", eta: eta)))
        #expect(same == .etaChanged(reference: "SHIP-1", eta: eta, wasChanged: false))
        #expect(try store.contents() == before)
        let slipped = eta.adding(days: 30)
        let outcome = try bus.handle(.changeBatchEta(ChangeBatchEta(ref: "SHIP-1", eta: slipped)))
        let delayed = [Delay(orderid: "A-1", sku: "TV", qty: 6, from: eta, to: slipped)]
        #expect(outcome == .etaChanged(reference: "SHIP-1", eta: slipped, wasChanged: true, delayed: delayed))
        #expect(try version() == (versionBefore ?? 0) + 1)
        #expect(try status("A-1") == ["A-1 TV 6 SHIP-1"])
        #expect(try store.latestEvent()?.event == .ordersDelayed(ref: "SHIP-1", delayed: delayed))
        #expect(try Views.batches(sku: "TV", in: store.database).map(\.reference) == ["SHIP-2", "SHIP-1"])
    }

    @Test func shippingTakesTheLinesOutOfTheWarehouseAndKeepsThemAsShipped() throws {
        try create("W-1", 10)
        try create("L-1", "LAMP", 5)
        try allocate("O-1", 4)
        try allocate("O-1", "LAMP", 2)
        let outcome = try bus.handle(.ship(Ship(orderid: "O-1")))
        #expect(
            outcome
                == .shipped([
                    LineOnBatch(orderid: "O-1", sku: "LAMP", qty: 2, batchref: "L-1"),
                    LineOnBatch(orderid: "O-1", sku: "TV", qty: 4, batchref: "W-1"),
                ]))
        #expect(
            try Views.batches(in: store.database).map {
                "\($0.reference) \($0.purchased) \($0.shipped) \($0.onHand) \($0.allocated)"
            } == ["L-1 5 2 3 0", "W-1 10 4 6 0"])
        #expect(try status("O-1") == ["O-1 LAMP 2 shipped from L-1", "O-1 TV 4 shipped from W-1"])
        #expect(
            try Views.orderLines(orderid: "O-1", in: store.database).map(\.status) == [
                .shipped(at: "2026-01-15T12:00:00.000Z", from: "L-1"),
                .shipped(at: "2026-01-15T12:00:00.000Z", from: "W-1"),
            ])
        #expect(try store.latestEvent()?.event == .shipped(orderid: "O-1", sku: "TV", qty: 4, batchref: "W-1"))
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func aShippedLineCannotBeShippedDeallocatedMovedOrAllocatedAgain() throws {
        try create("W-1", 10)
        try create("W-2", 10)
        try allocate("O-1", 4)
        try bus.handle(.ship(Ship(orderid: "O-1", sku: "TV")))
        let before = try store.contents()
        let shipped = AllocationError.shippedLine(orderid: "O-1", sku: "TV")
        #expect(shipped.description == "O-1 TV was shipped")
        #expect(throws: shipped) { try bus.handle(.ship(Ship(orderid: "O-1", sku: "TV"))) }
        #expect(throws: shipped) { try bus.handle(.deallocate(Deallocate(orderid: "O-1", sku: "TV"))) }
        #expect(throws: shipped) { try allocate("O-1", 4) }
        #expect(throws: shipped) { try bus.handle(.moveLine(MoveLine(orderid: "O-1", sku: "TV", batchref: "W-2"))) }
        #expect(throws: AllocationError.nothingToShip(orderid: "O-1")) { try bus.handle(.ship(Ship(orderid: "O-1"))) }
        #expect(throws: AllocationError.unknownOrder("NOBODY")) { try bus.handle(.ship(Ship(orderid: "NOBODY"))) }
        #expect(try store.contents() == before)
    }

    @Test func shippingIsRefusedNamingEveryWaitingOrArrivingLineAndShipsNothing() throws {
        try create("W-1", 10)
        try create("SHIP-1", "LAMP", 5, eta: later)
        try allocate("O-1", 4)
        try allocate("O-1", "LAMP", 2)
        try create("C-0", "CHAIR", 1)
        try allocate("O-1", "CHAIR", 2)
        let before = try store.contents()
        let refusal = AllocationError.notShippable([
            "O-1 CHAIR is waiting for stock", "O-1 LAMP is on arriving batch SHIP-1",
        ])
        #expect(throws: refusal) { try bus.handle(.ship(Ship(orderid: "O-1"))) }
        #expect(
            refusal.description
                == "nothing was shipped: O-1 CHAIR is waiting for stock; O-1 LAMP is on arriving batch SHIP-1")
        #expect(try store.contents() == before)
    }

    @Test func movingALineOffALateBatchIsRefusedWithoutRoomAndDoneWithRoom() throws {
        try create("SHIP-1", 5, eta: later)
        try allocate("A-1", 5)
        try allocate("B-1", 3)
        try create("W-1", 5)
        #expect(try status("B-1") == ["B-1 TV 3 W-1"])
        try bus.handle(.deallocate(Deallocate(orderid: "B-1", sku: "TV")))
        try allocate("C-1", 4)
        #expect(try status("C-1") == ["C-1 TV 4 W-1"])
        try allocate("D-1", 5)
        #expect(try status("D-1") == ["D-1 TV 5 waiting"])
        let refusal = AllocationError.noRoom(batch: "W-1", available: 1, needed: 5)
        #expect(refusal.description == "batch W-1 has 1 available, line needs 5")
        #expect(throws: refusal) { try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-1"))) }
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 9)))
        #expect(try status("D-1") == ["D-1 TV 5 W-1"])
        try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 14)))
        let moved = try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-1")))
        #expect(moved == .moved(orderid: "A-1", sku: "TV", from: "SHIP-1", to: "W-1", filled: []))
        #expect(
            try Views.history(orderid: "A-1", in: store.database).map(\.event).suffix(2) == [
                .deallocated(orderid: "A-1", sku: "TV", qty: 5, batchref: "SHIP-1"),
                .allocated(orderid: "A-1", sku: "TV", qty: 5, batchref: "W-1"),
            ])
    }

    @Test func movingALineAwayFreesStockForAWaitingLine() throws {
        try create("W-1", 6)
        try create("W-2", 5)
        try allocate("A-1", 5)
        try allocate("D-1", 6)
        #expect(try status("D-1") == ["D-1 TV 6 waiting"])
        let moved = try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-2")))
        #expect(
            moved
                == .moved(
                    orderid: "A-1", sku: "TV", from: "W-1", to: "W-2",
                    filled: [LineOnBatch(orderid: "D-1", sku: "TV", qty: 6, batchref: "W-1")]))
    }

    @Test func deallocatingFreesStockForAWaitingLine() throws {
        try create("W-1", 5)
        try allocate("A-1", 5)
        try allocate("B-1", 3)
        let outcome = try bus.handle(.deallocate(Deallocate(orderid: "A-1", sku: "TV")))
        #expect(
            outcome
                == .deallocated(
                    batchReference: "W-1", filled: [LineOnBatch(orderid: "B-1", sku: "TV", qty: 3, batchref: "W-1")]))
    }

    @Test func aWaitingLineCanBeMovedOntoABatchWithRoom() throws {
        var settings = store.settings
        settings.autoAllocate = false
        let manual = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try manual.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 1)))
        try manual.handle(.allocate(Allocate(orderid: "A-1", sku: "TV", qty: 4)))
        try manual.handle(.createBatch(CreateBatch(ref: "W-2", sku: "TV", qty: 10)))
        let moved = try manual.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-2")))
        #expect(moved == .moved(orderid: "A-1", sku: "TV", from: nil, to: "W-2", filled: []))
        #expect(try Views.history(orderid: "A-1", in: store.database).map(\.kind) == ["OutOfStock", "Allocated"])
        #expect(try status("A-1") == ["A-1 TV 4 W-2"])
    }

    @Test func movingIsRefusedForAnotherSKUTheSameBatchOrAnUnknownOne() throws {
        try create("W-1", 10)
        try create("L-1", "LAMP", 10)
        try allocate("A-1", 2)
        let before = try store.contents()
        #expect(throws: AllocationError.wrongSKU(batch: "L-1", batchSKU: "LAMP", lineSKU: "TV")) {
            try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "L-1")))
        }
        #expect(throws: AllocationError.alreadyOnBatch(orderid: "A-1", sku: "TV", batch: "W-1")) {
            try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-1")))
        }
        #expect(throws: AllocationError.unknownBatch("NOPE")) {
            try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "NOPE")))
        }
        #expect(throws: AllocationError.unknownOrder("Z-1")) {
            try bus.handle(.moveLine(MoveLine(orderid: "Z-1", sku: "TV", batchref: "W-1")))
        }
        #expect(try store.contents() == before)
    }

    @Test func cancellingAWaitingLineRecordsCancelledWithoutABatch() throws {
        try create("W-1", 1)
        try allocate("A-1", 4)
        let outcome = try bus.handle(.deallocate(Deallocate(orderid: "A-1", sku: "TV")))
        #expect(outcome == .cancelled(orderid: "A-1", sku: "TV", qty: 4))
        #expect(try store.latestEvent()?.event == .cancelled(orderid: "A-1", sku: "TV", qty: 4))
        #expect(try Views.orderLines(orderid: "A-1", in: store.database).map(\.status.name) == ["cancelled"])
    }

    @Test func theSameQuantityRecordsNothingAndKeepsTheVersion() throws {
        try create("W-1", 10)
        try allocate("A-1", 4)
        let before = try store.contents()
        let outcome = try bus.handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 10)))
        #expect(outcome == .quantityChanged(reference: "W-1", moved: [], filled: [], wasChanged: false))
        #expect(outcome.changed == false)
        #expect(try store.contents() == before)
    }

    @Test func aWaitingLineAllocatedAgainWithStillNoStockRecordsNothing() throws {
        try create("W-1", 1)
        try allocate("A-1", 4)
        let before = try store.contents()
        #expect(try allocate("A-1", 4) == .waiting(orderid: "A-1", sku: "TV", qty: 4, isNew: false))
        #expect(try store.contents() == before)
    }

    @Test func withAutoAllocateOffStockWaitsForAllocateWaiting() throws {
        var settings = store.settings
        settings.autoAllocate = false
        let manual = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try manual.handle(.createBatch(CreateBatch(ref: "W-0", sku: "TV", qty: 1)))
        try manual.handle(.createBatch(CreateBatch(ref: "L-0", sku: "LAMP", qty: 1)))
        try manual.handle(.allocate(Allocate(orderid: "A-1", sku: "TV", qty: 4)))
        try manual.handle(.allocate(Allocate(orderid: "B-1", sku: "LAMP", qty: 2)))
        let created = try manual.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 10)))
        #expect(created == .batchCreated(reference: "W-1", sku: "TV", skuIsNew: false, filled: []))
        try manual.handle(.createBatch(CreateBatch(ref: "L-1", sku: "LAMP", qty: 10)))
        #expect(try Views.backorders(in: store.database).map(\.orderid) == ["A-1", "B-1"])
        #expect(try Views.backorders(sku: "LAMP", in: store.database).map(\.orderid) == ["B-1"])
        #expect(try Views.backorders(limit: 1, in: store.database).map(\.orderid) == ["A-1"])
        #expect(try Views.totals(skus: ["TV"], in: store.database).first?.waiting == 4)
        let versionBefore = try version()
        let filled = try manual.handle(.allocateWaiting(AllocateWaiting(sku: "TV")))
        #expect(filled == .allocatedWaiting([LineOnBatch(orderid: "A-1", sku: "TV", qty: 4, batchref: "W-1")]))
        #expect(try status("A-1") == ["A-1 TV 4 W-1"])
        #expect(try version() == (versionBefore ?? 0) + 1)
        let rest = try manual.handle(.allocateWaiting(AllocateWaiting()))
        #expect(rest == .allocatedWaiting([LineOnBatch(orderid: "B-1", sku: "LAMP", qty: 2, batchref: "L-1")]))
        #expect(try Views.backorders(in: store.database).isEmpty)
        #expect(try manual.handle(.allocateWaiting(AllocateWaiting())) == .allocatedWaiting([]))
        #expect(throws: AllocationError.invalidSKU("NOPE")) {
            try manual.handle(.allocateWaiting(AllocateWaiting(sku: "NOPE")))
        }
    }

    @Test func everyEventRecordsTheOperatorIncludingTheEventsACommandCauses() throws {
        var settings = store.settings
        settings.user = "alice"
        let alice = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try bus.handle(.createBatch(CreateBatch(ref: "W-0", sku: "TV", qty: 1)))
        try bus.handle(.allocate(Allocate(orderid: "A-1", sku: "TV", qty: 4)))
        try alice.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 10)))
        let rows = try Views.events(in: store.database)
        #expect(rows.map(\.operator) == [bus.operator, bus.operator, "alice", "alice"])
        #expect(rows.map(\.kind).suffix(2) == ["BatchCreated", "Allocated"])
        #expect(!bus.operator.isEmpty)
    }

    @Test func historyOfAnOrderAndOfABatchReadsTheIndexedEventLog() throws {
        try create("W-1", 10)
        try create("W-2", 10)
        try allocate("A-1", 4)
        try allocate("B-1", 2)
        try bus.handle(.moveLine(MoveLine(orderid: "A-1", sku: "TV", batchref: "W-2")))
        try bus.handle(.ship(Ship(orderid: "A-1")))
        #expect(
            try Views.history(orderid: "A-1", in: store.database).map(\.kind) == [
                "Allocated", "Deallocated", "Allocated", "Shipped",
            ])
        #expect(
            try Views.history(batch: "W-1", in: store.database).map(\.kind) == [
                "BatchCreated", "Allocated", "Allocated", "Deallocated",
            ])
        #expect(try Views.history(orderid: "NOBODY", in: store.database).isEmpty)
    }

    @Test func atRiskListsLinesOnLateBatchesWithTheBatchThatCouldTakeThemNow() throws {
        let yesterday = try #require(Day("2026-01-14"))
        try create("LATE-1", 10, eta: yesterday)
        try allocate("A-1", 4)
        try allocate("B-1", 6)
        try create("W-1", 5)
        try create("SOON-1", 10, eta: later)
        let rows = try Views.atRisk(today: try #require(Day("2026-01-15")), in: store.database)
        #expect(
            rows.map {
                "\($0.line.orderid) \($0.batchref ?? "-") \($0.eta?.description ?? "-") \($0.alternative ?? "-")"
            } == [
                "A-1 LATE-1 2026-01-14 W-1", "B-1 LATE-1 2026-01-14 SOON-1",
            ])
        #expect(
            rows.first?.json
                == #"{"orderid":"A-1","sku":"TV","qty":4,"status":"late","batchref":"LATE-1","eta":"2026-01-14","#
                + #""alternative":"W-1","alternativeEta":null}"#)
        #expect(try Views.atRisk(today: yesterday, in: store.database).isEmpty)
    }

    @Test func thePreviewIsWhatTheChangeThenDoesAndAStalePreviewIsRefused() throws {
        try create("W-1", 10)
        try create("W-2", 3, eta: later)
        try allocate("OLD-1", 8)
        try allocate("NEW-1", 2)
        let preview = try Views.previewQuantityChange(
            reference: "W-1", qty: 5, policy: .never, today: store.settings.clock.today, in: store.database)
        #expect(preview.moves == [Move(orderid: "OLD-1", sku: "TV", qty: 8, from: "W-1", to: nil)])
        #expect(preview.version == (try version()))
        try allocate("LATE-1", 1)
        let before = try store.contents()
        let stale = AllocationError.changedMeanwhile(
            sku: "TV", expectedVersion: preview.version, version: preview.version + 1)
        #expect(throws: stale) {
            try bus.handle(
                .changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 5, expectedVersion: preview.version)))
        }
        #expect(try store.contents() == before)
        let fresh = try Views.previewQuantityChange(
            reference: "W-1", qty: 5, policy: .never, today: store.settings.clock.today, in: store.database)
        let outcome = try bus.handle(
            .changeBatchQuantity(ChangeBatchQuantity(ref: "W-1", qty: 5, expectedVersion: fresh.version)))
        #expect(
            outcome
                == .quantityChanged(
                    reference: "W-1", moved: fresh.moves, filled: [],
                    delayed: [Delay(orderid: "OLD-1", sku: "TV", qty: 8, from: store.settings.clock.today, to: nil)]))
        #expect(throws: AllocationError.unknownBatch("NOPE")) {
            try Views.previewQuantityChange(
                reference: "NOPE", qty: 5, policy: .never, today: store.settings.clock.today, in: store.database)
        }
    }

    @Test func theSchemaRefusesALineThatIsBothAllocatedAndWaitingOrShipped() throws {
        try create("W-1", 10)
        try allocate("A-1", 4)
        try create("W-0", "LAMP", 1)
        try allocate("B-1", "LAMP", 2)
        let db = store.database
        try db.execute("UPDATE batches SET purchased = 10 WHERE reference = 'W-0'")
        #expect(throws: DatabaseError.self) {
            try db.execute("UPDATE order_lines SET waiting_since = '2026-01-15' WHERE orderid = 'A-1'")
        }
        #expect(throws: DatabaseError.self) {
            try db.execute(
                "INSERT INTO allocations (orderline_id, batch_id, qty) SELECT l.id, b.id, l.qty"
                    + " FROM order_lines AS l, batches AS b"
                    + " WHERE l.orderid = 'B-1' AND b.reference = 'W-0'")
        }
        #expect(throws: DatabaseError.self) {
            try db.execute("UPDATE order_lines SET shipped_at = 'x', shipped_from = 'W-0' WHERE orderid = 'B-1'")
        }
        #expect(throws: DatabaseError.self) {
            try db.execute("UPDATE order_lines SET shipped_at = 'x' WHERE orderid = 'A-1'")
        }
    }
}
