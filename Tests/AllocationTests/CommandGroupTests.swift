import Foundation
import TestSupport
import Testing

@testable import Allocation

/// Grouped commits: commands in savepoints of one transaction behave exactly as one transaction each.
@Suite struct CommandGroupTests {
    /// A mixed input with refusals in the middle: a duplicate batch, an unknown SKU, a bad quantity, a line that
    /// must wait, and commands that fill waiting lines.
    static let commands: [Command] = [
        .createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)),
        .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)),
        .createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 99)),
        .allocate(Allocate(orderid: "o2", sku: "LAMPX", qty: 1)),
        .allocate(Allocate(orderid: "o3", sku: "LAMP", qty: 0)),
        .allocate(Allocate(orderid: "o4", sku: "LAMP", qty: 20)),
        .allocate(Allocate(orderid: "o5", sku: "LAMP", qty: 6)),
        .deallocate(Deallocate(orderid: "o1", sku: "LAMP")),
        .createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 30, eta: Day("2026-02-01"))),
        .changeBatchQuantity(ChangeBatchQuantity(ref: "b9", qty: 3)),
        .ship(Ship(orderid: "o5", sku: "LAMP")),
    ]

    /// Each command's outcome, or its error's words.
    static func run(_ commands: [Command], _ handle: (Command) throws -> Outcome) -> [String] {
        commands.map { command in
            do { return "\(try handle(command))" } catch { return "refused: \(operatorMessage(for: error))" }
        }
    }

    @Test func aGroupGivesTheSameOutcomesEventsAndRowsAsOneTransactionPerCommand() throws {
        let single = try TestDatabase()
        let singleBus = single.makeBus()
        var singleEvents: [Event] = []
        singleBus.subscribe(to: .outOfStock, name: "record") { singleEvents.append($0) }
        let expected = Self.run(Self.commands) { try singleBus.handle($0) }

        let grouped = try TestDatabase()
        let groupedBus = grouped.makeBus()
        var groupedEvents: [Event] = []
        groupedBus.subscribe(to: .outOfStock, name: "record") { groupedEvents.append($0) }
        let group = CommandGroup(bus: groupedBus, commandLimit: 1000, millisecondLimit: 60_000)
        let outcomes = Self.run(Self.commands) { try group.handle($0) }
        #expect(group.uncommitted == Self.commands.count)
        try group.finish()

        #expect(outcomes == expected)
        #expect(expected.filter { $0.hasPrefix("refused") }.count == 4)
        #expect(try grouped.contents() == single.contents())
        #expect(groupedEvents == singleEvents)
        #expect(try grouped.miscountedBatches().isEmpty)
    }

    @Test func aRefusedCommandInTheMiddleChangesNothingAndItsNeighboursApply() throws {
        let store = try TestDatabase()
        let group = CommandGroup(bus: store.makeBus(), commandLimit: 1000, millisecondLimit: 60_000)
        try group.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        #expect(throws: AllocationError.duplicateBatch("b1")) {
            try group.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 99)))
        }
        try group.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        try group.finish()
        #expect(
            try Views.batches(in: store.database).map { "\($0.reference) \($0.purchased) \($0.allocated)" } == [
                "b1 10 4"
            ])
        #expect(try Views.events(in: store.database).map(\.kind) == ["BatchCreated", "Allocated"])
    }

    @Test func eventsAreDispatchedAfterEachCommitInOrderAndNeverForARolledBackCommand() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        let other = try store.openAnotherConnection(access: .readOnly)
        var seen: [String] = []
        for kind in Event.Kind.allCases {
            bus.subscribe(to: kind, name: "record") { event in
                let lines = try other.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } ?? -1
                seen.append("\(event.kind.rawValue) with \(lines) lines visible")
            }
        }
        let group = CommandGroup(bus: bus, commandLimit: 3, millisecondLimit: 60_000)
        try group.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 5)))
        try group.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        #expect(throws: AllocationError.self) {
            try group.handle(.allocate(Allocate(orderid: "o2", sku: "NONE", qty: 1)))
        }
        #expect(seen.isEmpty)
        #expect(group.isDue)
        try group.commit()
        #expect(seen == ["BatchCreated with 1 lines visible", "Allocated with 1 lines visible"])
        try group.handle(.allocate(Allocate(orderid: "o3", sku: "LAMP", qty: 9)))
        #expect(seen.count == 2)
        try group.finish()
        #expect(seen.suffix(1) == ["OutOfStock with 2 lines visible"])
    }

    @Test func aGroupCommitsByCountAndByTime() throws {
        let store = try TestDatabase()
        let other = try store.openAnotherConnection(access: .readOnly)
        func visibleBatches() throws -> Int { try other.queryOne("SELECT count(*) FROM batches") { $0.int(0) } ?? -1 }
        let byCount = CommandGroup(bus: store.makeBus(), commandLimit: 2, millisecondLimit: 60_000)
        try byCount.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 5)))
        #expect(!byCount.isDue)
        try byCount.handle(.createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 5)))
        #expect(byCount.isDue)
        #expect(try visibleBatches() == 0)
        try byCount.commit()
        #expect(try visibleBatches() == 2)

        var now = 1000.0
        let byTime = CommandGroup(bus: store.makeBus(), commandLimit: 1000, millisecondLimit: 30) { now }
        #expect(byTime.secondsLeft == .infinity)
        try byTime.handle(.createBatch(CreateBatch(ref: "b3", sku: "LAMP", qty: 5)))
        #expect(!byTime.isDue)
        #expect(abs(byTime.secondsLeft - 0.030) < 1e-9)
        now += 0.029
        #expect(!byTime.isDue)
        #expect(abs(byTime.secondsLeft - 0.001) < 1e-9)
        now += 0.002
        #expect(byTime.isDue)
        #expect(byTime.secondsLeft == 0)
        try byTime.commit()
        #expect(try visibleBatches() == 3)
        #expect(!store.database.isInTransaction)
    }

    @Test func aDryRunAnswersAsARealRunAndChangesAndDispatchesNothing() throws {
        let real = try TestDatabase()
        let expected = Self.run(Self.commands) { try real.makeBus().handle($0) }
        let store = try TestDatabase()
        let bus = store.makeBus()
        var dispatched = 0
        for kind in Event.Kind.allCases { bus.subscribe(to: kind, name: "count") { _ in dispatched += 1 } }
        let before = try store.contents()
        let group = CommandGroup(bus: bus, commandLimit: 2, millisecondLimit: 1, dryRun: true)
        let outcomes = Self.run(Self.commands) { try group.handle($0) }
        #expect(!group.isDue)
        try group.finish()
        #expect(outcomes == expected)
        #expect(try store.contents() == before)
        #expect(dispatched == 0)
        #expect(store.notifications.isEmpty)
    }

    @Test func aStaleWriteInAGroupIsRetriedInItsOwnSavepoint() throws {
        let store = try TestDatabase()
        let bus = store.makeBus()
        try bus.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        var saves = 0
        store.database.willRun = { [weak db = store.database] sql in
            guard let db, sql.hasPrefix("UPDATE products SET version = ?") else { return }
            saves += 1
            if saves == 1 { try? db.execute("UPDATE products SET version = version + 1 WHERE sku = 'LAMP'") }
        }
        let group = CommandGroup(bus: bus, commandLimit: 1000, millisecondLimit: 60_000)
        #expect(
            try group.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
                == .allocated(batchReference: "b1", wasAlreadyAllocated: false))
        try group.finish()
        #expect(saves == 2)
        #expect(try Product.load(sku: "LAMP", in: store.database)?.version == 2)
        #expect(try Views.events(in: store.database).map(\.kind) == ["BatchCreated", "Allocated"])
    }

    @Test func aDatabaseErrorRollsTheWholeUncommittedGroupBackAndTheNextCommandOpensANewOne() throws {
        let store = try TestDatabase()
        let group = CommandGroup(bus: store.makeBus(), commandLimit: 1000, millisecondLimit: 60_000)
        try group.handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 10)))
        try group.commit()
        try group.handle(.createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 10)))
        // An error the bus does not translate arrives as a DatabaseError, as a full disk would.
        if store.database.isSQLite {
            try store.database.execute(
                "CREATE TEMP TRIGGER broken BEFORE INSERT ON order_lines BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
            )
        } else {
            try store.database.execute(
                """
                CREATE FUNCTION broken() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'disk on fire' USING ERRCODE = 'disk_full'; END $$
                """)
            try store.database.execute(
                "CREATE TRIGGER broken BEFORE INSERT ON order_lines FOR EACH ROW EXECUTE FUNCTION broken()")
        }
        #expect(throws: DatabaseError.self) {
            try group.handle(.allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 4)))
        }
        #expect(!store.database.isInTransaction)
        #expect(group.uncommitted == 0)
        #expect(try Views.batches(in: store.database).map(\.reference) == ["b1"])
        try group.handle(.createBatch(CreateBatch(ref: "b3", sku: "LAMP", qty: 10)))
        try group.finish()
        #expect(try Views.batches(in: store.database).map(\.reference) == ["b1", "b3"])
    }
}
