import TestSupport
import Testing

@testable import Allocation

/// Orders as a whole through the production bus on a real database: the order view, cancelling an order,
/// changing a line in its place, and unknown orders.
@Suite struct OrderDeskTests {
    let store: TestDatabase
    let today = Day("2026-12-07")!

    init() throws {
        store = try TestDatabase()
    }

    func bus(_ policy: SplitLines = .batches) -> MessageBus { store.makeBus(splitLines: policy) }

    func statuses(_ orderid: String) throws -> [String] {
        try Views.orderLines(orderid: orderid, in: store.database).map { "\($0.sku) x\($0.qty) \($0.status.name)" }
    }

    @Test func theOrderViewSaysWhereEachLineIsAndWhenItIsExpected() throws {
        let bus = bus()
        try bus.handle(.createBatch(CreateBatch(ref: "SHELF", sku: "TV", qty: 4)))
        try bus.handle(.createBatch(CreateBatch(ref: "SHIP", sku: "TV", qty: 3, eta: Day("2026-12-15"))))
        try bus.handle(.createBatch(CreateBatch(ref: "LATE", sku: "LAMP", qty: 10, eta: Day("2026-12-01"))))
        try bus.handle(.createBatch(CreateBatch(ref: "R1", sku: "RUG", qty: 1)))
        try bus.handle(.allocate(Allocate(orderid: "WEB-1", sku: "RUG", qty: 1)))
        try bus.handle(.allocate(Allocate(orderid: "WEB-6", sku: "TV", qty: 6)))
        try bus.handle(.allocate(Allocate(orderid: "WEB-6", sku: "LAMP", qty: 2)))
        try bus.handle(.allocate(Allocate(orderid: "WEB-6", sku: "RUG", qty: 1)))
        let order = try #require(try Views.order("WEB-6", today: today, in: store.database))
        #expect(order.status == "open")
        #expect(order.lines.map(\.sku) == ["LAMP", "RUG", "TV"])
        let lamp = order.lines[0]
        #expect(lamp.pieces == [PieceView(batchref: "LATE", qty: 2, eta: Day("2026-12-01"), late: true)])
        #expect(lamp.expected == Day("2026-12-01"))
        let rug = order.lines[1]
        #expect(rug.status == "waiting" && rug.waiting == 1 && rug.expected == nil && rug.since != nil)
        let tv = order.lines[2]
        #expect(
            tv.pieces == [
                PieceView(batchref: "SHELF", qty: 4, eta: nil, late: false),
                PieceView(batchref: "SHIP", qty: 2, eta: Day("2026-12-15"), late: false),
            ])
        #expect(tv.status == "allocated" && tv.expected == Day("2026-12-15") && tv.since == nil)
        #expect(
            order.json.hasPrefix(
                #"{"orderid":"WEB-6","status":"open","lines":[{"sku":"LAMP","qty":2,"status":"allocated","#
                    + #""pieces":[{"batchref":"LATE","qty":2,"eta":"2026-12-01","late":true}],"waiting":0,"#
                    + #""expected":"2026-12-01","since":null"#))
    }

