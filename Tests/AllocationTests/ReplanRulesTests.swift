import Testing

@testable import Allocation

/// Re-planning as pure functions on values (``SKUStock/replan(sku:)``): lines move, oldest first, to where they
/// complete sooner by the placement rule in force, never later and never to wait.
@Suite struct ReplanRulesTests {
    static let today = Day(year: 2026, month: 12, day: 7) ?? Day(daysSinceEpoch: 0)

    static func batch(_ reference: String, _ purchased: Int, eta days: Int? = nil, allocated: Int = 0) -> Batch {
        Batch(
            reference: reference, sku: "TV", purchased: purchased, eta: days.map { today.adding(days: $0) },
            allocated: allocated)
    }

    static func line(_ id: Int64, _ qty: Int, on pieces: (String, Int)...) -> LineStock {
        LineStock(
            id: id, orderid: "O\(id)", qty: qty, pieces: pieces.map { Piece(batchref: $0.0, qty: $0.1) })
    }

    func day(_ days: Int) -> Day { Self.today.adding(days: days) }

    @Test func aLineMovesToTheWarehouseWhenStockThereCanTakeIt() throws {
        var stock = SKUStock(
            batches: [Self.batch("W", 10), Self.batch("S", 50, eta: 10, allocated: 40)],
            lines: [Self.line(1, 30, on: ("S", 30)), Self.line(2, 10, on: ("S", 10))], policy: .batches,
            today: Self.today)
        let moved = try stock.replan(sku: "TV")
        #expect(
            moved == [
                ReplannedLine(
                    orderid: "O2", sku: "TV", qty: 10, from: [Piece(batchref: "S", qty: 10)],
                    to: [Piece(batchref: "W", qty: 10)], wasDay: day(10), day: Self.today)
            ])
        #expect(stock.batches.map(\.allocated) == [10, 30])
        #expect(
            stock.changes == [.freed(lineID: 2, batchref: "S", qty: 10), .placed(lineID: 2, batchref: "W", qty: 10)])
    }

    @Test func theOldestLineIsServedFirst() throws {
        var stock = SKUStock(
            batches: [Self.batch("W", 10), Self.batch("S", 50, eta: 10, allocated: 20)],
            lines: [Self.line(1, 10, on: ("S", 10)), Self.line(2, 10, on: ("S", 10))], policy: .batches,
            today: Self.today)
        #expect(try stock.replan(sku: "TV").map(\.orderid) == ["O1"])
    }

    @Test func piecesAreAllowedUnderBatchesButNotUnderNever() throws {
        let batches = [Self.batch("W", 10), Self.batch("E", 10, eta: 3), Self.batch("S", 50, eta: 10, allocated: 20)]
        var never = SKUStock(
            batches: batches, lines: [Self.line(1, 20, on: ("S", 20))], policy: .never, today: Self.today)
        #expect(try never.replan(sku: "TV").isEmpty)
        var split = SKUStock(
            batches: batches, lines: [Self.line(1, 20, on: ("S", 20))], policy: .batches, today: Self.today)
        let moved = try split.replan(sku: "TV")
        #expect(moved.map(\.to) == [[Piece(batchref: "W", qty: 10), Piece(batchref: "E", qty: 10)]])
        #expect(moved.map(\.day) == [day(3)])
    }

    @Test func aLineNeverMovesToCompleteLaterOrOnTheSameDayOrToWait() throws {
        var stock = SKUStock(
            batches: [
                Self.batch("L", 50, eta: -2), Self.batch("S", 20, eta: 10, allocated: 20),
                Self.batch("T", 5, eta: 10), Self.batch("U", 50, eta: 30),
            ],
            lines: [Self.line(1, 20, on: ("S", 20))], policy: .partial, today: Self.today)
        #expect(try stock.replan(sku: "TV").isEmpty, "a late batch's date is unknown: not sooner than an ETA")
        #expect(stock.changes.isEmpty)
    }

    @Test func aLineOnALateBatchMovesToOneOnTimeUnlessTheRuleInForcePrefersTheLateOne() throws {
        let batches = [Self.batch("L", 50, eta: -2, allocated: 20), Self.batch("S", 20, eta: 10)]
        var ranked = SKUStock(
            batches: batches, lines: [Self.line(1, 20, on: ("L", 20))], policy: .batches, today: Self.today)
        #expect(try ranked.replan(sku: "TV").map(\.to) == [[Piece(batchref: "S", qty: 20)]])
        var never = SKUStock(
            batches: batches, lines: [Self.line(1, 20, on: ("L", 20))], policy: .never, today: Self.today)
        #expect(try never.replan(sku: "TV").isEmpty, "never prefers batches by ETA, a late one first")
    }

    @Test func linesInTheWarehouseOrWaitingStay() throws {
        var stock = SKUStock(
            batches: [Self.batch("W", 100, allocated: 10), Self.batch("S", 50, eta: 10, allocated: 5)],
            lines: [Self.line(1, 10, on: ("W", 10)), Self.line(2, 8, on: ("S", 5))], policy: .partial,
            today: Self.today)
        #expect(try stock.replan(sku: "TV").isEmpty)
    }
}
