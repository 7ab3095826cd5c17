import Allocation
import Foundation
import TestSupport
import Testing

@testable import Console

/// README's story, replayed in-process (a test keeps it alive while its consoles draw: a server's test schema
/// is dropped with it): the demo-like database its captures show (`STOCK_CLOCK=2026-11-25`,
/// `TZ=UTC`, the operator `ana`), and consoles over it driven key by key as the loop drives them.
final class ReadmeStory {
    static let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)

    let files: ConsoleDatabase
    let settings: Settings
    let bus: MessageBus

    /// A database holding `setup`: by default the commands before the story's first capture.
    init(setup: [Command] = ReadmeStory.setup) throws {
        files = try ConsoleDatabase()
        var settings = Settings()
        settings.database = files.path
        settings.clock = .fixed(ReadmeStory.today)
        settings.time = .utc
        settings.user = "ana"
        settings.colors = false
        self.settings = settings
        bus = MessageBus.standard(database: files.database, settings: settings) { _ in }
        for command in setup { try bus.handle(command) }
    }

    /// What the database holds before the first capture: the event log's 18 events.
    static let setup: [Command] = {
        func batch(_ ref: String, _ sku: String, _ qty: Int, eta days: Int? = nil) -> Command {
            .createBatch(CreateBatch(ref: ref, sku: sku, qty: qty, eta: days.map { today.adding(days: $0) }))
        }
        func allocate(_ orderid: String, _ sku: String, _ qty: Int) -> Command {
            .allocate(Allocate(orderid: orderid, sku: sku, qty: qty))
        }
        return [
            batch("B-LAMP-01", "RED-LAMP", 100), batch("B-LAMP-02", "RED-LAMP", 50, eta: 3),
            batch("B-LAMP-03", "RED-LAMP", 40, eta: 0), batch("B-TABLE-77", "OAK-TABLE", 20, eta: -2),
            batch("B-CHAIR-9", "BLUE-CHAIR", 30, eta: 14), batch("B-CHAIR-10", "BLUE-CHAIR", 60),
            batch("B-SOFA-3", "GREEN-SOFA", 4, eta: -5),
            batch("B-VERY-LONG-REFERENCE-NUMBER-2026-0001", "SMALL-TABLE", 5), batch("B-東京-箱", "在庫-ランプ", 12),
            allocate("o-1001", "RED-LAMP", 30), allocate("o-1002", "OAK-TABLE", 20),
            allocate("o-1003", "BLUE-CHAIR", 10), allocate("o-1004", "OAK-TABLE", 5),
            allocate("o-1005", "GREEN-SOFA", 4), allocate("o-1006", "RED-LAMP", 12),
            allocate("o-1007", "在庫-ランプ", 2), allocate("o-1008", "BLUE-CHAIR", 45),
            .changeBatchQuantity(ChangeBatchQuantity(ref: "B-LAMP-02", qty: 60)),
        ]
    }()

    /// The data set of `stock init --demo`, its ETAs counted from the story's day.
    static func demo() throws -> [Command] {
        let text = try String(contentsOfFile: repositoryRoot + "/assets/demo/demo.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { try Command(jsonLine: String($0), today: today) }
    }

    /// A console over the story's database, `width`×`height`, loaded as the loop loads it on start.
    func console(readOnly: Bool = false, width: Int = 80, height: Int = 24) -> ConsoleApp {
        useUTF8Locale()
        let app = ConsoleApp(
            database: files.database, settings: settings, readOnly: readOnly, databaseLabel: "demo.sqlite")
        // The screens are the demo file's, whichever engine the suite runs on.
        app.state.status.databaseHost = nil
        if !readOnly { app.bus = bus }
        app.state.resize(width: width, height: height)
        app.reload(all: true, follow: false)
        return app
    }
}

extension ConsoleApp {
    /// Takes `keys` one by one as the loop does: a string is typed character by character.
    func press(_ keys: Key...) {
        for key in keys { take(key) }
    }

    /// The operator reads the status line before the next key, as between the captures: a refusal or an alert
    /// is no longer held on screen (``StatusBar/holdSeconds``).
    func pause() {
        state.status.messageSaid -= StatusBar.holdSeconds
    }

    func type(_ text: String) {
        for character in text { take(.character(character)) }
    }

    /// The frame the loop would draw now, row by row with trailing blanks trimmed, as `tmux capture-pane` gives it.
    var frame: [String] {
        var canvas = Canvas(width: state.width, height: state.height, glyphs: .unicode)
        state.render(into: &canvas)
        return (0..<canvas.height).map(canvas.line)
    }
}

extension ReadmeStory {
    /// The board searched for `lamp-01`, so the cursor is on B-LAMP-01, and the allocate form filled for o-2001
    /// with a typo in the quantity.
    func allocatingWithATypo(_ app: ConsoleApp) {
        app.press(.character("/"))
        app.type("lamp-01")
        app.press(.enter, .character("a"))
        app.type("o-2001")
        app.press(.enter, .enter)
        app.type("12x")
    }