    @Test func anOrdersStatusFollowsItsLines() throws {
        let bus = bus(.partial)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "S1", sku: "LAMP", qty: 5, eta: Day("2027-01-10"))))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 4)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "LAMP", qty: 1)))
        #expect(try Views.order("O1", today: today, in: store.database)?.status == "open")
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        #expect(try Views.order("O1", today: today, in: store.database)?.status == "partly shipped")
        try bus.handle(.deallocate(Deallocate(orderid: "O1", sku: "LAMP")))
        #expect(try Views.order("O1", today: today, in: store.database)?.status == "shipped")
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 1)))
        try bus.handle(.cancelOrder(CancelOrder(orderid: "O2")))
        #expect(try Views.order("O2", today: today, in: store.database)?.status == "cancelled")
        #expect(try statuses("O1") == ["LAMP x1 cancelled", "TV x4 shipped"])
    }

    @Test func cancellingAnOrderFreesEveryLineForTheOldestWaitingLinesAndKeepsThemListed() throws {
        let bus = bus(.partial)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "L1", sku: "LAMP", qty: 2)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 8)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "LAMP", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 6)))
        let command = Command.cancelOrder(CancelOrder(orderid: "O1"))
        let outcome = try bus.handle(command)
        #expect(
            outcome
                == .orderCancelled(
                    orderid: "O1",
                    lines: [
                        CancelledLine(sku: "LAMP", qty: 5, pieces: [Piece(batchref: "L1", qty: 2)]),
                        CancelledLine(sku: "TV", qty: 8, pieces: [Piece(batchref: "B1", qty: 8)]),
                    ],
                    filled: [LineOnBatch(orderid: "O2", sku: "TV", qty: 4, batchref: "B1")]))
        #expect(
            outcome.lines(for: command) == [
                "cancelled O1 LAMP x5: freed x2 from L1, x3 was waiting", "cancelled O1 TV x8: freed x8 from B1",
                "filled O2 TV x4 from B1",
            ])
        #expect(try statuses("O1") == ["LAMP x5 cancelled", "TV x8 cancelled"])
        #expect(try statuses("O2") == ["TV x6 allocated"])
        #expect(try store.miscountedBatches().isEmpty)
        let again = try bus.handle(command)
        #expect(again == .orderCancelled(orderid: "O1", lines: [], filled: []))
        #expect(!again.changed)
        #expect(again.unchangedNote(for: command) == "order O1 has no open line; nothing changed")
    }

    @Test func aLineAllocatedAgainAfterItWasCancelledJoinsTheBackOfTheQueue() throws {
        let bus = bus()
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 1)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 5)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 5)))
        try bus.handle(.deallocate(Deallocate(orderid: "O1", sku: "TV")))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 5)))
        #expect(try Views.backorders(in: store.database).map(\.orderid) == ["O2", "O1"])
    }

    @Test func aSmallerLineGivesItsStockToTheOldestWaitingLine() throws {
        let bus = bus()
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 4)))
        try bus.handle(.allocate(Allocate(orderid: "O3", sku: "TV", qty: 3)))
        let command = Command.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 3))
        let outcome = try bus.handle(command)
        #expect(
            outcome
                == .lineChanged(
                    orderid: "O1", sku: "TV", from: 10, to: 3, pieces: [Piece(batchref: "B1", qty: 3)], waiting: 0,
                    filled: [
                        LineOnBatch(orderid: "O2", sku: "TV", qty: 4, batchref: "B1"),
                        LineOnBatch(orderid: "O3", sku: "TV", qty: 3, batchref: "B1"),
                    ]))
        #expect(
            outcome.lines(for: command) == [
                "changed O1 TV from x10 to x3: x3 from B1", "filled O2 TV x4 from B1", "filled O3 TV x3 from B1",
            ])
        #expect(
            try store.latestEvent().map { _ in try Views.history(orderid: "O1", in: store.database).map(\.event) }?
                .suffix(2) == [
                    .lineChanged(orderid: "O1", sku: "TV", qty: 3),
                    .deallocated(orderid: "O1", sku: "TV", qty: 7, batchref: "B1"),
                ])
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func aLargerLineKeepsItsPlaceInTheQueue() throws {
        let bus = bus()
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 2)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 2)))
        try bus.handle(.allocate(Allocate(orderid: "O2", sku: "TV", qty: 3)))
        let grown = try bus.handle(.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 5)))
        #expect(grown.leftLinesWaiting)
        #expect(try Views.backorders(in: store.database).map(\.orderid) == ["O1", "O2"], "O1 is still the older")
        // Under batches the whole line waits, its piece freed; the stock then goes to the oldest line that fits.
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 3)))
        #expect(try statuses("O1") == ["TV x2 allocated", "TV x3 allocated"])
        #expect(try statuses("O2") == ["TV x3 waiting"])
    }

    @Test(arguments: [SplitLines.never, .batches, .partial])
    func aLargerLineIsPlacedByThePolicyInForce(policy: SplitLines) throws {
        let bus = bus(policy)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 6)))
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 6)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 5)))
        let outcome = try bus.handle(.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 8)))
        let pieces = try Views.orderLines(orderid: "O1", in: store.database).map { "\($0.qty) \($0.status.name)" }
        switch policy {
        case .never:
            #expect(pieces == ["8 waiting"], "no single batch can take 8")
            #expect(outcome.leftLinesWaiting)
        case .batches, .partial:
            // The extra 3 go whole to B2: B1, which holds the line's piece, has 1 left.
            #expect(pieces == ["5 allocated", "3 allocated"])
            #expect(!outcome.leftLinesWaiting)
        }
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func changingALineIsRefusedWhereItCannotApply() throws {
        let bus = bus(.partial)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 4)))
        try bus.handle(.allocate(Allocate(orderid: "O1", sku: "TV", qty: 6)))
        try bus.handle(.ship(Ship(orderid: "O1", partial: true)))
        let before = try store.contents()
        #expect(throws: AllocationError.belowShipped(orderid: "O1", sku: "TV", shipped: 4, requested: 4)) {
            try bus.handle(.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 4)))
        }
        #expect(throws: AllocationError.unknownOrder("NOPE")) {
            try bus.handle(.changeLine(ChangeLine(orderid: "NOPE", sku: "TV", qty: 4)))
        }
        #expect(throws: AllocationError.unknownOrder("o1", suggestion: "O1")) {
            try bus.handle(.cancelOrder(CancelOrder(orderid: "o1")))
        }
        #expect(try store.contents() == before)
        let same = try bus.handle(.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 6)))
        #expect(!same.changed)
        // A line shipped in part changes what it has open: 4 shipped, 1 left to find.
        try bus.handle(.changeLine(ChangeLine(orderid: "O1", sku: "TV", qty: 5)))
        #expect(try statuses("O1") == ["TV x4 shipped", "TV x1 waiting"])
    }
}

