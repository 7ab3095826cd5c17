import TestSupport
import Testing

@testable import Allocation

/// The consequences of a supplier's change (the lines it delays), the wording of a placement on a late batch and
/// of a line that overtook older waiting lines: the pure rules, then through the production bus.
@Suite struct ConsequencesTests {
    /// The test settings' clock.
    static let today = Day(year: 2026, month: 1, day: 15) ?? Day(daysSinceEpoch: 0)

    static func batch(_ reference: String, _ purchased: Int, eta days: Int? = nil) -> Batch {
        Batch(reference: reference, sku: "TV", purchased: purchased, eta: days.map { today.adding(days: $0) })
    }

    static func line(_ id: Int64, _ qty: Int, _ pieces: (String, Int)...) -> LineStock {
        LineStock(id: id, orderid: "O\(id)", qty: qty, pieces: pieces.map { Piece(batchref: $0.0, qty: $0.1) })
    }

    static func day(_ days: Int) -> Day { today.adding(days: days) }

    // MARK: Pure rules

    @Test func aLaterBatchDelaysTheLinesWhoseLastPieceItHolds() {
        let before = [Self.batch("S-1", 10, eta: 3), Self.batch("S-2", 10, eta: 5)]
        let after = [Self.batch("S-1", 10, eta: 8), Self.batch("S-2", 10, eta: 5)]
        let lines = [Self.line(1, 2, ("S-1", 2)), Self.line(2, 4, ("S-1", 2), ("S-2", 2)), Self.line(3, 1, ("S-2", 1))]
        let delayed = delayedLines(
            sku: "TV", before: lines, batchesBefore: before, after: lines, batchesAfter: after, today: Self.today)
        #expect(
            delayed == [
                Delay(orderid: "O1", sku: "TV", qty: 2, from: Self.day(3), to: Self.day(8)),
                Delay(orderid: "O2", sku: "TV", qty: 4, from: Self.day(5), to: Self.day(8)),
            ])
    }

    @Test func anEarlierDateDelaysNothing() {
        let before = [Self.batch("S-1", 10, eta: 8)]
        let after = [Self.batch("S-1", 10, eta: 3)]
        let lines = [Self.line(1, 2, ("S-1", 2))]
        #expect(
            delayedLines(
                sku: "TV", before: lines, batchesBefore: before, after: lines, batchesAfter: after, today: Self.today
            ).isEmpty)
    }

    @Test func aLineThatNowWaitsIsDelayedToNoDateAndOneThatWaitedIsNotListed() {
        let batches = [Self.batch("S-1", 10, eta: 3)]
        let before = [Self.line(1, 2, ("S-1", 2)), Self.line(2, 5, ("S-1", 2))]
        let after = [Self.line(1, 2), Self.line(2, 5)]
        #expect(
            delayedLines(
                sku: "TV", before: before, batchesBefore: batches, after: after, batchesAfter: batches,
                today: Self.today)
                == [Delay(orderid: "O1", sku: "TV", qty: 2, from: Self.day(3), to: nil)])
    }

    @Test func aBatchIsLateByTheDaysSinceItsETA() {
        #expect(Self.batch("L", 1, eta: -2).daysLate(today: Self.today) == 2)
        #expect(Self.batch("S", 1, eta: 0).daysLate(today: Self.today) == 0)
        #expect(Self.batch("W", 1).daysLate(today: Self.today) == 0)
    }

    /// Under `batches` and `partial` a late batch ranks after every batch that is not late, even one that comes
    /// much later; under `never` the book's order stays (a past ETA sorts first among shipments).
    @Test func lateBatchesAreNotAPreferenceWhenSplitting() {
        let batches = [Self.batch("LATE", 50, eta: -1), Self.batch("FAR", 50, eta: 60)]
        for policy in [SplitLines.batches, .partial] {
            #expect(
                placement(of: 5, among: batches, policy: policy, today: Self.today)
                    == Placement(pieces: [Piece(batchref: "FAR", qty: 5)], waiting: 0))
        }
        #expect(
            placement(of: 5, among: batches, policy: .never, today: Self.today)
                == Placement(pieces: [Piece(batchref: "LATE", qty: 5)], waiting: 0))
        #expect(PlacementRank(batches[1], today: Self.today) < PlacementRank(batches[0], today: Self.today))
    }

    @Test func wordingSaysHowLateTheBatchIsAndWhatADelayMoves() {
        let allocate = Command.allocate(Allocate(orderid: "O1", sku: "TV", qty: 2))
        #expect(
            Outcome.allocated(batchReference: "B-1062", wasAlreadyAllocated: false, daysLate: 2).lines(for: allocate)
                == ["allocated O1 TV x2 to B-1062 (2 days late)"])
        #expect(
            Outcome.allocated(batchReference: "B-1", wasAlreadyAllocated: false, daysLate: 1).lines(for: allocate)
                == ["allocated O1 TV x2 to B-1 (1 day late)"])
        let pieces = Outcome.allocatedInPieces(
            orderid: "O1", sku: "TV", qty: 5, pieces: [Piece(batchref: "S", qty: 3), Piece(batchref: "L", qty: 2)],
            waiting: 0, daysLate: ["L": 4])
        #expect(pieces.lines(for: allocate) == ["allocated O1 TV x5: x3 from S, x2 from L (4 days late)"])
        let delay = Delay(orderid: "WEB-6", sku: "TV", qty: 2, from: Self.day(1), to: Self.day(7))
        let eta = Command.changeBatchEta(ChangeBatchEta(ref: "S-1", eta: Self.day(7)))
        #expect(
            Outcome.etaChanged(reference: "S-1", eta: Self.day(7), wasChanged: true, delayed: [delay]).lines(for: eta)
                == ["S-1 due 2026-01-22", "delays WEB-6 TV x2: 2026-01-16 → 2026-01-22"])
        #expect(Delay(orderid: "W", sku: "TV", qty: 1, from: Self.day(1), to: nil).reportLine.hasSuffix("→ waiting"))
        #expect(
            Outcome.delayedMessage(ref: "S-1", delayed: [delay])
                == "Batch S-1 delays order WEB-6 TV x2: 2026-01-16 → 2026-01-22")
    }

    @Test func theOvertakingNoteSaysWhetherAnOlderLineWouldHaveFitted() {
        #expect(
            Overtaken(sku: "BLUE-CHAIR", waiting: 13, fitting: 0, took: 2).note
                == "13 older lines wait for BLUE-CHAIR; none fits in the 2 units this line took")
        #expect(
            Overtaken(sku: "TV", waiting: 3, fitting: 2, took: 5).note
                == "3 older lines wait for TV; 2 of them would fit in the 5 units this line took")
        #expect(
            Overtaken(sku: "TV", waiting: 1, fitting: 1, took: 1).note
                == "1 older line waits for TV; it would fit in the 1 unit this line took")
    }

    @Test func anOrdersDelayedEventReadsBackAsWritten() throws {
        let event = Event.ordersDelayed(
            ref: "S-1",
            delayed: [
                Delay(orderid: "A", sku: "TV", qty: 2, from: Self.day(1), to: Self.day(3)),
                Delay(orderid: "B", sku: "TV", qty: 1, from: Self.day(1), to: nil),
            ])
        #expect(try Event(kind: event.kind.rawValue, payload: event.payload) == event)
        #expect(event.batchReference == "S-1")
        #expect(throws: InputError.self) {
            try Event(kind: "OrdersDelayed", payload: #"{"ref":"S-1","delayed":[{"orderid":"A"}]}"#)
        }
        #expect(throws: InputError.self) { try Event(kind: "OrdersDelayed", payload: #"{"ref":"S-1","delayed":3}"#) }
    }

    /// A late batch is never suggested to a line at risk, however much room it has; a batch in the warehouse
    /// comes first, then the earliest still to come with room for all of it.
    @Test func atRiskSuggestsOnlyABatchInTheWarehouseOrNotLate() {
        let batches = [
            Self.batch("OTHER-LATE", 100, eta: -1), Self.batch("SMALL", 1), Self.batch("SOON", 10, eta: 4),
            Self.batch("LATER", 10, eta: 9),
        ]
        #expect(atRiskAlternative(for: 5, among: batches, excluding: nil, today: Self.today)?.reference == "SOON")
        #expect(atRiskAlternative(for: 1, among: batches, excluding: nil, today: Self.today)?.reference == "SMALL")
        #expect(atRiskAlternative(for: 5, among: batches, excluding: "SOON", today: Self.today)?.reference == "LATER")
        #expect(atRiskAlternative(for: 50, among: batches, excluding: nil, today: Self.today) == nil)
    }

    // MARK: Through the bus

    let store: TestDatabase
    let bus: MessageBus

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus(splitLines: .batches)
    }

    func handle(_ command: Command) throws -> Outcome { try bus.handle(command) }

    /// S-1 x10 due in 3 days holding WEB-6 x2 and WEB-7 x3; S-2 x3 due in 10 days, empty.
    func twoShipments() throws {
        _ = try handle(.createBatch(CreateBatch(ref: "S-1", sku: "TV", qty: 10, eta: Self.day(3))))
        _ = try handle(.createBatch(CreateBatch(ref: "S-2", sku: "TV", qty: 3, eta: Self.day(10))))
        _ = try handle(.allocate(Allocate(orderid: "WEB-6", sku: "TV", qty: 2)))
        _ = try handle(.allocate(Allocate(orderid: "WEB-7", sku: "TV", qty: 3)))
    }

    func delayEvents() throws -> [Event] {
        try Views.events(after: 0, limit: 100, in: store.database).map(\.event).filter { $0.kind == .ordersDelayed }
    }

    @Test func aLaterETAListsTheLinesItDelaysRecordsThemAndNotifies() throws {
        try twoShipments()
        let outcome = try handle(.changeBatchEta(ChangeBatchEta(ref: "S-1", eta: Self.day(6))))
        let delayed = [
            Delay(orderid: "WEB-6", sku: "TV", qty: 2, from: Self.day(3), to: Self.day(6)),
            Delay(orderid: "WEB-7", sku: "TV", qty: 3, from: Self.day(3), to: Self.day(6)),
        ]
        #expect(outcome == .etaChanged(reference: "S-1", eta: Self.day(6), wasChanged: true, delayed: delayed))
        #expect(try delayEvents() == [.ordersDelayed(ref: "S-1", delayed: delayed)])
        bus.finishNotifications()
        let sent = try String(contentsOfFile: store.notificationsPath, encoding: .utf8)
        #expect(sent.contains("Batch S-1 delays order WEB-6 TV x2: 2026-01-18 → 2026-01-21"))
        let earlier = try handle(.changeBatchEta(ChangeBatchEta(ref: "S-1", eta: Self.day(2))))
        #expect(earlier == .etaChanged(reference: "S-1", eta: Self.day(2), wasChanged: true))
        #expect(try delayEvents().count == 1)
    }

    @Test func aShortReceiptListsTheLinesItMovesLaterOrLeavesWaiting() throws {
        try twoShipments()
        let outcome = try handle(.receiveBatch(ReceiveBatch(ref: "S-1", qty: 2)))
        guard case .received(_, _, let moved, _, let delayed) = outcome else {
            Issue.record("unexpected \(outcome)")
            return
        }
        #expect(moved == [Move(orderid: "WEB-7", sku: "TV", qty: 3, from: "S-1", to: "S-2")])
        #expect(delayed == [Delay(orderid: "WEB-7", sku: "TV", qty: 3, from: Self.day(3), to: Self.day(10))])
        #expect(try delayEvents().count == 1)
        #expect(try store.overAllocatedBatches().isEmpty && store.miscountedBatches().isEmpty)
    }

    @Test func aShrinkingQuantityListsTheLinesLeftWaitingAndAGrowingOneNothing() throws {
        try twoShipments()
        _ = try handle(.allocate(Allocate(orderid: "WEB-8", sku: "TV", qty: 3)))
        let grown = try handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "S-1", qty: 20)))
        #expect(grown == .quantityChanged(reference: "S-1", moved: [], filled: []))
        let outcome = try handle(.changeBatchQuantity(ChangeBatchQuantity(ref: "S-1", qty: 2)))
        guard case .quantityChanged(_, _, _, _, let delayed) = outcome else {
            Issue.record("unexpected \(outcome)")
            return
        }
        #expect(
            delayed == [
                Delay(orderid: "WEB-7", sku: "TV", qty: 3, from: Self.day(3), to: Self.day(10)),
                Delay(orderid: "WEB-8", sku: "TV", qty: 3, from: Self.day(3), to: nil),
            ])
        #expect(outcome.leftLinesWaiting)
    }

    @Test func anAllocationOnALateBatchSaysHowLateUnderEveryPolicy() throws {
        _ = try handle(.createBatch(CreateBatch(ref: "B-1062", sku: "TV", qty: 10, eta: Self.day(-2))))
        for (index, policy) in SplitLines.allCases.enumerated() {
            let outcome = try store.makeBus(splitLines: policy).handle(
                .allocate(Allocate(orderid: "O\(index)", sku: "TV", qty: 1)))
            #expect(outcome == .allocated(batchReference: "B-1062", wasAlreadyAllocated: false, daysLate: 2))
        }
        _ = try handle(.createBatch(CreateBatch(ref: "S-1", sku: "TV", qty: 4, eta: Self.day(1))))
        let pieces = try handle(.allocate(Allocate(orderid: "BIG", sku: "TV", qty: 10)))
        #expect(
            pieces
                == .allocatedInPieces(
                    orderid: "BIG", sku: "TV", qty: 10,
                    pieces: [Piece(batchref: "S-1", qty: 4), Piece(batchref: "B-1062", qty: 6)], waiting: 0,
                    daysLate: ["B-1062": 2]))
    }

    @Test func atRiskListsLatePiecesThenWaitingLinesEachWithWhereItCouldGo() throws {
        _ = try handle(.createBatch(CreateBatch(ref: "LATE", sku: "TV", qty: 4, eta: Self.day(-2))))
        _ = try handle(.allocate(Allocate(orderid: "A", sku: "TV", qty: 4)))
        _ = try handle(.allocate(Allocate(orderid: "W", sku: "TV", qty: 6)))
        _ = try handle(.createBatch(CreateBatch(ref: "OTHER-LATE", sku: "TV", qty: 50, eta: Self.day(-1))))
        _ = try handle(.deallocate(Deallocate(orderid: "W", sku: "TV")))
        _ = try handle(.allocate(Allocate(orderid: "W", sku: "TV", qty: 60)))
        _ = try handle(.createBatch(CreateBatch(ref: "SOON", sku: "TV", qty: 5, eta: Self.day(4))))
        let rows = try Views.atRisk(today: Self.today, in: store.database)
        #expect(
            rows.map { "\($0.line.orderid) \($0.line.qty) \($0.status) \($0.alternative ?? "-")" } == [
                "A 4 late SOON", "W 60 waiting -",
            ])
        #expect(rows.first?.alternativeEta == Self.day(4))
        #expect(
            rows.last?.json
                == #"{"orderid":"W","sku":"TV","qty":60,"status":"waiting","batchref":null,"eta":null,"#
                + #""alternative":null,"alternativeEta":null}"#)
        #expect(try Views.atRisk(today: Self.today, limit: 1, in: store.database).count == 1)
    }

    @Test func theOlderWaitingLinesAnAllocationWentPastAreCounted() throws {
        _ = try handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 2)))
        _ = try handle(.allocate(Allocate(orderid: "OLD-1", sku: "TV", qty: 8)))
        #expect(try Views.overtaken(orderid: "OLD-1", sku: "TV", took: 1, in: store.database) == nil)
        _ = try handle(.allocate(Allocate(orderid: "OLD-2", sku: "TV", qty: 1)))
        _ = try handle(.allocate(Allocate(orderid: "NEW", sku: "TV", qty: 1)))
        #expect(
            try Views.overtaken(orderid: "NEW", sku: "TV", took: 1, in: store.database)
                == Overtaken(sku: "TV", waiting: 1, fitting: 0, took: 1))
    }
}