    /// The typo erased and the form sent: o-2001 goes to B-LAMP-01.
    func allocating(_ app: ConsoleApp) {
        allocatingWithATypo(app)
        app.press(.backspace, .enter)
    }

    /// Then, the form kept open for o-2001's next line closed, o-2002 for more than RED-LAMP has: it waits; Esc
    /// closes the form kept open for o-2002's next line.
    func backordering(_ app: ConsoleApp) {
        allocating(app)
        app.press(.escape, .character("a"))
        app.type("o-2002")
        app.press(.enter, .enter)
        app.type("500")
        app.press(.enter, .escape)
    }

    /// Then B-LAMP-01's quantity changed to 30, up to the preview.
    func previewingAQuantityChange(_ app: ConsoleApp) {
        backordering(app)
        app.pause()
        app.press(.character("c"))
        app.type("30")
        app.press(.enter)
    }

    /// Then the preview given up, and the history of the newest line of the allocations.
    func openingAHistory(_ app: ConsoleApp) {
        previewingAQuantityChange(app)
        app.press(.escape, .escape, .character("2"), .enter)
    }

    /// The operator console's story, up to the history panel, with the database left as the monitor shows it.
    func operatorStory() {
        openingAHistory(console())
    }
}

/// README's screen captures show what the console draws: each is compared, row for row, with the frame the
/// story draws at that point.
@Suite struct ReadmeScreensTests {
    /// The lines of the capture under `#### title` in README.
    static func capture(_ title: String) throws -> [String] {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n#### \(title)\n").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```\n").dropFirst().first)
        return block.components(separatedBy: "\n").dropLast()
    }

    /// Expects README's capture under `#### title` to be `drawn`, naming the rows that differ.
    static func expect(_ title: String, is drawn: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let captured = try capture(title)
        let differing = (0..<max(captured.count, drawn.count)).filter {
            captured.indices.contains($0) != drawn.indices.contains($0)
                || (drawn.indices.contains($0) && captured[$0] != drawn[$0])
        }
        let shown = drawn.joined(separator: "\n")
        #expect(
            differing.isEmpty,
            "README's \(title) differs in rows \(differing.map { $0 + 1 }); the console draws:\n\(shown)",
            sourceLocation: sourceLocation)
    }

    @Test func theThreeScreens() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        try Self.expect("Batches board (80×24)", is: app.frame)
        app.press(.character("2"))
        try Self.expect("Allocations (80×24)", is: app.frame)
        app.press(.character("3"))
        try Self.expect("Event log (80×24)", is: app.frame)
    }

    @Test func theSearchPrompt() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        app.press(.character("/"))
        app.type("lamp-01")
        try Self.expect("Search prompt (80×24)", is: app.frame)
    }

    @Test func theAllocateFormAndWhatItDid() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        story.allocatingWithATypo(app)
        try Self.expect("Allocate form, checking the quantity as it is typed (80×24)", is: app.frame)
        app.press(.backspace, .enter)
        try Self.expect("After the allocation: the form stays open for the order's next line (80×24)", is: app.frame)
    }

    @Test func theBackorderThePreviewAndTheHistory() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        story.backordering(app)
        try Self.expect("A backorder: accepted, the line waits (80×24)", is: app.frame)
        app.pause()
        app.press(.character("c"))
        app.type("30")
        app.press(.enter)
        try Self.expect("Quantity-change preview: Enter confirms exactly this (80×24)", is: app.frame)
        app.press(.escape, .escape, .character("2"), .enter)
        try Self.expect("History panel: Enter on a line of the allocations (80×24)", is: app.frame)
    }

    /// On the demo data set: a SKU no batch has yet and an ETA in the past, both said under their fields.
    @Test func theNewBatchForm() throws {
        let story = try ReadmeStory(setup: ReadmeStory.demo())
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        app.press(.character("b"))
        app.type("B-9")
        app.press(.enter)
        app.type("LAMP")
        app.press(.enter)
        app.type("10")
        app.press(.enter)
        app.type("2020-01-01")
        app.press(.enter)
        try Self.expect("New batch: a new SKU asks for a confirming Enter, a past ETA is warned (80×24)", is: app.frame)
    }

    /// The help overlay lists every key of the batches board.
    @Test func theHelpOverlay() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        app.press(.character("?"))
        try Self.expect("Help overlay (80×24)", is: app.frame)
    }

    @Test func theMonitor() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        story.operatorStory()
        let narrow = story.console(readOnly: true)
        narrow.press(.character("a"))
        try Self.expect("Monitor (80×24), after pressing a", is: narrow.frame)
        try story.bus.handle(.allocate(Allocate(orderid: "o-3001", sku: "BLUE-CHAIR", qty: 2)))
        let wide = story.console(readOnly: true, width: 160, height: 40)
        try Self.expect("Monitor (160×40)", is: wide.frame)
    }
}
