import TestSupport
import Testing

@testable import Allocation

@Suite struct MessageBusTests {
    let store: TestDatabase
    let bus: MessageBus

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    @Test func oneEventHandlersFailureDoesNotStopTheOthers() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "printer on fire" } }
        var seen: [String] = []
        bus.subscribe(to: .allocated, name: "first") { _ in seen.append("first") }
        bus.subscribe(to: .allocated, name: "broken") { _ in throw Broken() }
        bus.subscribe(to: .allocated, name: "last") { _ in seen.append("last") }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 1)))
        #expect(outcome == .allocated(batchReference: "b1", wasAlreadyAllocated: false))
        #expect(seen == ["first", "last"])
        #expect(store.handlerFailures == ["event handler \"broken\" failed on Allocated: printer on fire"])
    }

    /// A handler runs after COMMIT, outside the command's transaction, so it may send commands of its own.
    @Test func anEventHandlerCanSendACommandOfItsOwn() throws {
        bus.subscribe(to: .outOfStock, name: "order more") { [bus] event in
            guard case .outOfStock(let sku, _, _) = event else { return }
            try bus.handle(.createBatch(CreateBatch(ref: "restock-\(sku)", sku: sku, qty: 50, eta: Day("2026-02-01"))))
        }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        #expect(
            try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
                == .waiting(orderid: "o1", sku: "LAMP", qty: 5))
        #expect(try Views.batches(sku: "LAMP", in: store.database).map(\.reference) == ["b1", "restock-LAMP"])
        #expect(try Views.orderLines(orderid: "o1", in: store.database).map(\.batchref) == ["restock-LAMP"])
        #expect(store.handlerFailures.isEmpty)
    }

    @Test func eventsAreHandledOnlyAfterCommit() throws {
        let other = try store.openAnotherConnection(access: .readOnly)
        var visibleAtDispatch: [String?] = []
        bus.subscribe(to: .allocated, name: "look from outside") { _ in
            visibleAtDispatch = try Views.orderLines(orderid: "o1", in: other).map(\.batchref)
        }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 1)))
        #expect(visibleAtDispatch == ["b1"])
    }

    @Test func aRefusedCommandLeavesNoEventAndNotifiesNobody() throws {
        var handled = 0
        for kind in Event.Kind.allCases { bus.subscribe(to: kind, name: "count") { _ in handled += 1 } }
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let before = try store.contents()
        #expect(throws: AllocationError.self) {
            try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 3)))
        }
        #expect(throws: AllocationError.self) { try bus.handle(.allocate(Allocate(orderid: "o", sku: "NOPE", qty: 3))) }
        #expect(try store.contents() == before)
        #expect(handled == 1)
    }

    /// What ``makeWritesStale(first:)`` saw: the version saves the commands attempted, the rows it moved on.
    final class StaleWrites {
        var saves = 0
        var bumped = 0
    }

    /// Makes the write of each of the next `times` attempts stale: just before a command saves LAMP's version,
    /// the product moves on a version inside the command's own transaction, as a server engine's concurrent
    /// transaction could. (Under SQLite's `BEGIN IMMEDIATE` no other connection can commit there.)
    func makeWritesStale(first times: Int) -> StaleWrites {
        let seen = StaleWrites()
        store.database.willRun = { [weak db = store.database] sql in
            guard let db, sql.hasPrefix("UPDATE products SET version = ?") else { return }
            seen.saves += 1
            guard seen.saves <= times else { return }
            if (try? db.execute("UPDATE products SET version = version + 1 WHERE sku = 'LAMP'")) != nil {
                seen.bumped += db.changes
            }
        }
        return seen
    }

    @Test func aStaleWriteIsRetriedFromAFreshReadAndSucceeds() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let seen = makeWritesStale(first: 1)
        let outcome = try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        #expect(outcome == .allocated(batchReference: "b1", wasAlreadyAllocated: false))
        #expect(seen.saves == 2)
        #expect(seen.bumped == 1)
        #expect(try Views.orderLines(orderid: "o1", in: store.database).map(\.batchref) == ["b1"])
        #expect(try Product.load(sku: "LAMP", in: store.database)?.version == 2)
        #expect(try Views.events(in: store.database).map(\.kind) == ["BatchCreated", "Allocated"])
        #expect(try store.miscountedBatches().isEmpty)
    }

    @Test func aWriteStaleOnEveryAttemptIsRefusedAfterTheLastAndSavesNothing() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        let before = try store.contents()
        let seen = makeWritesStale(first: MessageBus.attempts)
        #expect(throws: ConcurrentUpdate(sku: "LAMP", expectedVersion: 1)) {
            try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        }
        #expect(MessageBus.attempts == 10)
        #expect(seen.saves == MessageBus.attempts)
        #expect(seen.bumped == MessageBus.attempts)
        #expect(try store.contents() == before)
    }

    /// On a server a broken contract or a refused CHECK could come from a concurrent change, so it runs again
    /// from a fresh read a few times before it is reported; a unique key's refusal is an answer, and on SQLite,
    /// whose write lock excludes concurrent changes, nothing of the kind runs again.
    @Test func aContractOrConstraintFailureRunsAgainOnlyOnAServerAndOnlyAFewTimes() {
        let contract = ContractViolation(kind: .postcondition, message: "postcondition failed")
        let check = DatabaseError.server(message: "violates check constraint", state: "23514")
        let unique = DatabaseError.server(message: "duplicate key", state: "23505")
        func runsAgain(_ error: any Error, attempt: Int, sideBySide: Bool) -> Bool {
            MessageBus.mayRunAgain(
                after: error, attempt: attempt, waited: 0, conflictSeconds: 2, sideBySide: sideBySide)
        }
        #expect(MessageBus.contractAttempts == 3)
        for error in [contract as any Error, check] {
            #expect((1...4).map { runsAgain(error, attempt: $0, sideBySide: true) } == [true, true, false, false])
            #expect(!runsAgain(error, attempt: 1, sideBySide: false))
        }
        #expect(!runsAgain(unique, attempt: 1, sideBySide: true))
        #expect(!runsAgain(AllocationError.unknownBatch("b1"), attempt: 1, sideBySide: true))
    }

    @Test func eventsAreRecordedWithTheSettingsClockInTheCommandsTransaction() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10, eta: Day("2026-02-01"))))
        try bus.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        let events = try Views.events(in: store.database)
        #expect(events.map(\.kind) == ["BatchCreated", "Allocated"])
        #expect(events.allSatisfy { $0.at == "2026-01-15T12:00:00.000Z" })
        #expect(
            events[0].json
                == #"{"id":1,"at":"2026-01-15T12:00:00.000Z","operator":"\#(store.settings.user)","kind":"BatchCreated","#
                + #""ref":"b1","sku":"LAMP","qty":10,"eta":"2026-02-01"}"#
        )
        #expect(events[1].payload == #"{"orderid":"o1","sku":"LAMP","qty":4,"batchref":"b1"}"#)
    }

    @Test func eventPayloadsEscapeWhatJsonMust() {
        let event = Event.allocated(orderid: "quote\"back\\slash", sku: "Gerät 箱", qty: 1, batchref: "b")
        #expect(event.payload == #"{"orderid":"quote\"back\\slash","sku":"Gerät 箱","qty":1,"batchref":"b"}"#)
    }

    @Test func jsonOutputEscapesEverythingThatCouldSteerATerminal() {
        #expect(JSONObjectWriter.quoted("a\u{1B}[2J\u{9B}1m\u{202E}z\u{FEFF}") == #""a\u001b[2J\u009b1m\u202ez\ufeff""#)
        #expect(JSONObjectWriter.quoted("£ € 東京") == #""£ € 東京""#)
    }

    @Test func aFailingNotifierIsLoggedAndTheAllocationStandsCommitted() throws {
        var settings = store.settings
        settings.notifier = .command("echo mail server down >&2; exit 7")
        var failures: [String] = []
        let failing = MessageBus.standard(database: store.database, settings: settings) { failures.append($0) }
        try failing.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        #expect(
            try failing.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
                == .waiting(orderid: "o1", sku: "LAMP", qty: 5))
        failing.finishNotifications()
        #expect(
            failures == [
                "event handler \"notify out of stock\" failed on OutOfStock: notifier command echo mail server down >&2; exit 7 exited with status 7: "
                    + "mail server down"
            ])
        #expect(try store.latestEvent()?.kind == "OutOfStock")
    }

    @Test func theCommandNotifierGetsTheMessageAndAddress() throws {
        var settings = store.settings
        let output = store.folder.appendingPathComponent("mail.txt").path
        settings.notifier = .command("{ echo \"$STOCK_NOTIFY_TO\"; cat; } > '\(output)'")
        let mailing = MessageBus.standard(database: store.database, settings: settings) { _ in }
        try mailing.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        try mailing.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 5)))
        mailing.finishNotifications()
        #expect(
            try String(contentsOfFile: output, encoding: .utf8)
                == "stock@made.com\nOut of stock for LAMP: order o1 waits for 5\n")
    }
}
