import TestSupport
import Testing

@testable import Allocation

/// `Allocate` with a `waitingSince` (what `import orders` passes for an exported waiting line): kept when no
/// waiting line of the SKU started waiting later, else the line waits from now and the outcome says so.
@Suite struct WaitingSinceTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    func waitingSince(_ orderid: String) throws -> String? {
        try store.database.queryOne("SELECT waiting_since FROM order_lines WHERE orderid = ?", orderid) {
            $0.optionalText(0)
        } ?? nil
    }

    func allocate(_ bus: MessageBus, _ orderid: String, _ qty: Int, since: String?) throws -> Outcome {
        try bus.handle(.allocate(Allocate(orderid: orderid, sku: "TV", qty: qty, waitingSince: since)))
    }

    @Test(arguments: [SplitLines.never, .batches])
    func aGivenTimeIsKeptWhileTheQueueStaysInOrder(policy: SplitLines) throws {
        let bus = store.makeBus(splitLines: policy)
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 1, eta: nil)))
        try bus.handle(.allocate(Allocate(orderid: "A", sku: "TV", qty: 1)))
        #expect(
            try allocate(bus, "W1", 2, since: "2026-01-02T08:00:00.000Z")
                == .waiting(orderid: "W1", sku: "TV", qty: 2))
        #expect(try allocate(bus, "W2", 2, since: "2026-01-03T08:00:00.000Z").changed)
        #expect(try waitingSince("W1") == "2026-01-02T08:00:00.000Z")
        #expect(try waitingSince("W2") == "2026-01-03T08:00:00.000Z")
        #expect(
            try allocate(bus, "W3", 2, since: "2026-01-01T08:00:00.000Z")
                == .waiting(orderid: "W3", sku: "TV", qty: 2, ageRestarted: true))
        #expect(try waitingSince("W3") == bus.clock.timestamp())
        #expect(
            try allocate(bus, "W1", 2, since: "2026-01-01T08:00:00.000Z")
                == .waiting(orderid: "W1", sku: "TV", qty: 2, isNew: false),
            "a line already waiting keeps its time")
        #expect(try waitingSince("W1") == "2026-01-02T08:00:00.000Z")
    }

    @Test func thePartOfALineInPiecesThatWaitsKeepsOrRestartsItsAge() throws {
        var settings = store.settings
        settings.splitLines = .partial
        // Stock that appears stays free, so a line can wait while a batch has room.
        settings.autoAllocate = false
        let bus = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 1, eta: nil)))
        let kept = try allocate(bus, "P1", 3, since: "2026-01-05T08:00:00.000Z")
        #expect(
            kept
                == .allocatedInPieces(
                    orderid: "P1", sku: "TV", qty: 3, pieces: [Piece(batchref: "B1", qty: 1)], waiting: 2))
        #expect(try waitingSince("P1") == "2026-01-05T08:00:00.000Z")
        try bus.handle(.createBatch(CreateBatch(ref: "B2", sku: "TV", qty: 1, eta: Day("2026-02-01"))))
        let restarted = try allocate(bus, "P2", 3, since: "2026-01-04T08:00:00.000Z")
        guard case .allocatedInPieces(_, _, _, _, 2, _, _, true) = restarted else {
            Issue.record("\(restarted)")
            return
        }
        #expect(try waitingSince("P2") == bus.clock.timestamp())
    }

    @Test func aTimeAfterNowIsRefusedAndChangesNothing() throws {
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "B1", sku: "TV", qty: 1, eta: nil)))
        let error = #expect(throws: ContractViolation.self) {
            try allocate(bus, "W1", 2, since: "2099-01-01T00:00:00.000Z")
        }
        #expect(error?.message.hasPrefix("waiting_since 2099-01-01T00:00:00.000Z is in the future") == true)
        #expect(try waitingSince("W1") == nil)
        #expect(throws: ContractViolation.self) { try allocate(bus, "W1", 2, since: "2026-01-01") }
    }
}
