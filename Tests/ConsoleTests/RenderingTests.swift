import Allocation
import Testing

@testable import Allocation
@testable import Console

/// The pure render step: given a state and a size, the screen text is what an operator should see.
@Suite struct RenderingTests {
    static let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)

    static let batches: [BatchRow] = [
        BatchRow(
            reference: "B-CHAIR-9", sku: "BLUE-CHAIR", eta: today.adding(days: 14), purchased: 30,
            allocated: 10),
        BatchRow(
            reference: "B-TABLE-77", sku: "OAK-TABLE", eta: today.adding(days: -2), purchased: 20,
            allocated: 20),
        BatchRow(reference: "B-LAMP-01", sku: "RED-LAMP", eta: nil, purchased: 100, allocated: 30),
        BatchRow(reference: "B-LAMP-02", sku: "RED-LAMP", eta: today, purchased: 50, allocated: 0),
        BatchRow(reference: "B-LAMP-03", sku: "RED-LAMP", eta: today.adding(days: 3), purchased: 50, allocated: 0),
        BatchRow(
            reference: "B-VERY-LONG-REFERENCE-NUMBER-2026-0001", sku: "SMALL-TABLE", eta: nil, purchased: 5,
            allocated: 0),
        BatchRow(reference: "B-東京-箱", sku: "在庫-ランプ", eta: nil, purchased: 12, allocated: 0),
    ]

    static let totals: [String: SKUTotals] = [
        "BLUE-CHAIR": SKUTotals(sku: "BLUE-CHAIR", batches: 1, purchased: 30, allocated: 10),
        "OAK-TABLE": SKUTotals(sku: "OAK-TABLE", batches: 1, purchased: 20, allocated: 20, waiting: 5),
        "RED-LAMP": SKUTotals(sku: "RED-LAMP", batches: 3, purchased: 200, allocated: 30),
        "SMALL-TABLE": SKUTotals(sku: "SMALL-TABLE", batches: 1, purchased: 5, allocated: 0),
        "在庫-ランプ": SKUTotals(sku: "在庫-ランプ", batches: 1, purchased: 12, allocated: 0),
    ]

    static let events: [EventRow] = [
        EventRow(
            id: 4, at: "2026-11-25T10:15:02.120Z", event: .outOfStock(sku: "OAK-TABLE", orderid: "o-1004", qty: 5),
            operator: "ana"),
        EventRow(
            id: 3, at: "2026-11-25T10:15:01.000Z",
            event: .allocated(orderid: "o-1001", sku: "RED-LAMP", qty: 30, batchref: "B-LAMP-01")),
        EventRow(id: 2, at: "2026-11-25T10:14:00.000Z", event: .batchQuantityChanged(ref: "B-LAMP-01", qty: 100)),
        EventRow(
            id: 1, at: "2026-11-25T10:13:00.000Z",
            event: .batchCreated(ref: "B-LAMP-01", sku: "RED-LAMP", qty: 90, eta: nil)),
    ]

    /// The operator console at a size, with the board showing `rows` (as a reload would have left it).
    static func console(width: Int, height: Int, rows: [BatchRow] = batches, cursor: Int = 2) -> ConsoleState {
        useUTF8Locale()
        var state = ConsoleState.operatorConsole(database: "stock.sqlite", today: today)
        state.resize(width: width, height: height)
        var board = BatchesScreen()
        board.resize(height: height - 3)
        board.list.count = rows.count
        board.list.cursor = cursor
        board.rows = Array(rows.prefix(BatchesScreen.fitting(rows, lines: board.list.pageSize)))
        board.totals = totals
        state.batches = board
        var log = EventsScreen()
        log.resize(height: height - 3)
        log.rows = events
        state.events = log
        var lines = AllocationsScreen()
        lines.resize(height: height - 3)
        lines.rows = [
            Views.LineRow(
                id: 3, orderid: "o-0999", sku: "RED-LAMP", qty: 4,
                status: .shipped(at: "2026-11-25T11:00:00.000Z", from: "B-LAMP-01")),
            Views.LineRow(
                id: 2, orderid: "o-1004", sku: "OAK-TABLE", qty: 5,
                status: .waiting(since: "2026-11-25T10:15:02.120Z")),
            Views.LineRow(
                id: 1, orderid: "o-1001", sku: "RED-LAMP", qty: 30, status: .allocated(batchref: "B-LAMP-01")),
        ]
        state.allocations = lines
        state.status.batches = rows.count
        state.status.skus = 5
        state.status.lastChange = "10:15:02 UTC"
        state.now = now
        return state
    }

    /// 12:16 on ``today``: two hours after the waiting line of the fixture started waiting.
    static let now = Double(today.daysSinceEpoch * 86_400 + 12 * 3600 + 16 * 60)

    static func render(_ state: ConsoleState, glyphs: Glyphs = .unicode) -> Canvas {
        var canvas = Canvas(width: state.width, height: state.height, glyphs: glyphs)
        state.render(into: &canvas)
        return canvas
    }

    @Test(arguments: [(80, 24), (132, 40), (40, 10)])
    func batchesBoard(width: Int, height: Int) {
        let canvas = RenderingTests.render(RenderingTests.console(width: width, height: height))
        assertSnapshot(canvas.text, named: "batchesBoard-\(width)x\(height)")
    }

    @Test func boardShowsRelativeETAWordsAndTotalsPerSKU() {
        let text = RenderingTests.render(RenderingTests.console(width: 80, height: 24)).text
        #expect(text.contains("2026-12-09 in 14d"))
        #expect(text.contains("2026-11-23 2d late"))
        #expect(text.contains("2026-11-25 today"))
        #expect(text.contains("in stock"))
        #expect(text.contains("─ RED-LAMP ─ 3 batches · 200 purchased · 30 allocated · 170 available"))
        #expect(text.contains("> B-LAMP-01"))
    }

    /// Once a batch shown has shipped something, what was bought, what shipped and what is on hand each get a
    /// column where they fit whole beside the references, giving up the ETA's date first (its word stays), and
    /// narrower still on hand replaces purchased: every row adds up.
    @Test func aBoardWithShipmentsShowsWhatWasBoughtWhatShippedAndWhatIsOnHand() {
        let shipped = [
            BatchRow(reference: "B-LAMP-01", sku: "RED-LAMP", eta: nil, purchased: 50, shipped: 2, allocated: 10),
            BatchRow(reference: "B-LAMP-02", sku: "RED-LAMP", eta: RenderingTests.today, purchased: 30, allocated: 0),
        ]
        var state = RenderingTests.console(width: 100, height: 24, rows: shipped, cursor: 0)
        state.batches.totals = [
            "RED-LAMP": SKUTotals(sku: "RED-LAMP", batches: 2, purchased: 80, shipped: 2, allocated: 10)
        ]
        let wide = RenderingTests.render(state).text.split(separator: "\n").map(String.init)
        #expect(wide[1].contains("PURCH   SHIP ONHAND  ALLOC  AVAIL FILL"), "\(wide[1])")
        let row = wide.first { $0.contains("B-LAMP-01") } ?? ""
        #expect(row.contains("in stock     50      2     48     10     38"), "\(row)")
        let heading = "─ RED-LAMP ─ 2 batches · 80 purchased · 2 shipped · 10 allocated · 68 available"
        #expect(wide.contains { $0.contains(heading) }, "\(wide)")

        state = RenderingTests.console(width: 72, height: 24, rows: shipped, cursor: 0)
        let dateless = RenderingTests.render(state).text.split(separator: "\n").map(String.init)
        #expect(dateless[1].contains("ETA       PURCH   SHIP ONHAND  ALLOC  AVAIL FILL"), "\(dateless[1])")
        let arriving = dateless.first { $0.contains("B-LAMP-02") } ?? ""
        #expect(arriving.contains("RED-LAMP today        30      0     30      0     30"), "\(dateless)")
        #expect(!arriving.contains("2026-11-25"))

        state = RenderingTests.console(width: 66, height: 24, rows: shipped, cursor: 0)
        let narrow = RenderingTests.render(state).text.split(separator: "\n").map(String.init)
        #expect(narrow[1].contains("ONHAND  ALLOC  AVAIL"), "\(narrow[1])")
        #expect(!narrow[1].contains("PURCH"))
        let narrowRow = narrow.first { $0.contains("B-LAMP-01") } ?? ""
        #expect(narrowRow.contains("48     10     38"), "\(narrow)")
        #expect(narrowRow.contains("B-LAMP-01"))
    }

    @Test func aBoardWithoutShipmentsKeepsItsThreeQuantities() {
        let header = RenderingTests.render(RenderingTests.console(width: 132, height: 40)).line(1)
        #expect(header.contains("PURCH  ALLOC  AVAIL FILL") && !header.contains("SHIP"), "\(header)")
    }

    @Test func longReferenceIsCutWithAnEllipsisAndTheNextColumnStaysPut() {
        let canvas = RenderingTests.render(RenderingTests.console(width: 80, height: 24))
        let row = canvas.text.split(separator: "\n").first { $0.contains("SMALL-TABLE") && $0.contains("B-VERY") }
        let line = String(row ?? "")
        // The SKUs are narrower: the reference takes the room the SKU column does not need.
        #expect(line.contains("B-VERY-LONG-REFEREN… SMALL-TABLE"))
        let header = canvas.line(1)
        #expect(
            header.firstRange(of: "SKU")?.lowerBound.utf16Offset(in: header)
                == line.firstRange(of: "SMALL-TABLE")?.lowerBound.utf16Offset(in: line))
    }

    @Test func wideCharactersTakeTwoCellsAndKeepColumnsAligned() throws {
        let canvas = RenderingTests.render(RenderingTests.console(width: 80, height: 24))
        let y = try #require((0..<canvas.height).first { canvas.line($0).contains("B-東京-箱") }, "\(canvas.text)")
        let ascii = try #require((0..<canvas.height).first { canvas.line($0).contains("B-LAMP-01") })
        func column(of text: String, in row: Int) -> Int? {
            var x = 0
            var cells: [String] = []
            while x < canvas.width {
                cells.append(canvas[x: x, y: row].text)
                x += 1
            }
            let first = text.first.map(String.init)
            return cells.indices.first { index in
                cells[index] == first && cells[index...].joined().hasPrefix(text)
            }
        }
        #expect(canvas[x: 4, y: y].text == "東")
        #expect(canvas[x: 5, y: y].text == "")
        #expect(column(of: "在庫", in: y) == column(of: "RED-LAMP", in: ascii))
        #expect(column(of: "in stock", in: y) == column(of: "in stock", in: ascii))
    }

    @Test func controlCharactersAndEscapesFromTheDatabaseAreShownAsMarks() {
        let hostile = [
            BatchRow(reference: "B-\u{1B}[31mRED", sku: "SKU\u{7}\u{9B}X", eta: nil, purchased: 1, allocated: 0),
            BatchRow(reference: "B-\u{202E}evil\u{2028}", sku: "SKU\u{9B}X", eta: nil, purchased: 1, allocated: 0),
        ]
        let canvas = RenderingTests.render(RenderingTests.console(width: 80, height: 24, rows: hostile, cursor: 0))
        let text = canvas.text
        #expect(text.contains("B-�[31mRED"))
        #expect(text.contains("SKU��X"))
        #expect(text.contains("B-�evil�"))
        let unsafe = canvas.cells.flatMap { $0.text.unicodeScalars }.filter(Validation.isControl)
        #expect(unsafe.isEmpty)
    }

    @Test func asciiGlyphsWhenTheLocaleIsNotUTF8() {
        let canvas = RenderingTests.render(RenderingTests.console(width: 80, height: 24), glyphs: .ascii)
        let text = canvas.text
        #expect(text.contains("- RED-LAMP - 3 batches - 200 purchased"))
        #expect(text.contains("B-LAMP-01            RED-LAMP               in stock    100     30     70 #..."))
        #expect(text.contains("B-VERY-LONG-REFEREN~ SMALL-TABLE"))
        #expect(!text.contains("─"))
    }

    @Test func allocationsScreen() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("2"))
        assertSnapshot(RenderingTests.render(state).text, named: "allocations-80x24")
    }

    @Test func eventLogHighlightsOutOfStockNewestFirst() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("3"))
        let canvas = RenderingTests.render(state)
        assertSnapshot(canvas.text, named: "events-80x24")
        #expect(canvas.line(2).contains("OUT OF STOCK OAK-TABLE"))
        #expect(canvas[x: 20, y: 3].style == .normal)
        #expect(canvas[x: 20, y: 2].style == .selected)
        state.events.list.cursor = 1
        #expect(RenderingTests.render(state)[x: 20, y: 2].style == .alert)
        #expect(RenderingTests.render(state)[x: 20, y: 3].style == .selected)
    }

    @Test func allocateFormOverTheBoard() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("a"))
        for character in "o-7" { _ = state.handle(.character(character)) }
        let canvas = RenderingTests.render(state)
        assertSnapshot(canvas.text, named: "allocateForm-80x24")
        #expect(canvas.text.contains("SKU:           RED-LAMP"))
    }

    @Test func helpOverlayAt40x10IsCutNotWrapped() {
        var state = RenderingTests.console(width: 40, height: 10)
        _ = state.handle(.character("?"))
        let canvas = RenderingTests.render(state)
        assertSnapshot(canvas.text, named: "help-40x10")
        #expect(canvas.text.split(separator: "\n").allSatisfy { TerminalText.width(String($0)) <= 40 })
    }

    @Test(arguments: [(80, 24), (132, 40)])
    func monitorShowsBoardAndEventLog(width: Int, height: Int) {
        useUTF8Locale()
        var state = ConsoleState.monitor(database: "stock.sqlite", today: RenderingTests.today)
        state.resize(width: width, height: height)
        let rows = RenderingTests.batches
        state.batches.rows = Array(rows.prefix(BatchesScreen.fitting(rows, lines: state.batches.list.pageSize)))
        state.batches.list.count = rows.count
        state.batches.totals = RenderingTests.totals
        // As a reload would: the layout makes room for the widest reference, and the board is queried again.
        if state.monitor.fit(board: &state.batches, log: &state.events) {
            state.batches.rows = Array(rows.prefix(BatchesScreen.fitting(rows, lines: state.batches.list.pageSize)))
        }
        state.events.rows = RenderingTests.events
        state.status.batches = RenderingTests.batches.count
        state.status.skus = 5
        state.status.lastChange = "10:15:02 UTC"
        state.now = RenderingTests.now
        let text = RenderingTests.render(state).text
        assertSnapshot(text, named: "monitor-\(width)x\(height)")
        #expect(text.contains("MONITOR read-only"))
        #expect(text.contains("OUT OF STOCK OAK-TABLE"))
    }
}

