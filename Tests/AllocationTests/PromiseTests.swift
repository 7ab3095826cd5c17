import TestSupport
import Testing

@testable import Allocation

/// The promise for a new line (``promise(of:sku:among:waitingBefore:policy:today:)``): hand-worked cases on values,
/// the view on a real database, and random cases where the promise is checked against what `allocate` then does.
@Suite struct PromiseTests {
    static let today = Day(year: 2026, month: 12, day: 7) ?? Day(daysSinceEpoch: 0)

    static func batch(_ reference: String, _ room: Int, eta days: Int? = nil) -> Batch {
        Batch(reference: reference, sku: "TV", purchased: room, eta: days.map { today.adding(days: $0) })
    }

    static func day(_ days: Int) -> Day { today.adding(days: days) }

    func promised(
        _ qty: Int, _ batches: [Batch], _ policy: SplitLines = .batches, waitingBefore: Int = 0
    ) -> Promise {
        promise(of: qty, sku: "TV", among: batches, waitingBefore: waitingBefore, policy: policy, today: Self.today)
    }

    func piece(_ reference: String, _ qty: Int, eta days: Int? = nil, late: Bool = false) -> PromisedPiece {
        PromisedPiece(batchref: reference, qty: qty, eta: days.map(Self.day), isLate: late)
    }

    // MARK: Hand-worked cases

    @Test func stockInTheWarehouseIsPromisedTodayUnderEveryPolicy() {
        for policy in SplitLines.allCases {
            let promise = promised(30, [Self.batch("B-1", 40), Self.batch("W-7", 100, eta: 5)], policy)
            #expect(promise.date == Self.today)
            #expect(promise.pieces == [piece("B-1", 30)])
            #expect(promise.line == "TV x30: in stock now (B-1)")
        }
    }

