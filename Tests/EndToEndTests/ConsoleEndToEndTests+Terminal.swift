import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The terminal itself: resize, quitting and signals (always restored), locales, colours, and the errors that
/// stop the console before or while it runs.
extension ConsoleEndToEndTests {
    @Test func redrawsOnResize() throws {
        let run = try ConsoleRun()
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("PURCH")
        try s.resize(width: 40, height: 10)
        let narrow = try s.waitUntil("the compact board") { !$0.contains("PURCH") && $0.contains("AVAIL") }
        #expect(narrow.split(separator: "\n").count <= 10)
        #expect(narrow.contains("─ BLUE-CHAIR ─ 20/30 available"), "\(narrow)")
        try s.resize(width: 132, height: 40)
        try s.waitUntil("the wide board") { screen in
            screen.contains("FILL") && screen.split(separator: "\n").contains { $0.count > 120 }
        }
    }

    @Test func quitRestoresTheTerminal() throws {
        let run = try ConsoleRun()
        defer { run.session.kill() }
        try run.session.waitFor("> B-CHAIR-9")
        #expect(try run.session.display("#{alternate_on}") == "1")
        try run.session.send("q")
        try run.expectRestored(exit: 0)
    }

    @Test(arguments: [SIGTERM, SIGINT, SIGHUP, SIGQUIT])
    func stopSignalRestoresTheTerminal(signal: Int32) throws {
        let run = try ConsoleRun()
        defer { run.session.kill() }
        try run.session.waitFor("> B-CHAIR-9")
        let pid = try #require(try run.session.childPID(named: "stock"))
        #expect(kill(pid, signal) == 0)
        try run.expectRestored(exit: 128 + signal)
    }

    @Test func ctrlBackslashRestoresTheTerminal() throws {
        let run = try ConsoleRun()
        defer { run.session.kill() }
        try run.session.waitFor("> B-CHAIR-9")
        try run.session.send("C-\\")
        try run.expectRestored(exit: 128 + SIGQUIT)
    }

    @Test(.sqliteOnly) func unreadableDatabaseIsReportedAndTheConsoleKeepsRunning() throws {
        let fixture = try ConsoleDatabase()
        try fixture.fillDemo(today: Clock.system.today)
        try fixture.database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        let copy = fixture.path + ".copy"
        try FileManager.default.copyItem(atPath: fixture.path, toPath: copy)
        let run = try ConsoleRun(database: copy)
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        // The file is emptied under the console and another process finds no database in it.
        #expect(truncate(copy, 0) == 0)
        for suffix in ["-wal", "-shm"] { unlink(copy + suffix) }
        let environment = ProcessInfo.processInfo.environment.merging(["STOCK_BUSY_TIMEOUT_MS": "100"]) { $1 }
        _ = try runProcess(
            run.executable, ["--db", copy, "allocate", "o-9", "RED-LAMP", "1"], environment: environment)
        try s.send("j")
        // The message is longer than the status line's room, so it has lines of its own above it.
        let screen = try s.waitFor("database disk image is malformed")
        #expect(screen.contains("(\(copy))"), "the message names the file: \(screen)")
        #expect(!screen.contains("database error"), "no result code: \(screen)")
        try s.send("2")
        try s.waitFor("ORDER")
        try s.send("q")
        try run.expectRestored(exit: 0)
    }

    @Test(.sqliteOnly) func aRemovedDatabaseFileIsReportedAndCommandsAreRefused() throws {
        let run = try ConsoleRun(width: 132, height: 30, environment: ConsoleRun.countingTicks)
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        for suffix in ["", "-wal", "-shm"] { unlink(run.db.path + suffix) }
        let name = URL(fileURLWithPath: run.db.path).lastPathComponent
        let message = "database file \(name) was removed or replaced; quit and reopen"
        try s.waitFor(message, timeout: 2)
        try run.allocateThroughTheForm(order: "o-lost", qty: "1", prefilledSKU: "BLUE-CHAIR")
        let screen = try s.waitFor("Refused: database file \(name)")
        #expect(!screen.contains("allocated o-lost"), "\(screen)")
        try s.waitFor(message)
        #expect(!(try run.waitForTicks(3)).contains("allocated o-lost"))
        try s.send("Escape", "q")
        try run.expectRestored(exit: 0)
    }

    @Test func asciiFallbackWhenTheLocaleIsNotUTF8() throws {
        let run = try ConsoleRun(environment: ["LANG": "C", "LC_ALL": "C"])
        defer { run.session.kill() }
        // tmux may capture a frame half drawn: wait for every row the test reads, then check the whole screen.
        let expected = [
            "> B-CHAIR-9", "- RED-LAMP - 2 batches - 150 purchased", "B-VERY-LONG-REFEREN~ SMALL-TABLE", "B-??-?",
        ]
        let screen = try run.session.waitUntil("the ASCII board") { screen in
            expected.allSatisfy { screen.contains($0) }
        }
        #expect(screen.contains("B-??-?"), "characters the locale cannot show become marks")
        #expect(screen.unicodeScalars.allSatisfy { $0.isASCII }, "\(screen)")
    }

    @Test func missingDatabaseNamesStockInit() throws {
        let run = try ConsoleRun(database: "/nonexistent/stock.sqlite")
        defer { run.session.kill() }
        let screen = try run.session.waitFor("EXIT=")
        let unwrapped = screen.replacingOccurrences(of: "\n", with: "")
        #expect(
            unwrapped.contains(
                "no database at /nonexistent/stock.sqlite; create it with: "
                    + "stock --db /nonexistent/stock.sqlite init"))
        #expect(screen.contains("EXIT=3"))
    }

    @Test func notATerminalIsAClearErrorWithStatus2() throws {
        let db = try ConsoleDatabase()
        let result = try runProcess(StockProcess.executable, ["--db", db.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains("the console needs a terminal"))
        let monitor = try runProcess(StockProcess.executable, ["--db", db.path, "monitor"])
        #expect(monitor.status == 2)
    }

    @Test func coloursOnlyWithoutNoColor() throws {
        let coloured = try ConsoleRun()
        defer { coloured.session.kill() }
        try coloured.session.waitFor("> B-CHAIR-9")
        let plain = try ConsoleRun(environment: ["NO_COLOR": "1"])
        defer { plain.session.kill() }
        try plain.session.waitFor("> B-CHAIR-9")
        /// Whether any SGR sequence sets a foreground or background colour (39 and 49 only reset them).
        func hasColour(_ text: String) -> Bool {
            text.split(separator: "\u{1B}").dropFirst().contains { sequence in
                guard sequence.hasPrefix("["), let end = sequence.firstIndex(of: "m") else { return false }
                let parameters = sequence.dropFirst()[..<end].split(separator: ";").compactMap { Int($0) }
                return parameters.contains { (30...38).contains($0) || (40...48).contains($0) || $0 >= 90 }
            }
        }
        #expect(hasColour(try coloured.session.capture(escapes: true)))
        let monochrome = try plain.session.capture(escapes: true)
        #expect(!hasColour(monochrome), "\(monochrome.debugDescription)")
        #expect(monochrome.contains("\u{1B}[7m"), "the selection still shows, in reverse video")
    }
}
