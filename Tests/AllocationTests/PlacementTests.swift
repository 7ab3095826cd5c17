import TestSupport
import Testing

@testable import Allocation

/// Where the pieces of a line go (``placement(of:among:policy:today:)``) and fairness with pieces (``SKUStock``),
/// as pure functions on values.
@Suite struct PlacementTests {
    static let today = Day(year: 2026, month: 12, day: 7) ?? Day(daysSinceEpoch: 0)

    static func batch(_ reference: String, _ purchased: Int, eta days: Int? = nil, allocated: Int = 0) -> Batch {
        Batch(
            reference: reference, sku: "TV", purchased: purchased, eta: days.map { today.adding(days: $0) },
            allocated: allocated)
    }

    static func pieces(_ pairs: (String, Int)...) -> [Piece] {
        pairs.map { Piece(batchref: $0.0, qty: $0.1) }
    }

    func place(_ qty: Int, _ batches: [Batch], _ policy: SplitLines) -> Placement {
        placement(of: qty, among: batches, policy: policy, today: Self.today)
    }

    // MARK: One line

    @Test func stockSpreadOverThreeBatchesTakesALineInPiecesUnlessSplittingIsOff() {
        let batches = [Self.batch("B1", 40), Self.batch("B2", 40), Self.batch("B3", 40)]
        for policy in [SplitLines.batches, .partial] {
            #expect(
                place(100, batches, policy)
                    == Placement(pieces: Self.pieces(("B1", 40), ("B2", 40), ("B3", 20)), waiting: 0))
        }
        #expect(place(100, batches, .never) == .waits(100))
    }

    @Test func aLineOneBatchCanTakeGoesWholeToTheFirstSuchBatch() {
        let batches = [Self.batch("B1", 10), Self.batch("B2", 50), Self.batch("B3", 50)]
        for policy in SplitLines.allCases {
            #expect(place(30, batches, policy) == Placement(pieces: Self.pieces(("B2", 30)), waiting: 0))
        }
    }

    /// Complete soonest first, then the fewest pieces: a later batch that could take the whole line is not chosen
    /// when earlier batches complete it sooner in pieces.
    @Test func theLineIsCompleteAtTheSoonestDateAndInTheFewestPiecesByThen() {
        let batches = [Self.batch("B1", 20), Self.batch("B2", 20, eta: 3), Self.batch("B3", 100, eta: 10)]
        #expect(place(30, batches, .batches) == Placement(pieces: Self.pieces(("B1", 20), ("B2", 10)), waiting: 0))
        #expect(place(30, batches, .never) == Placement(pieces: Self.pieces(("B3", 30)), waiting: 0))
        let sameDay = [Self.batch("B1", 20), Self.batch("B2", 20, eta: 3), Self.batch("B4", 30, eta: 3)]
        #expect(place(30, sameDay, .batches) == Placement(pieces: Self.pieces(("B4", 30)), waiting: 0))
    }

    /// Late batches (an ETA already past) have no date anyone can count on: pieces go to them after every batch
    /// that is not late. Splitting off keeps the book's order, where a past ETA sorts first among shipments.
    @Test func lateBatchesComeAfterEveryBatchStillToCome() {
        let batches = [Self.batch("LATE", 50, eta: -3), Self.batch("SOON", 50, eta: 2)]
        #expect(place(30, batches, .batches) == Placement(pieces: Self.pieces(("SOON", 30)), waiting: 0))
        #expect(place(30, batches, .never) == Placement(pieces: Self.pieces(("LATE", 30)), waiting: 0))
        #expect(
            place(70, batches, .batches) == Placement(pieces: Self.pieces(("SOON", 50), ("LATE", 20)), waiting: 0))
        let dueToday = [Self.batch("LATE", 50, eta: -1), Self.batch("TODAY", 50, eta: 0)]
        #expect(place(10, dueToday, .batches) == Placement(pieces: Self.pieces(("TODAY", 10)), waiting: 0))
    }

    @Test func whenAllTheBatchesCannotCoverTheLineItWaitsWholeOrPartly() {
        let batches = [Self.batch("B1", 10, allocated: 5), Self.batch("B2", 20, eta: 4, allocated: 0)]
        #expect(place(30, batches, .never) == .waits(30))
        #expect(place(30, batches, .batches) == .waits(30))
        #expect(place(30, batches, .partial) == Placement(pieces: Self.pieces(("B1", 5), ("B2", 20)), waiting: 5))
        #expect(place(30, [], .partial) == .waits(30))
    }

    /// The book's two preferences hold under every policy.
    @Test func theBooksPreferencesHoldUnderEveryPolicy() {
        for policy in SplitLines.allCases {
            let inStockFirst = [Self.batch("shipment", 100, eta: 1), Self.batch("in-stock", 100)]
            #expect(place(10, inStockFirst, policy).pieces == Self.pieces(("in-stock", 10)))
            let earliest = [
                Self.batch("slow", 100, eta: 9), Self.batch("speedy", 100, eta: 1), Self.batch("normal", 100, eta: 4),
            ]
            #expect(place(10, earliest, policy).pieces == Self.pieces(("speedy", 10)))
        }
    }

    // MARK: Fairness with pieces

    static func line(_ id: Int64, _ qty: Int, _ pieces: [Piece] = []) -> LineStock {
        LineStock(id: id, orderid: "o\(id)", qty: qty, pieces: pieces)
    }

    /// B1 holds three lines of 10; it shrinks to 15 and B2 has 5 free.
    func shrunk(_ policy: SplitLines) throws -> SKUStock {
        var stock = SKUStock(
            batches: [Self.batch("B1", 30, allocated: 30), Self.batch("B2", 5)],
            lines: [
                Self.line(1, 10, Self.pieces(("B1", 10))), Self.line(2, 10, Self.pieces(("B1", 10))),
                Self.line(3, 10, Self.pieces(("B1", 10))),
            ], policy: policy, today: Self.today)
        try stock.changePurchased(of: "B1", to: 15)
        return stock
    }

    @Test func aShrunkBatchKeepsTheOldestPiecesAndPlacesTheOthersAgainInPieces() throws {
        let stock = try shrunk(.batches)
        #expect(stock.line(1)?.pieces == Self.pieces(("B1", 10)))
        #expect(stock.line(2)?.pieces == Self.pieces(("B1", 5), ("B2", 5)))
        #expect(stock.line(3)?.pieces == [])
        #expect(stock.line(3)?.waiting == 10)
        #expect(stock.batches.map(\.allocated) == [15, 5])
        #expect(stock.changes.contains(.startsWaiting(lineID: 3, qty: 10)))
        #expect(!stock.changes.contains { if case .startsWaiting(2, _) = $0 { true } else { false } })
    }

    @Test func withSplittingOffADisplacedLineWaitsWholeWhenNoBatchCanTakeIt() throws {
        let stock = try shrunk(.never)
        #expect(stock.line(1)?.pieces == Self.pieces(("B1", 10)))
        #expect(stock.line(2)?.waiting == 10 && stock.line(3)?.waiting == 10)
        #expect(stock.batches.map(\.allocated) == [10, 0])
    }

    /// What shipped from a batch is gone from what it has on hand: its lines keep only what fits in purchased less
    /// shipped, and a quantity below what shipped is refused before anything changes.
    @Test func aBatchKeepsOnlyWhatFitsInWhatItHasOnHandAndNeverGoesBelowWhatShipped() throws {
        var shippedFrom = Self.batch("B1", 30, allocated: 20)
        shippedFrom.shipped = 10
        var stock = SKUStock(
            batches: [shippedFrom, Self.batch("B2", 5)],
            lines: [Self.line(1, 10, Self.pieces(("B1", 10))), Self.line(2, 10, Self.pieces(("B1", 10)))],
            policy: .batches, today: Self.today)
        let before = stock
        #expect(throws: AllocationError.batchBelowShipped(batch: "B1", shipped: 10, requested: 9)) {
            try stock.changePurchased(of: "B1", to: 9)
        }
        #expect(stock.batches == before.batches && stock.lines == before.lines)
        // 25 bought, 10 of them shipped: 15 on hand, so the younger line moves to B2 for 5 and waits for the rest.
        try stock.changePurchased(of: "B1", to: 25)
        #expect(stock.line(1)?.pieces == Self.pieces(("B1", 10)))
        #expect(stock.line(2)?.pieces == Self.pieces(("B1", 5), ("B2", 5)))
        #expect(stock.batches.map(\.available) == [0, 0])
        #expect(stock.batches[0].onHand == 15 && stock.batches[0].purchased == 25)
    }

    /// Under `batches`, a line whose displaced piece finds no room waits whole: its other pieces are freed and
    /// go to the oldest waiting line; under `partial` only what found no room waits.
    @Test func aDisplacedPieceWithNoRoomFreesTheLinesOtherPiecesUnlessPartialFillsAreOn() throws {
        let batches = [Self.batch("B1", 20, allocated: 20), Self.batch("B2", 20, eta: 5, allocated: 20)]
        let lines = [
            Self.line(1, 10, Self.pieces(("B1", 10))), Self.line(2, 10, Self.pieces(("B2", 10))),
            Self.line(3, 20, Self.pieces(("B1", 10), ("B2", 10))), Self.line(4, 8),
        ]
        var whole = SKUStock(batches: batches, lines: lines, policy: .batches, today: Self.today)
        try whole.changePurchased(of: "B1", to: 12)
        #expect(whole.line(3)?.pieces == [] && whole.line(3)?.waiting == 20)
        #expect(whole.line(4)?.pieces == Self.pieces(("B2", 8)))
        #expect(whole.batches.map(\.allocated) == [10, 18])
        var partly = SKUStock(batches: batches, lines: lines, policy: .partial, today: Self.today)
        try partly.changePurchased(of: "B1", to: 12)
        #expect(partly.line(3)?.pieces == Self.pieces(("B2", 10), ("B1", 2)))
        #expect(partly.line(3)?.waiting == 8)
        #expect(partly.line(4)?.pieces == [])
        #expect(partly.changes.last == .startsWaiting(lineID: 3, qty: 8))
    }

    @Test func aWaitingRestJoinsTheBatchAlreadyHoldingAPieceOfItWhereItFits() throws {
        var stock = SKUStock(
            batches: [Self.batch("A", 10, allocated: 10), Self.batch("B", 20, allocated: 6), Self.batch("C", 50)],
            lines: [Self.line(1, 10, Self.pieces(("A", 10))), Self.line(2, 10, Self.pieces(("B", 6)))],
            policy: .partial, today: Self.today)
        #expect(try stock.fillWaiting() == [2])
        #expect(stock.line(2)?.pieces == Self.pieces(("B", 10)))
        #expect(stock.changes == [.placed(lineID: 2, batchref: "B", qty: 4)])
    }

    @Test func waitingLinesAreFilledOldestFirstAndASmallerYoungerOneStillFits() throws {
        var stock = SKUStock(
            batches: [Self.batch("B", 12)],
            lines: [Self.line(3, 5), Self.line(1, 20), Self.line(2, 7)], policy: .batches, today: Self.today)
        #expect(try stock.fillWaiting() == [2, 3])
        #expect(stock.line(1)?.waiting == 20)
        #expect(stock.batches[0].allocated == 12)
    }

    // MARK: Generated sequences

    /// For random sequences of new lines, shrinking and growing batches and freed lines, under each policy:
    /// after every step no batch is over-allocated, each batch holds exactly its pieces, every line's pieces and
    /// waiting part make its quantity, no waiting line could be placed (waiting lines are filled after each step),
    /// and splitting off gives the book's rule: one piece per line, on the preferred batch that can take it.
    @Test(arguments: SplitLines.allCases)
    func generatedSequencesKeepEveryInvariant(policy: SplitLines) throws {
        var random = SeededGenerator(seed: 19)
        for _ in 0..<60 {
            var stock = SKUStock(
                batches: (0..<Int.random(in: 1...5, using: &random)).map { index in
                    Self.batch(
                        "B\(index)", Int.random(in: 0...30, using: &random),
                        eta: Bool.random(using: &random) ? nil : Int.random(in: -5...10, using: &random))
                }, lines: [], policy: policy, today: Self.today)
            var nextID: Int64 = 1
            for _ in 0..<40 {
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5:
                    let qty = Int.random(in: 1...25, using: &random)
                    let before = stock.batches
                    let placed = try stock.place(Self.line(nextID, qty))
                    if policy == .never {
                        let book = Product(sku: "TV", batches: before).preferredBatchIndex(
                            for: OrderLine(orderid: "o", sku: "TV", qty: qty))
                        #expect(placed.pieces.map(\.batchref) == book.map { [before[$0].reference] } ?? [])
                    }
                    nextID += 1
                case 5..<8:
                    guard let batch = stock.batches.randomElement(using: &random) else { continue }
                    try stock.changePurchased(of: batch.reference, to: Int.random(in: 0...35, using: &random))
                default:
                    guard let line = stock.lines.randomElement(using: &random) else { continue }
                    try stock.free(line.id)
                }
                try stock.fillWaiting()
                try Self.expectInvariants(stock)
            }
        }
    }

    static func expectInvariants(_ stock: SKUStock) throws {
        for batch in stock.batches {
            #expect(batch.allocated <= batch.purchased, "\(batch.reference) over-allocated")
            let held = stock.lines.flatMap(\.pieces).filter { $0.batchref == batch.reference }.reduce(0) { $0 + $1.qty }
            #expect(held == batch.allocated, "\(batch.reference) holds \(held), allocated \(batch.allocated)")
        }
        for line in stock.lines {
            #expect(line.pieces.allSatisfy { $0.qty > 0 } && line.placed + line.waiting == line.qty)
            #expect(Set(line.pieces.map(\.batchref)).count == line.pieces.count, "one piece per batch")
            switch stock.policy {
            case .never: #expect(line.pieces.count <= 1 && (line.waiting == 0 || line.waiting == line.qty))
            case .batches: #expect(line.waiting == 0 || line.waiting == line.qty)
            case .partial: break
            }
            guard line.waiting > 0 else { continue }
            let couldTake = placement(of: line.waiting, among: stock.batches, policy: stock.policy, today: stock.today)
            #expect(couldTake.pieces.isEmpty, "line \(line.id) waits for \(line.waiting) though \(couldTake) fits")
        }
    }
}
