import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// The one step that queries: on a real database file, only visible rows, and the cursor follows its batch.
@Suite struct ReloadTests {
    static let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)

    /// The demo-like database and an 80×21 board loaded from it.
    static func demoBoard() throws -> (ConsoleDatabase, Database, BatchesScreen) {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: today)
        let database = db.database
        var board = BatchesScreen()
        board.resize(height: 21)
        _ = try board.reload(from: database, follow: false)
        return (db, database, board)
    }

    @Test func boardFetchesOnlyWhatFitsFromALargeDatabase() throws {
        let db = try ConsoleDatabase()
        for number in 0..<300 {
            try db.bus.handle(.createBatch(CreateBatch(ref: "B-\(number)", sku: "SKU-\(number / 30)", qty: 10)))
        }
        var board = BatchesScreen()
        board.resize(height: 21)
        _ = try board.reload(from: db.database, follow: false)
        #expect(board.list.count == 300)
        #expect(board.rows.count == 19)
        _ = board.list.move(.bottom)
        _ = try board.reload(from: db.database, follow: false)
        #expect(board.selected == "B-299")
        #expect(board.rows.count <= 20)
    }

    @Test func cursorStaysOnTheSameBatchWhenRowsAreInsertedAboveIt() throws {
        let (db, database, loaded) = try ReloadTests.demoBoard()
        var board = loaded
        while board.selected != "B-LAMP-02" {
            _ = board.list.move(.down)
            _ = try board.reload(from: database, follow: false)
        }
        try db.bus.handle(.createBatch(CreateBatch(ref: "A-FIRST", sku: "AAA", qty: 1)))
        try db.bus.handle(.createBatch(CreateBatch(ref: "B-LAMP-00", sku: "RED-LAMP", qty: 1)))
        _ = try board.reload(from: database, follow: true)
        #expect(board.selected == "B-LAMP-02")
        #expect(board.selectedRow?.reference == "B-LAMP-02")
    }

    @Test func searchStepsThroughMatchesAndWraps() throws {
        let (db, database, loaded) = try ReloadTests.demoBoard()
        var board = loaded
        board.apply(query: "lamp")
        _ = try board.reload(from: database, follow: false)
        #expect(board.selected == "B-LAMP-01")
        _ = board.perform(.nextMatch)
        _ = try board.reload(from: database, follow: false)
        #expect(board.selected == "B-LAMP-02")
        _ = board.perform(.nextMatch)
        _ = try board.reload(from: database, follow: false)
        #expect(board.selected == "B-LAMP-01")
        _ = board.perform(.previousMatch)
        _ = try board.reload(from: database, follow: false)
        #expect(board.selected == "B-LAMP-02")
        board.apply(query: "nothing-like-this")
        let message = try board.reload(from: database, follow: false)
        #expect(message == "no batch reference or SKU contains \"nothing-like-this\"")
        withExtendedLifetime(db) {}
    }

    @Test func allocationsFilterByOrderOrSKUShowingWaitingLinesToo() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var lines = AllocationsScreen()
        lines.resize(height: 21)
        lines.apply(query: "OAK-TABLE")
        _ = try lines.reload(from: db.database)
        #expect(lines.rows.map(\.orderid) == ["o-1004", "o-1002"])
        #expect(lines.rows.first?.status.name == "waiting")
        lines.apply(query: "o-1001")
        _ = try lines.reload(from: db.database)
        #expect(lines.rows.map(\.sku) == ["RED-LAMP"])
    }
}

/// Keyset paging of the newest-first lists: moving through them never counts or skips the whole table.
@Suite struct KeysetPagingTests {
    @Test func eventLogPagesToTheOldestAndBackToTheLiveTail() throws {
        let db = try ConsoleDatabase()
        for number in 0..<45 {
            try db.bus.handle(.createBatch(CreateBatch(ref: "B-\(number)", sku: "SKU", qty: 1)))
        }
        let database = db.database
        var log = EventsScreen()
        log.resize(height: 11)
        try log.reload(from: database)
        #expect(log.rows.map(\.id) == Array((36...45).reversed()))
        _ = log.perform(.pageDown)
        try log.reload(from: database)
        #expect(log.rows.map(\.id) == Array((26...35).reversed()))
        _ = log.perform(.bottom)
        try log.reload(from: database)
        #expect(log.rows.map(\.id) == Array((1...10).reversed()))
        #expect(log.rows[log.list.cursor].id == 1)
        _ = log.perform(.down)
        try log.reload(from: database)
        #expect(log.rows.first?.id == 10, "nothing older than the first event")
        _ = log.perform(.pageUp)
        try log.reload(from: database)
        #expect(log.rows.map(\.id) == Array((11...20).reversed()))
        for _ in 0..<9 {
            _ = log.perform(.up)
            try log.reload(from: database)
        }
        #expect(log.rows[log.list.cursor].id == 20)
        _ = log.perform(.up)
        try log.reload(from: database)
        #expect(log.rows.map(\.id) == Array((12...21).reversed()), "scrolled by one")
        _ = log.perform(.top)
        try log.reload(from: database)
        try db.bus.handle(.createBatch(CreateBatch(ref: "B-new", sku: "SKU", qty: 1)))
        try log.reload(from: database)
        #expect(log.rows.first?.id == 46, "the top of the log follows new events")
    }
}
