import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// The filters that narrow as they are typed, the event log's filter and Enter, the monitor's hints from its mode,
/// its collapsed repeats and its stale marker.
@Suite struct LiveFilterTests {
    /// The operator console on the demo-like database, 80×24, loaded.
    static func console(_ db: ConsoleDatabase) throws -> ConsoleState {
        var state = ConsoleState.operatorConsole(database: "stock.sqlite", today: ReloadTests.today)
        state.resize(width: 80, height: 24)
        try state.reload(from: db.database, all: true, follow: false)
        return state
    }

    /// Types `text` key by key, carrying out each reload as the loop would.
    static func type(_ text: String, into state: inout ConsoleState, on database: Database) throws {
        for character in text {
            if case .reload = state.handle(.character(character)) {
                try state.reload(from: database, all: false, follow: false)
            }
        }
    }

    @Test func thePromptEditsKeepsOnEnterAndPutsTheFilterBackOnEsc() {
        var prompt = FilterPrompt(subject: "reference or SKU", text: "la")
        #expect(prompt.handle(.character("m")) == .edited)
        #expect(prompt.handle(.backspace) == .edited)
        #expect(prompt.handle(.character("\u{7}")) == .ignored)
        #expect(prompt.text == "la")
        #expect(prompt.handle(.character("x")) == .edited)
        #expect(prompt.handle(.escape) == .cancelled)
        #expect(prompt.text == "la")
        #expect(prompt.handle(.control("u")) == .edited)
        #expect(prompt.text.isEmpty)
        #expect(prompt.handle(.enter) == .kept)
        #expect(FilterPrompt.count(10_001, of: 20_000, limit: 10_000) == "10000+ of 10000+")
        #expect(FilterPrompt.count(2, of: 6, limit: 10_000) == "2 of 6")
    }