/// Tiny terminals must not crash the pure render step, whatever is open.
@Suite struct TinyTerminalTests {
    @Test(arguments: [(1, 1), (2, 2), (10, 3), (20, 4), (20, 5), (21, 6), (30, 7), (0, 0)])
    func everyScreenAndOverlayRendersAtTinySizes(width: Int, height: Int) {
        for key: Key in [.character("1"), .character("2"), .character("3"), .character("?"), .character("a")] {
            var state = RenderingTests.console(width: width, height: height)
            _ = state.handle(key)
            let canvas = RenderingTests.render(state)
            #expect(canvas.text.split(separator: "\n").allSatisfy { TerminalText.width(String($0)) <= width })
        }
        var monitor = ConsoleState.monitor(database: "stock.sqlite", today: RenderingTests.today)
        monitor.resize(width: width, height: height)
        for key: Key in [.character("?"), .escape, .tab] {
            _ = monitor.handle(key)
            let canvas = RenderingTests.render(monitor)
            #expect(canvas.text.split(separator: "\n").allSatisfy { TerminalText.width(String($0)) <= width })
        }
    }

    @Test(arguments: [(20, 5), (29, 24), (80, 6)])
    func aFormThatDoesNotFitAsksForABiggerTerminalInsteadOfABrokenBox(width: Int, height: Int) {
        var state = RenderingTests.console(width: width, height: height)
        _ = state.handle(.character("a"))
        let canvas = RenderingTests.render(state)
        #expect(canvas.line(1).hasPrefix("make the terminal"), "\(canvas.text)")
        #expect(!canvas.text.contains("Enter next") && !canvas.text.contains("Order id"), "\(canvas.text)")
    }

    /// At 40 columns the allocate form's note is wrapped over two lines, not cut.
    @Test func aFormThatJustFitsDropsOnlyTheBlankLine() {
        var state = RenderingTests.console(width: 40, height: 11)
        _ = state.handle(.character("a"))
        let text = RenderingTests.render(state).text
        for expected in ["Allocate", "Goes to the", "Order id:", "SKU:", "Quantity:", "Enter next"] {
            #expect(text.contains(expected), "\(text)")
        }
        _ = state.handle(.character(" "))
        #expect(RenderingTests.render(state).text.contains("make the terminal"), "a problem line no longer fits")
    }

    @Test func belowTheMinimumItAsksForABiggerTerminal() {
        let canvas = RenderingTests.render(RenderingTests.console(width: 19, height: 24))
        #expect(canvas.line(0) == "too small (20×5)")
    }
}
