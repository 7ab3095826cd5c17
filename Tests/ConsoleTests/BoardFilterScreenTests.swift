import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// The board's filter, quick filters and orders, and the allocations filter, through keys, a real database file
/// and the rendered screen.
@Suite struct BoardFilterScreenTests {
    let db: ConsoleDatabase
    var state: ConsoleState

    init() throws {
        useUTF8Locale()
        db = try ConsoleDatabase()
        try db.fillDemo(today: ReloadTests.today)
        state = ConsoleState.operatorConsole(database: "stock.sqlite", today: ReloadTests.today)
        state.resize(width: 80, height: 24)
        try state.reload(from: db.database, all: true, follow: false)
    }

    /// Presses `key` and carries out the reload it asks for, as the loop would.
    mutating func press(_ key: Key) throws {
        if case .reload(let all) = state.handle(key) {
            try state.reload(from: db.database, all: all, follow: false)
        }
    }

    mutating func type(_ text: String) throws {
        for character in text { try press(.character(character)) }
        try press(.enter)
    }

    var screen: String { RenderingTests.render(state).text }
    var lines: [String] { screen.components(separatedBy: "\n") }
    var references: [String] { state.batches.rows.map(\.reference) }

    @Test mutating func theFilterNarrowsTheBoardAndItsLineShowsTheCountUnderIntactTitles() throws {
        try press(.character("f"))
        try type("lamp")
        #expect(references == ["B-LAMP-01", "B-LAMP-02"])
        #expect(lines[1].contains("REFERENCE") && lines[1].contains("AVAIL") && lines[1].contains("FILL"))
        #expect(lines[2] == " filter: \"lamp\" 2 of 6  Esc clears", "\(screen)")
        try press(.character("W"))
        #expect(references.isEmpty)
        #expect(screen.contains("No batch matches the filter (Esc clears it)."), "\(screen)")
        try press(.character("W"))
        try press(.character("L"))
        #expect(references.isEmpty)
        try press(.character("f"))
        for _ in 0..<4 { try press(.backspace) }
        try press(.enter)
        #expect(references == ["B-TABLE-77"])
        #expect(lines[2].hasPrefix(" filter: late 1 of 6"), "\(screen)")
        try press(.escape)
        #expect(state.batches.list.count == 6 && !state.batches.filter.isActive && !state.batches.late)
        #expect(lines[2].contains("BLUE-CHAIR"), "the board is back, with no filter line:\n\(screen)")
    }

    @Test mutating func aLongFilterIsCutBeforeItsCountAtEightyColumns() throws {
        try press(.character("f"))
        try type(String(repeating: "x", count: 90))
        try press(.character("E"))
        try press(.character("o"))
        #expect(lines[2].count == 80 && lines[2].hasSuffix("… · empty 0 of 6 · sorted by ETA"), "\(screen)")
    }

    @Test mutating func theFilterDroppingTheSelectedBatchPutsTheCursorOnTheFirstRow() throws {
        try press(.character("G"))
        #expect(state.batches.selected == "B-東京-箱")
        try press(.character("f"))
        try type("b-")
        #expect(state.batches.selected == "B-東京-箱", "still matching, still selected")
        try press(.character("f"))
        try type("lamp")
        #expect(state.batches.selected == "B-LAMP-01" && state.batches.list.cursor == 0)
    }

    @Test mutating func sortsAreFlatListsAndTheCursorFollowsItsBatch() throws {
        try press(.character("j"))
        #expect(state.batches.selected == "B-TABLE-77")
        try press(.character("o"))
        #expect(state.batches.sort == .eta)
        #expect(references.first == "B-TABLE-77" && state.batches.selected == "B-TABLE-77")
        try press(.character("o"))
        #expect(state.batches.sort == .available)
        #expect(references.first == "B-TABLE-77", "the emptiest first")
        #expect(lines[2] == " sorted by available, least first", "\(screen)")
        #expect(!screen.contains("─ RED-LAMP ─"), "a flat list has no SKU headings:\n\(screen)")
        #expect(state.batches.selected == "B-TABLE-77")
        try press(.character("o"))
        #expect(state.batches.sort == .fill && references.prefix(2) == ["B-TABLE-77", "B-CHAIR-9"])
        try press(.character("o"))
        #expect(state.batches.sort == .preference && screen.contains("─ RED-LAMP ─"))
        try press(.escape)
        #expect(state.batches.sort == .preference, "Esc clears the filter and the search, not the order")
    }

    @Test mutating func searchStepsOnlyThroughTheFilteredBoard() throws {
        try press(.character("L"))
        try press(.character("/"))
        try type("b-")
        #expect(state.batches.selected == "B-TABLE-77")
        try press(.character("n"))
        #expect(state.batches.selected == "B-TABLE-77", "the one late batch is the only match")
        try press(.character("/"))
        for _ in 0..<2 { try press(.backspace) }
        try type("lamp")
        #expect(state.status.message == "no batch reference or SKU contains \"lamp\" on the filtered board")
    }

    @Test func theMonitorFiltersTooAsNothingChanges() throws {
        var monitor = ConsoleState.monitor(database: "stock.sqlite", today: ReloadTests.today)
        monitor.resize(width: 80, height: 24)
        _ = monitor.handle(.tab)
        #expect(monitor.monitor.focus == .log)
        #expect(monitor.handle(.character("E")).text == "reload(all: false)")
        try monitor.reload(from: db.database, all: false, follow: false)
        #expect(monitor.monitor.focus == .board)
        #expect(monitor.batches.rows.map(\.reference) == ["B-TABLE-77"])
        #expect(RenderingTests.render(monitor).text.contains("filter: empty 1 of 6"))
    }

    @Test mutating func theAllocationsFilterLabelLeavesTheBatchTitleWhole() throws {
        try press(.character("2"))
        try press(.character("/"))
        try type("lamp")
        #expect(state.allocations.rows.map(\.orderid) == ["o-1001"])
        let header = lines[1]
        #expect(header.contains(" BATCH ") && header.hasSuffix(" filter: lamp (1)"), "\(screen)")
        try press(.character("/"))
        for _ in 0..<4 { try press(.backspace) }
        try type("a-very-long-filter-text-indeed")
        state.allocations.matching = AllocationsScreen.countLimit + 1
        let cut = lines[1]
        #expect(cut.contains(" QTY BATCH filter: ") && cut.hasSuffix("… (10000+)"), "\(screen)")
    }
}