    @Test func theBoardNarrowsWithEachKeyAndCountsAsItIsTyped() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var state = try LiveFilterTests.console(db)
        _ = state.handle(.character("f"))
        guard case .filter = state.overlay else {
            Issue.record("f opened no filter prompt")
            return
        }
        try LiveFilterTests.type("l", into: &state, on: db.database)
        // Every batch but B-東京-箱 has an l in its reference or SKU.
        #expect(state.filterCount == "5 of 6")
        try LiveFilterTests.type("am", into: &state, on: db.database)
        #expect(state.filterCount == "2 of 6")
        #expect(state.batches.rows.map(\.reference) == ["B-LAMP-01", "B-LAMP-02"])
        let canvas = RenderingTests.render(state)
        #expect(canvas.line(23).hasPrefix(" filter (reference or SKU): lam_  2 of 6"), "\(canvas.text)")
        _ = state.handle(.escape)
        try state.reload(from: db.database, all: false, follow: false)
        #expect(state.overlay == nil && state.batches.filter.text.isEmpty && state.batches.rows.count > 2)
    }

    @Test func aFilterThatMatchesNothingStaysAndCountsZero() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var state = try LiveFilterTests.console(db)
        _ = state.handle(.character("f"))
        try LiveFilterTests.type("zzz", into: &state, on: db.database)
        #expect(state.filterCount == "0 of 6")
        try db.bus.handle(.createBatch(CreateBatch(ref: "B-ZZZ-1", sku: "RED-LAMP", qty: 1)))
        try state.reload(from: db.database, all: true, follow: true)
        #expect(state.filterCount == "1 of 7")
        #expect(state.batches.rows.map(\.reference) == ["B-ZZZ-1"])
    }

    @Test func theAllocationsFilterTakesABatchReference() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var state = try LiveFilterTests.console(db)
        _ = state.handle(.character("2"))
        try state.reload(from: db.database, all: false, follow: false)
        _ = state.handle(.character("/"))
        try LiveFilterTests.type("table-77", into: &state, on: db.database)
        #expect(state.allocations.rows.map(\.orderid) == ["o-1002"])
        #expect(state.filterCount == "1 of 4")
    }

    @Test func theEventFilterFindsOrdersSKUsOperatorsAndKindsByTheirWords() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var state = try LiveFilterTests.console(db)
        _ = state.handle(.character("3"))
        try state.reload(from: db.database, all: false, follow: false)
        _ = state.handle(.character("/"))
        try LiveFilterTests.type("out of stock", into: &state, on: db.database)
        #expect(state.events.rows.map(\.event.kind) == [.outOfStock])
        #expect(state.filterCount == "1 of 10")
        _ = state.handle(.control("u"))
        try LiveFilterTests.type("oak-table", into: &state, on: db.database)
        #expect(state.events.rows.map(\.id) == [10, 8, 3])
        #expect(EventsScreen.eventFilter("delayed").kinds == [.ordersDelayed])
        #expect(EventsScreen.eventFilter("new batch").kinds == [.batchCreated])
    }

    @Test func enterOnAnEventOpensItsOrderElseItsBatch() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        var state = try LiveFilterTests.console(db)
        _ = state.handle(.character("3"))
        try state.reload(from: db.database, all: false, follow: false)
        #expect(state.events.selectedRow?.event.orderid == "o-1004")
        _ = state.handle(.enter)
        guard case .history(let order) = state.overlay else {
            Issue.record("no history panel")
            return
        }
        #expect(order.subject == .order("o-1004"))
        _ = state.handle(.escape)
        for _ in 0..<4 {
            _ = state.handle(.down)
            try state.reload(from: db.database, all: false, follow: false)
        }
        #expect(state.events.selectedRow?.event.kind == .batchCreated)
        _ = state.handle(.enter)
        guard case .history(let batch) = state.overlay else {
            Issue.record("no history panel")
            return
        }
        #expect(batch.subject == .batch("B-VERY-LONG-REFERENCE-NUMBER-2026-0001"))
    }

    static func outOfStock(_ id: Int64, _ sku: String, at time: String) -> EventRow {
        EventRow(id: id, at: "2026-11-25T\(time).000Z", event: .outOfStock(sku: sku, orderid: "o-\(id)", qty: 1))
    }

    @Test func consecutiveRepeatsOfAKindAndSKUCollapseIntoOneEntry() {
        let rows = [
            LiveFilterTests.outOfStock(9, "FLOOR-LAMP", at: "10:42:30"),
            LiveFilterTests.outOfStock(8, "FLOOR-LAMP", at: "10:41:59"),
            LiveFilterTests.outOfStock(7, "FLOOR-LAMP", at: "10:41:02"),
            LiveFilterTests.outOfStock(6, "DESK", at: "10:41:01"),
            LiveFilterTests.outOfStock(5, "FLOOR-LAMP", at: "10:41:00"),
            EventRow(id: 4, at: "2026-11-25T10:40:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 0)),
            EventRow(id: 3, at: "2026-11-25T10:40:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 0)),
            EventRow(
                id: 2, at: "2026-11-25T10:39:00.000Z",
                event: .allocated(orderid: "o-2", sku: "FLOOR-LAMP", qty: 1, batchref: "B-1")),
        ]
        let entries = LogEntry.collapse(rows)
        #expect(entries.map { $0.rows.map(\.id) } == [[9, 8, 7], [6], [5], [4], [3], [2]])
        #expect(entries[0].summary(in: .utc, glyphs: .unicode) == "FLOOR-LAMP ×3, 10:41–10:42")
        #expect(entries[0].summary(in: .utc, glyphs: .ascii) == "FLOOR-LAMP x3, 10:41-10:42")
        #expect(entries[1].summary(in: .utc, glyphs: .unicode) == nil)
        let sameMinute = LogEntry.collapse(Array(rows[1...2]))
        #expect(sameMinute.first?.summary(in: .utc, glyphs: .unicode) == "FLOOR-LAMP ×2, 10:41")
    }

    @Test func theMonitorsLogShowsARunAsOneRow() {
        var state = RenderingTests.console(width: 80, height: 24)
        var monitor = ConsoleState.monitor(database: "stock.sqlite", today: ReloadTests.today)
        monitor.resize(width: 80, height: 24)
        monitor.batches = state.batches
        monitor.events.rows =
            (1...40).reversed().map {
                LiveFilterTests.outOfStock(Int64($0 + 1), "FLOOR-LAMP", at: "10:4\($0 / 20):00")
            } + [RenderingTests.events[2]]
        monitor.now = RenderingTests.now
        let text = RenderingTests.render(monitor).text
        #expect(text.contains("OUT OF STOCK FLOOR-LAMP ×40, 10:40–10:42"), "\(text)")
        #expect(text.contains("qty changed  B-LAMP-01 now 100"), "\(text)")
        _ = state.handle(.character("3"))
        state.events.rows = monitor.events.rows
        #expect(RenderingTests.render(state).text.contains("FLOOR-LAMP: o-41 ×1 waits"), "the operator's log")
    }

    @Test func theMonitorsCollapsedLogStillScrollsToTheOldestEvent() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        try db.bus.handle(.createBatch(CreateBatch(ref: "B-FLOOR-1", sku: "FLOOR-LAMP", qty: 1)))
        for number in 0..<30 {
            try db.bus.handle(.allocate(Allocate(orderid: "o-f\(number)", sku: "FLOOR-LAMP", qty: 1)))
        }
        var state = ConsoleState.monitor(database: "stock.sqlite", today: ReloadTests.today)
        state.resize(width: 80, height: 24)
        try state.reload(from: db.database, all: true, follow: false)
        let first = try #require(state.events.entries.first)
        #expect(first.rows.count == 29 && first.newest.event.kind == .outOfStock)
        _ = state.handle(.tab)
        var seen: Set<Int64> = []
        for _ in 0..<60 {
            _ = state.handle(.down)
            try state.reload(from: db.database, all: false, follow: false)
            if let row = state.events.selectedRow { seen.insert(row.id) }
        }
        #expect(seen.contains(1), "the first event, B-LAMP-01's, is reached: \(seen.sorted())")
    }

    @Test func theMonitorsHintsAre80ColumnsOfWhatItAllows() {
        useUTF8Locale()
        var state = ConsoleState.monitor(database: "stock.sqlite", today: ReloadTests.today)
        state.resize(width: 80, height: 24)
        let hints = KeyMap.monitor.hints(readOnly: true)
        #expect(hints.allSatisfy { !$0.mutating })
        #expect(hints.map(\.label) == ["f", "L", "E", "W", "o", "/", "Tab", "?", "q"])
        let canvas = RenderingTests.render(state)
        #expect(canvas.line(23) == " f filter  L late  E empty  W waiting  o order  Tab panel  ? help  q quit")
        #expect(KeyMap.batches.hints(readOnly: false).map(\.label) == KeyMap.batches.hints.map(\.label))
    }

    @Test func theTitleLineSaysTheDataIsStaleUntilItIsFreshAgain() {
        var state = RenderingTests.console(width: 80, height: 24)
        state.staleSince = "10:42:07"
        let canvas = RenderingTests.render(state)
        // At 80 columns the tabs leave no room for the day beside it: the marker takes the day's place.
        #expect(canvas.line(0).hasSuffix("3 Events           stale: data as of 10:42:07"), "\(canvas.line(0))")
        #expect(canvas[x: 60, y: 0].style == .alert)
        var monitor = ConsoleState.monitor(database: "stock.sqlite", today: ReloadTests.today)
        monitor.resize(width: 80, height: 24)
        monitor.staleSince = "10:42:07"
        let line = RenderingTests.render(monitor).line(0)
        #expect(line.hasSuffix(" stale: data as of 10:42:07 │ 2026-11-25"), "\(line)")
    }
}