    @Test func aLineInPiecesInTheWarehouseNamesEveryBatch() {
        let batches = [Self.batch("B-1", 20), Self.batch("B-2", 20)]
        let promise = promised(30, batches)
        #expect(promise.pieces == [piece("B-1", 20), piece("B-2", 10)])
        #expect(promise.line == "TV x30: in stock now (B-1, B-2)")
        let whole = promised(30, batches, .never)
        #expect(whole.date == nil)
        #expect(whole.pieces.isEmpty)
        #expect(
            whole.line
                == "TV x30: cannot be promised: 40 available in all batches, 0 units waiting before it; "
                + "no single batch can take 30 (splitLines is never)")
    }

    @Test func anArrivingBatchPromisesItsETAWithTheDaysToIt() {
        let promise = promised(30, [Self.batch("W-7", 50, eta: 36)])
        #expect(promise.date == Self.day(36))
        #expect(promise.line == "TV x30: 2027-01-12 (arriving W-7), in 36 days")
        #expect(promised(30, [Self.batch("W-7", 50, eta: 1)]).summary == "2026-12-08 (arriving W-7), in 1 day")
        #expect(promised(30, [Self.batch("W-7", 50, eta: 0)]).summary == "2026-12-07 (arriving W-7), today")
    }

    /// Pieces in the warehouse and on the way: complete when the last one arrives, by the placement rule (the
    /// soonest completion, then the fewest pieces); splitting off takes the whole line to one later batch.
    @Test func aLineInPiecesIsCompleteWhenItsLastPieceArrives() {
        let batches = [Self.batch("B-1", 20), Self.batch("W-7", 20, eta: 10), Self.batch("W-8", 100, eta: 20)]
        for policy in [SplitLines.batches, .partial] {
            let promise = promised(30, batches, policy)
            #expect(promise.pieces == [piece("B-1", 20), piece("W-7", 10, eta: 10)])
            #expect(promise.date == Self.day(10))
            #expect(promise.summary == "2026-12-17 (arriving W-7), in 10 days")
        }
        let whole = promised(30, batches, .never)
        #expect(whole.pieces == [piece("W-8", 30, eta: 20)])
        #expect(whole.summary == "2026-12-27 (arriving W-8), in 20 days")
        let twoArriving = promised(
            50, [Self.batch("B-1", 20), Self.batch("W-7", 20, eta: 10), Self.batch("W-8", 15, eta: 20)], .batches)
        #expect(twoArriving.pieces == [piece("B-1", 20), piece("W-7", 20, eta: 10), piece("W-8", 10, eta: 20)])
        #expect(twoArriving.summary == "2026-12-27 (arriving W-7, W-8), in 20 days")
    }

    /// Waiting lines hold no room: stock that appears goes to them first, so the room there is now is room they
    /// could not take; a new line takes it as `allocate` would, and only says how much waits before it.
    @Test func waitingLinesBeforeItAreCountedAndHoldNoRoom() {
        let batches = [Self.batch("B-1", 12)]
        let cannot = promised(30, batches, waitingBefore: 40)
        #expect(cannot.date == nil)
        #expect(cannot.line == "TV x30: cannot be promised: 12 available in all batches, 40 units waiting before it")
        #expect(promised(10, batches, waitingBefore: 40).line == "TV x10: in stock now (B-1)")
        #expect(promised(30, batches, waitingBefore: 1).summary.hasSuffix("1 unit waiting before it"))
    }

    /// A late batch (its ETA passed, not received) has no date anyone knows: a line a piece of which would be on
    /// one cannot be promised. The placement still ranks it after every batch still to come, so a line that fits
    /// elsewhere is promised; splitting off keeps the book's order, where a past ETA sorts first.
    @Test func aLateBatchBacksNoPromise() {
        let late = Self.batch("L-1", 50, eta: -6)
        let onLate = promised(10, [late])
        #expect(onLate.date == nil)
        #expect(onLate.pieces == [piece("L-1", 10, eta: -6, late: true)])
        #expect(
            onLate.line
                == "TV x10: cannot be promised: it would be on late batch L-1 (due 2026-12-01), whose date is unknown")
        let withSoon = [late, Self.batch("W-7", 50, eta: 3)]
        #expect(promised(10, withSoon, .batches).summary == "2026-12-10 (arriving W-7), in 3 days")
        #expect(promised(10, withSoon, .never).date == nil)
        let both = promised(103, withSoon + [Self.batch("L-2", 5, eta: -1)], .batches)
        #expect(
            both.summary
                == "cannot be promised: it would be on late batches L-1 (due 2026-12-01), L-2 (due 2026-12-06), whose dates are unknown"
        )
    }

    /// Under `partial` a line the batches cannot cover is placed in part: the pieces say where, and it cannot be
    /// promised; under `batches` it would wait whole.
    @Test func aLineTheBatchesCannotCoverCannotBePromised() {
        let batches = [Self.batch("B-1", 12), Self.batch("W-7", 3, eta: 2)]
        let partial = promised(30, batches, .partial, waitingBefore: 40)
        #expect(partial.pieces == [piece("B-1", 12), piece("W-7", 3, eta: 2)])
        #expect(partial.waiting == 15)
        #expect(partial.date == nil)
        #expect(partial.summary == "cannot be promised: 15 available in all batches, 40 units waiting before it")
        let whole = promised(30, batches, .batches, waitingBefore: 40)
        #expect(whole.pieces.isEmpty)
        #expect(whole.waiting == 30)
        #expect(promised(1, []).summary == "cannot be promised: 0 available in all batches, 0 units waiting before it")
    }

    @Test func theJSONHasTheDocumentedKeys() {
        let batches = [Self.batch("B-1", 20), Self.batch("W-7", 20, eta: 36)]
        #expect(
            promised(30, batches, waitingBefore: 4).json
                == #"{"sku":"TV","qty":30,"date":"2027-01-12","batches":[{"batchref":"B-1","qty":20,"eta":null},"#
                + #"{"batchref":"W-7","qty":10,"eta":"2027-01-12"}],"available":40,"waitingBefore":4}"#)
        #expect(
            promised(50, batches).json
                == #"{"sku":"TV","qty":50,"date":null,"batches":[],"available":40,"waitingBefore":0}"#)
    }

    // MARK: On a database

    /// Stock that arrives goes to the waiting lines first: once a new batch filled the older line, what is left
    /// is what a new line is promised.
    @Test func waitingLinesAheadTakeArrivingStockFirst() throws {
        let store = try TestDatabase()
        let bus = store.makeBus(splitLines: .batches)
        let today = store.settings.clock.today
        try bus.handle(.createBatch(CreateBatch(ref: "B-1", sku: "TV", qty: 12)))
        try bus.handle(.allocate(Allocate(orderid: "OLD", sku: "TV", qty: 40)))
        func promise(_ qty: Int) throws -> Promise {
            try Views.promise(sku: "TV", qty: qty, policy: .batches, today: today, in: store.database)
        }
        #expect(
            try promise(30).summary == "cannot be promised: 12 available in all batches, 40 units waiting before it")
        try bus.handle(.createBatch(CreateBatch(ref: "W-7", sku: "TV", qty: 50, eta: today.adding(days: 10))))
        let after = try promise(30)
        #expect(after.waitingBefore == 0)
        #expect(after.available == 22)
        #expect(after.summary == "cannot be promised: 22 available in all batches, 0 units waiting before it")
        #expect(try promise(20).pieces.map(\.batchref) == ["B-1", "W-7"])
        #expect(throws: AllocationError.invalidSKU("RADIO")) {
            try Views.promise(sku: "RADIO", qty: 1, policy: .batches, today: today, in: store.database)
        }
        #expect(try Views.skuNearest(to: "tv", in: store.database) == "TV")
        try bus.handle(.createBatch(CreateBatch(ref: "L-1", sku: "RED-LAMP", qty: 5)))
        #expect(try Views.skuNearest(to: "red-lmap", in: store.database) == "RED-LAMP", "spelt wrong, any case")
        #expect(try Views.skuNearest(to: "BLUE-SOFA", in: store.database) == nil)
    }

    /// With `autoAllocate` off, a waiting line may fit stock no one gave it yet; `allocate` goes past it (and
    /// notes it), so the promise does too, and says how much waits before the new line.
    @Test func withAutoAllocateOffTheNewLineGoesPastAWaitingLineThatWouldFit() throws {
        let store = try TestDatabase()
        var settings = store.settings
        settings.autoAllocate = false
        let bus = MessageBus.standard(database: store.database, settings: settings) { _ in }
        let today = settings.clock.today
        try bus.handle(.createBatch(CreateBatch(ref: "W-1", sku: "TV", qty: 1, eta: today.adding(days: 2))))
        try bus.handle(.allocate(Allocate(orderid: "OLD", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "B-1", sku: "TV", qty: 20)))
        let promise = try Views.promise(sku: "TV", qty: 15, policy: .batches, today: today, in: store.database)
        #expect(promise.line == "TV x15: in stock now (B-1)")
        #expect(promise.waitingBefore == 10)
        try bus.handle(.allocate(Allocate(orderid: "NEW", sku: "TV", qty: 15)))
        #expect(
            try OrderLine.find(orderid: "NEW", sku: "TV", in: store.database)?.pieces == [
                Piece(batchref: "B-1", qty: 15)
            ])
    }

    /// The promise reads the SKU's rows alone, each statement through an index: the product by its key, the
    /// batches with room through `batches_with_stock`, the waiting lines through `order_lines_waiting`.
    @Test func thePromiseReadsOnlyTheSKUsRowsThroughIndexes() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        let today = store.settings.clock.today
        for sku in ["TV", "RADIO"] {
            try bus.handle(.createBatch(CreateBatch(ref: "B-\(sku)", sku: sku, qty: 5)))
            try bus.handle(.allocate(Allocate(orderid: "W-\(sku)", sku: sku, qty: 50)))
        }
        var statements: [String] = []
        store.database.willRun = { statements.append($0) }
        let promise = try Views.promise(sku: "TV", qty: 3, policy: .batches, today: today, in: store.database)
        store.database.willRun = nil
        #expect(promise.line == "TV x3: in stock now (B-TV)")
        #expect(promise.waitingBefore == 50)
        let reads = statements.filter { $0.contains("FROM batches") || $0.contains("FROM order_lines") }
        #expect(reads.count == 2, "\(statements)")
        for sql in reads {
            let plan = try QueryPlan(of: sql, in: store.database)
            #expect(plan.fullScans.isEmpty, "\(sql): \(plan.steps)")
            #expect(plan.uses("batches_with_stock") || plan.uses("order_lines_waiting"), "\(sql): \(plan.steps)")
        }
    }

    // MARK: The same rule as allocate

    /// Random small cases on a real database: the promise changes nothing, and then allocating a new line of that
    /// quantity puts it exactly on the promised pieces (what waits too), its expected day being the promised
    /// date when no piece is on a late batch. The cases mix policies and `autoAllocate` across commands, so some
    /// waiting lines could fit the room a new line takes.
    @Test(arguments: SplitLines.allCases)
    func thePromiseIsWhatAllocatingDoes(policy: SplitLines) throws {
        for seed in 1...40 {
            try check(seed: UInt64(seed), policy: policy)
        }
    }

    func check(seed: UInt64, policy: SplitLines) throws {
        var random = SeededGenerator(seed: seed)
        let store = try TestDatabase()
        let today = store.settings.clock.today
        var settings = store.settings
        settings.splitLines = policy
        let main = MessageBus.standard(database: store.database, settings: settings) { _ in }
        settings.autoAllocate = false
        settings.splitLines = SplitLines.allCases.randomElement(using: &random)!
        let other = MessageBus.standard(database: store.database, settings: settings) { _ in }
        var done: [String] = []
        func run(_ command: Command, on bus: MessageBus) throws {
            done.append("\(command)")
            do {
                try bus.handle(command)
            } catch is AllocationError {
                done[done.count - 1] += "  (refused)"
            }
        }
        for index in 1...Int.random(in: 1...4, using: &random) {
            let eta: Day? =
                switch Int.random(in: 0..<3, using: &random) {
                case 0: nil
                case 1: today.adding(days: -Int.random(in: 1...5, using: &random))
                default: today.adding(days: Int.random(in: 0...20, using: &random))
                }
            try run(
                .createBatch(
                    CreateBatch(ref: "B\(index)", sku: "TV", qty: Int.random(in: 1...30, using: &random), eta: eta)),
                on: main)
        }
        for index in 0..<Int.random(in: 0...6, using: &random) {
            let bus = Bool.random(using: &random) ? main : other
            try run(
                .allocate(Allocate(orderid: "O\(index)", sku: "TV", qty: Int.random(in: 1...25, using: &random))),
                on: bus)
        }
        if Bool.random(using: &random) {
            try run(
                .changeBatchQuantity(ChangeBatchQuantity(ref: "B1", qty: Int.random(in: 0...30, using: &random))),
                on: other)
        }
        let qty = Int.random(in: 1...25, using: &random)
        let before = try store.contents()
        let promise = try Views.promise(sku: "TV", qty: qty, policy: policy, today: today, in: store.database)
        let context = "\(policy) seed \(seed), promise of \(qty) after:\n" + done.joined(separator: "\n")
        #expect(try store.contents() == before, "the promise changed the database: \(context)")
        _ = try main.handle(.allocate(Allocate(orderid: "NEW", sku: "TV", qty: qty)))
        let line = try #require(try OrderLine.find(orderid: "NEW", sku: "TV", in: store.database))
        #expect(
            Set(line.pieces) == Set(promise.pieces.map { Piece(batchref: $0.batchref, qty: $0.qty) }),
            "pieces differ: \(context)")
        #expect(line.waitingPart == promise.waiting, "waiting differs: \(context)")
        let expected = try Views.order("NEW", today: today, in: store.database)?.lines.first?.expected
        if !promise.pieces.contains(where: \.isLate) {
            #expect(expected == promise.date, "date differs: \(context)")
        }
    }
}
