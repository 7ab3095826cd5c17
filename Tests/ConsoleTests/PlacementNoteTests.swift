import Foundation
import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// The allocate form's note under the quantity: where the line would go, piece by piece, before Enter.
@Suite struct PlacementNoteTests {
    static let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)

    static func note(
        _ pieces: [(String, Int)], waiting: Int = 0, available: Int = 0, batches: Int = 0, qty: Int = 100,
        policy: SplitLines = .batches
    ) -> String {
        let preview = PlacementPreview(
            sku: "TV", qty: qty, policy: policy, pieces: pieces.map { Piece(batchref: $0.0, qty: $0.1) },
            waiting: waiting, available: available, batches: batches)
        return Form.placementNote(of: preview, for: Allocate(orderid: "O1", sku: "TV", qty: qty))
    }

    @Test func theNoteSaysWhereTheLineGoesPieceByPiece() {
        #expect(Self.note([("B1", 100)]) == "goes to B1")
        #expect(
            Self.note([("B1", 40), ("B2", 40), ("B3", 20)]) == "in 3 pieces: x40 from B1, x40 from B2, x20 from B3")
        #expect(Self.note([], waiting: 100) == "waits: out of stock")
        #expect(
            Self.note([], waiting: 100, available: 120, batches: 3, policy: .never)
                == "waits: 120 available in 3 batches, none takes x100 whole")
        #expect(Self.note([], waiting: 100, available: 80, batches: 2) == "waits: 80 available in 2 batches")
        #expect(Self.note([], waiting: 100, available: 5, batches: 1) == "waits: 5 available in 1 batch")
        #expect(Self.note([("B3", 20)], waiting: 10, qty: 30, policy: .partial) == "x20 now from B3, x10 waits")
        #expect(
            Self.note([("B1", 40), ("B2", 40)], waiting: 20, policy: .partial)
                == "x40 now from B1, x40 from B2, x20 waits")
    }

    @Test func aLongListOfPiecesEndsWithHowManyMoreSoItFitsTwoLines() {
        let pieces = (1...30).map { ("BATCH-\($0)", 4) }
        let said = Self.note(pieces, qty: 120)
        #expect(said.hasPrefix("in 30 pieces: x4 from BATCH-1, x4 from BATCH-2, "), "\(said)")
        #expect(said.hasSuffix(" more"), "\(said)")
        #expect(TerminalText.wrap(said, width: Form.noteWidth).count <= 2, "\(said)")
    }

    /// A console over a database with three batches of 40 TV, its allocate form opened on the board and filled
    /// for O1 x`qty` up to the quantity (not left).
    static func allocating(qty: Int, policy: SplitLines) throws -> (ConsoleDatabase, ConsoleApp) {
        useUTF8Locale()
        let files = try ConsoleDatabase()
        for ref in ["B1", "B2", "B3"] {
            try files.bus.handle(.createBatch(CreateBatch(ref: ref, sku: "TV", qty: 40)))
        }
        var settings = Settings()
        settings.database = files.path
        settings.clock = .fixed(today)
        settings.time = .utc
        settings.colors = false
        settings.splitLines = policy
        let app = ConsoleApp(database: files.database, settings: settings, readOnly: false, databaseLabel: "tv.sqlite")
        app.bus = MessageBus.standard(database: files.database, settings: settings) { _ in }
        app.state.resize(width: 80, height: 24)
        app.reload(all: true, follow: false)
        app.press(.character("a"))
        app.type("O1")
        app.press(.enter, .enter)
        app.type(String(qty))
        return (files, app)
    }

    static func noteLine(_ app: ConsoleApp) -> String? {
        let frame = app.frame
        guard let quantity = frame.firstIndex(where: { $0.contains("Quantity:") }) else { return nil }
        return frame[quantity + 1].trimmingCharacters(in: CharacterSet(charactersIn: " │|"))
    }

    @Test func theFormSaysWhereALineOf100WouldGoOverThreeBatchesOf40() throws {
        let (files, app) = try Self.allocating(qty: 100, policy: .batches)
        // Typing is not held up by a query: the note waits for the field to be left or the keys to pause.
        #expect(app.state.formAwaitsPlacement)
        #expect(!app.frame.joined().contains("pieces"))
        app.press(.tab)
        #expect(!app.state.formAwaitsPlacement)
        #expect(Self.noteLine(app) == "in 3 pieces: x40 from B1, x40 from B2, x20 from B3", "\(app.frame)")
        #expect(app.frame.allSatisfy { TerminalText.width($0) <= 80 })
        // Nothing was written by the preview.
        #expect(try Views.orderLines(orderid: "O1", in: files.database).isEmpty)
        // Editing the quantity drops the note until it is placed again.
        app.press(.backTab, .backspace)
        #expect(!app.frame.joined().contains("pieces"))
        app.type("0")
        app.reload(all: false, follow: false)  // as the loop's tick does when the keys pause
        #expect(Self.noteLine(app) == "in 3 pieces: x40 from B1, x40 from B2, x20 from B3", "\(app.frame)")
        app.press(.enter)
        #expect(app.state.status.message?.contains("x40 from B1, x40 from B2, x20 from B3") == true)
    }

    @Test func underNeverOrPartialTheNoteSaysWhatWaits() throws {
        // Each console's database is kept until the end: a server's test schema is dropped with it.
        let (neverFiles, never) = try Self.allocating(qty: 100, policy: .never)
        defer { withExtendedLifetime(neverFiles) {} }
        never.press(.tab)
        #expect(Self.noteLine(never) == "waits: 120 available in 3 batches, none takes x100 whole", "\(never.frame)")
        let (partialFiles, partial) = try Self.allocating(qty: 130, policy: .partial)
        defer { withExtendedLifetime(partialFiles) {} }
        partial.press(.tab)
        #expect(
            Self.noteLine(partial) == "x40 now from B1, x40 from B2, x40 from B3, x10 waits", "\(partial.frame)")
        let (wholeFiles, whole) = try Self.allocating(qty: 30, policy: .batches)
        defer { withExtendedLifetime(wholeFiles) {} }
        whole.press(.tab)
        #expect(Self.noteLine(whole) == "goes to B1", "\(whole.frame)")
    }
}
