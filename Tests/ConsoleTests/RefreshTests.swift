import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// What a refresh after a change queries: the shown tab, each other tab once it is shown, and the events once.
@Suite struct RefreshTests {
    let db: ConsoleDatabase
    var state: ConsoleState
    /// The statements run since the fixture was made.
    let statements = Statements()

    final class Statements {
        var run: [String] = []
        var events: Int { run.filter { $0.contains("FROM events") }.count }
    }

    init() throws {
        db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        state = ConsoleState.operatorConsole(database: "stock.sqlite", today: ReloadTests.today)
        state.resize(width: 80, height: 24)
        try state.reload(from: db.database, all: true, follow: false)
        _ = try state.refreshStatus(from: db.database)
        let statements = statements
        db.database.willRun = { statements.run.append($0) }
    }

    /// Presses `key` and carries out the reload it asks for, as the loop would.
    mutating func press(_ key: Key) throws {
        if case .reload(let all) = state.handle(key) {
            try state.reload(from: db.database, all: all, follow: false)
        }
    }

    @Test mutating func aChangeQueriesOnlyTheShownTabAndAnotherOneWhenItIsShown() throws {
        try db.bus.handle(.allocate(Allocate(orderid: "o-new", sku: "RED-LAMP", qty: 1)))
        try state.reload(from: db.database, all: true, follow: true)
        #expect(statements.run.contains { $0.contains("FROM batches") })
        #expect(statements.events == 0)
        #expect(!state.allocations.rows.contains { $0.orderid == "o-new" })
        let eventsBefore = state.events.rows.map(\.id)

        try press(.character("2"))
        #expect(state.allocations.rows.contains { $0.orderid == "o-new" })
        #expect(state.events.rows.map(\.id) == eventsBefore)
        try press(.character("3"))
        #expect(
            state.events.rows.first?.event
                == .allocated(orderid: "o-new", sku: "RED-LAMP", qty: 1, batchref: "B-LAMP-01"))
    }

    @Test mutating func theBatchCountIsRightWhileTheBoardIsNotShown() throws {
        try press(.character("2"))
        let before = state.status.batches
        try db.bus.handle(.createBatch(CreateBatch(ref: "B-NEW", sku: "RED-LAMP", qty: 5)))
        try state.reload(from: db.database, all: true, follow: true)
        _ = try state.refreshStatus(from: db.database)
        #expect(state.status.batches == before + 1)
        #expect(!state.batches.rows.contains { $0.reference == "B-NEW" })
    }

    /// Whether the log is shown or not, one read of the events gives the new events, the last change and the log.
    @Test(arguments: ["1", "3"] as [Character])
    mutating func aRefreshReadsTheEventsOnce(tab: Character) throws {
        try press(.character(tab))
        let seen = try #require(try Views.events(from: Int64.max, newer: false, limit: 1, in: db.database).first)
        try db.bus.handle(.allocate(Allocate(orderid: "o-many", sku: "OAK-TABLE", qty: 999)))
        try db.bus.handle(.allocate(Allocate(orderid: "o-one", sku: "RED-LAMP", qty: 1)))
        statements.run = []
        try state.reload(from: db.database, all: true, follow: true)
        let fresh = try state.refreshStatus(from: db.database)
        // A server's follower reads by transaction, on its own.
        #expect(statements.events == (db.database.isSQLite ? 1 : 2))
        let committed = try Views.events(after: seen.id, in: db.database)
        #expect(fresh == committed)
        #expect(fresh.contains { $0.event == .outOfStock(sku: "OAK-TABLE", orderid: "o-many", qty: 999) })
        let newest = try #require(committed.last)
        #expect(state.newestEvent == newest)
        #expect(state.status.lastChange == TimeColumn.labelled(newest, now: state.now, in: state.zone))
        statements.run = []
        // The last change is labelled again against the time of this refresh (the first was at 1970's).
        state.now = Clock.system.now()
        #expect(
            TimeColumn.labelled(newest, now: 0, in: state.zone)
                != TimeColumn.labelled(newest, now: state.now, in: state.zone))
        try state.reload(from: db.database, all: true, follow: true)
        #expect(try state.refreshStatus(from: db.database).isEmpty)
        #expect(statements.events == (db.database.isSQLite ? 1 : 2))
        #expect(state.newestEvent == newest)
        #expect(state.status.lastChange == TimeColumn.labelled(newest, now: state.now, in: state.zone))
    }
}