/// ``SKUStock/changeQuantity(of:to:)`` as a pure rule.
@Suite struct ChangeQuantityRuleTests {
    let today = Day("2026-12-07")!

    func stock(_ policy: SplitLines) -> SKUStock {
        SKUStock(
            batches: [
                Batch(reference: "IN", sku: "TV", purchased: 5, eta: nil, allocated: 5),
                Batch(reference: "LATER", sku: "TV", purchased: 10, eta: Day("2026-12-20"), allocated: 3),
            ],
            lines: [
                LineStock(
                    id: 1, orderid: "O1", qty: 8,
                    pieces: [Piece(batchref: "IN", qty: 5), Piece(batchref: "LATER", qty: 3)])
            ], policy: policy, today: today)
    }

    @Test func lessGivesBackFromTheLatestPieceFirst() throws {
        var stock = stock(.batches)
        try stock.changeQuantity(of: 1, to: 6)
        #expect(stock.line(1)?.pieces == [Piece(batchref: "IN", qty: 5), Piece(batchref: "LATER", qty: 1)])
        try stock.changeQuantity(of: 1, to: 2)
        #expect(stock.line(1)?.pieces == [Piece(batchref: "IN", qty: 2)])
        #expect(stock.batches.map(\.allocated) == [2, 0])
    }

    @Test func moreUnderBatchesWaitsWholeWhenTheExtraFindsNoRoom() throws {
        var stock = stock(.batches)
        try stock.changeQuantity(of: 1, to: 20)
        #expect(stock.line(1)?.pieces == [])
        #expect(stock.line(1)?.waiting == 20)
        #expect(stock.changes.last == .startsWaiting(lineID: 1, qty: 20))
        var partial = self.stock(.partial)
        try partial.changeQuantity(of: 1, to: 20)
        #expect(partial.line(1)?.pieces == [Piece(batchref: "IN", qty: 5), Piece(batchref: "LATER", qty: 10)])
        #expect(partial.line(1)?.waiting == 5)
    }

    @Test func aQuantityBelowOneBreaksTheContract() {
        var stock = stock(.batches)
        #expect(throws: ContractViolation.self) { try stock.changeQuantity(of: 1, to: 0) }
    }
}
