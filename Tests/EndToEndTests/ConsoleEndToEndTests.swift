import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The real `stock` binary in a detached tmux pane of fixed size, on a temporary demo-like database.
///
/// The pane runs the console, then prints its exit status and the terminal modes it left behind, so tests can
/// check the terminal was restored.
final class ConsoleRun {
    let db: ConsoleDatabase
    let session: TmuxSession
    let executable = StockProcess.executable

    init(
        _ arguments: String = "", width: Int = 80, height: Int = 24, environment: [String: String] = [:],
        database: String? = nil, parameters: String = ""
    ) throws {
        db = try ConsoleDatabase()
        try db.fillDemo(today: Clock.system.today)
        let modes = "stty -a | tr -s ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
        let command =
            "'\(executable)' --db '\(database ?? db.path)\(parameters)' \(arguments); echo EXIT=$?; "
            + "echo MODES=$(\(modes)); sleep 600"
        session = try TmuxSession(command: command, width: width, height: height, environment: environment)
    }

    deinit { session.kill() }

    /// The operator console on the demo-like database, once its board shows with the cursor on the first batch.
    static func onTheBoard(width: Int = 80, environment: [String: String] = [:]) throws -> ConsoleRun {
        let run = try ConsoleRun(width: width, environment: environment)
        try run.session.waitFor("> B-CHAIR-9")
        return run
    }

    /// Opens the allocate form on the selected batch, checks the SKU it prefilled, and submits `order` × `qty`.
    func allocateThroughTheForm(order: String, qty: String, prefilledSKU: String) throws {
        try session.send("a")
        try session.waitFor("SKU:           \(prefilledSKU)")
        try session.type(order)
        try session.send("Enter", "Enter")
        try session.type(qty)
        try session.send("Enter")
    }

    /// The screen line holding `text`, or "" when none does.
    func line(containing text: String, in screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    /// The environment that makes the console count its refresh ticks at the top right (`tick N`).
    static let countingTicks = ["STOCK_TEST_TICKS": "1"]

    /// Waits until a console started with ``countingTicks`` has run `count` more refresh ticks than it shows now,
    /// so that whatever those refreshes would show (a late commit, a message expiring) is on the screen returned.
    @discardableResult
    func waitForTicks(_ count: Int) throws -> String {
        func ticks(_ screen: String) -> Int? {
            let top = screen.prefix { $0 != "\n" }
            return top.range(of: "tick ", options: .backwards).flatMap { Int(top[$0.upperBound...]) }
        }
        let now = try #require(ticks(try session.capture()), "no tick count: started without countingTicks?")
        return try session.waitUntil("tick \(now + count)") { (ticks($0) ?? 0) >= now + count }
    }

    /// Waits for the shell's report after the console ended and checks the terminal modes were restored.
    func expectRestored(exit status: Int32) throws {
        let screen = try session.waitFor("MODES=")
        #expect(screen.contains("EXIT=\(status)"), "\(screen)")
        #expect(screen.contains("MODES=isig icanon echo"), "\(screen)")
        #expect(try session.display("#{alternate_on}") == "0")
    }
}

@Suite(.serialized) struct ConsoleEndToEndTests {
    @Test func operatorMovesSearchesAndAllocatesThroughTheForm() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("j")
        try s.waitFor("> B-TABLE-77")
        try s.send("/")
        try s.waitFor("Contains:")
        try s.type("lamp-02")
        try s.send("Enter")
        try s.waitFor("> B-LAMP-02")
        try s.send("Escape", "k")
        try s.waitFor("> B-LAMP-01")
        try run.allocateThroughTheForm(order: "o-e2e", qty: "7", prefilledSKU: "RED-LAMP")
        let screen = try s.waitFor("allocated o-e2e RED-LAMP x7 to B-LAMP-01")
        try s.waitUntil("B-LAMP-01 with 37 allocated") {
            run.line(containing: "B-LAMP-01", in: $0).contains("100     37     63")
        }
        #expect(!screen.contains("Order id:"), "the form closed")
        let allocations = try Views.orderLines(orderid: "o-e2e", in: run.db.database)
        #expect(allocations.map(\.batchref) == ["B-LAMP-01"])
        try s.send("2", "/")
        try s.waitFor("Order or SKU:")
        try s.type("RED-LAMP")
        try s.send("Enter")
        let filtered = try s.waitFor("filter: RED-LAMP (2)")
        #expect(filtered.contains("> o-e2e") && filtered.contains("o-1001") && !filtered.contains("o-1002"))
        try s.send("Escape")
        try s.waitFor("o-1002")
    }

    @Test func aLongPasteIntoAFormLeavesTheConsoleAnswering() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type(String(repeating: "p", count: 1000))
        let pasted = monotonicSeconds()
        try s.send("Escape")
        try s.waitUntil("the form closed", timeout: 1) { !$0.contains("Order id:") }
        print("Esc answered \(Int((monotonicSeconds() - pasted) * 1000)) ms after a 1000-character paste")
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type(String(repeating: "p", count: 300))
        let screen = try s.waitFor("! at most 255 characters")
        #expect(run.line(containing: "Order id:", in: screen).contains("…ppp"), "\(screen)")
    }

    @Test func newBatchAndQuantityChangeThroughFormsMoveTheCursorAndUpdateTheBoard() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("b")
        try s.waitFor("New batch")
        try s.type("B-AAA-1")
        try s.send("Enter", "Enter")
        try s.type("25")
        try s.send("Enter")
        try s.type("2099-02-30")
        try s.waitFor("! eta \"2099-02-30\" is not a valid date YYYY-MM-DD")
        try s.send("BSpace", "BSpace")
        try s.type("28")
        try s.send("Enter")
        try s.waitFor("batch B-AAA-1 created")
        try s.waitFor("> B-AAA-1" + String(repeating: " ", count: 14) + "BLUE-CHAIR  2099-02-28")
        try s.send("c")
        try s.waitFor("B-AAA-1 (BLUE-CHAIR): 25 purchased, 0 allocated")
        try s.type("40")
        try s.send("Enter")
        try s.waitFor("To 40: no line leaves B-AAA-1.")
        try s.send("Enter")
        try s.waitFor("B-AAA-1 quantity changed")
        try s.waitUntil("B-AAA-1 with 40 purchased") {
            run.line(containing: "B-AAA-1", in: $0).contains("     40      0     40")
        }
    }

    @Test func changeQuantityFormShowsTheBatchAsAnotherProcessChangesIt() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("c")
        try s.waitFor("B-CHAIR-9 (BLUE-CHAIR): 30 purchased, 10 allocated")
        let writer = try runProcess(run.executable, ["--db", run.db.path, "change-quantity", "B-CHAIR-9", "25"])
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitFor("B-CHAIR-9 (BLUE-CHAIR): 25 purchased, 10 allocated", timeout: 2)
    }

    @Test func refusedCommandShowsTheCoresMessageAndChangesNothingWhileAnOutOfStockLineWaits() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        let linesBefore = try Views.lines(
            matching: nil, from: Int64.max, newer: false, limit: 1000, in: run.db.database
        ).count
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-x")
        try s.send("Enter")
        for _ in 0..<10 { try s.send("BSpace") }
        try s.type("NOPE")
        try s.send("Enter")
        try s.type("3x")
        try s.waitFor("! qty must be a whole number, got \"3x\"")
        try s.send("BSpace", "Enter")
        try s.waitFor("Refused: Invalid sku NOPE")
        try s.send("Escape")
        try run.allocateThroughTheForm(order: "o-big", qty: "999", prefilledSKU: "BLUE-CHAIR")
        let waiting = try s.waitFor("waiting: o-big BLUE-CHAIR x999 (out of stock)")
        #expect(!waiting.contains("Refused:") && !waiting.contains("Order id:"), "a backorder is not a refusal")
        #expect(
            try Views.lines(matching: nil, from: Int64.max, newer: false, limit: 1000, in: run.db.database).count
                == linesBefore + 1)
        #expect(try Views.orderLines(orderid: "o-big", in: run.db.database).map(\.status.name) == ["waiting"])
        #expect(try Views.orderLines(orderid: "o-x", in: run.db.database).isEmpty)
    }

    @Test func aFailedNotificationIsReportedInTheStatusLineNotOverTheScreen() throws {
        let run = try ConsoleRun(environment: ["STOCK_NOTIFIER": "file:/nonexistent/folder/alerts.txt"])
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        try run.allocateThroughTheForm(order: "o-big", qty: "999", prefilledSKU: "BLUE-CHAIR")
        let screen = try s.waitFor("event handler")
        let lines = screen.components(separatedBy: "\n")
        // Too long for the status line, the message takes the lines just above it.
        #expect(lines.count >= 24 && lines[19...21].contains { $0.hasPrefix(" event handler") }, "\(screen)")
        #expect(!screen.contains("Refused:") && !screen.contains("Order id:"), "a backorder is accepted:\n\(screen)")
    }

    @Test func receiveAndChangeEtaThroughTheForms() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("e")
        try s.waitFor("New ETA:")
        try s.type("2099-13-01")
        try s.waitFor("! eta \"2099-13-01\" is not a valid date YYYY-MM-DD")
        for _ in 0..<5 { try s.send("BSpace") }
        try s.type("02-01")
        try s.send("Enter")
        try s.waitFor("B-CHAIR-9 now due 2099-02-01")
        try s.waitFor("> B-CHAIR-9" + String(repeating: " ", count: 12) + "BLUE-CHAIR  2099-02-01")
        try s.send("r")
        try s.waitFor("Received qty:")
        try s.send("Enter")
        try s.waitFor("received B-CHAIR-9 (30) into the warehouse")
        try s.waitUntil("B-CHAIR-9 in stock") { run.line(containing: "> B-CHAIR-9", in: $0).contains("in stock") }
        try s.send("r", "Enter")
        try s.waitFor("Refused: batch B-CHAIR-9 is already in the warehouse")
        let row = try Views.batches(in: run.db.database).first { $0.reference == "B-CHAIR-9" }
        #expect(row?.eta == nil && row?.purchased == 30)
    }

    @Test func moveAndShipThroughTheFormsFromTheSelectedLine() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try s.send("2", "/")
        try s.waitFor("Order or SKU:")
        try s.type("o-1001")
        try s.send("Enter")
        try s.waitFor("filter: o-1001 (1)")
        try s.send("m")
        try s.waitFor("To batch:")
        try s.type("B-LAMP-02")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-01 to B-LAMP-02")
        try s.waitUntil("the line on B-LAMP-02") { run.line(containing: "> o-1001", in: $0).hasSuffix("B-LAMP-02") }
        try s.send("s")
        try s.waitFor("Empty SKU ships")
        try s.send("Enter")
        let refused = try s.waitFor("Refused: nothing was shipped: o-1001 RED-LAMP is on arriving")
        #expect(refused.contains("│ batch B-LAMP-02"), "the refusal is wrapped, not cut:\n\(refused)")
        try s.send("Escape", "m")
        try s.waitFor("To batch:")
        try s.type("B-LAMP-01")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-02 to B-LAMP-01")
        try s.send("s", "Enter")
        try s.waitFor("shipped o-1001 RED-LAMP x30 from B-LAMP-01")
        try s.waitFor("shipped from B-LAMP-01")
        #expect(try Views.orderLines(orderid: "o-1001", in: run.db.database).map(\.status.name) == ["shipped"])
        try s.send("Enter")
        let history = try s.waitFor("History of order o-1001")
        for kind in ["allocated", "deallocated", "shipped"] { #expect(history.contains(kind), "\(history)") }
        try s.send("Escape")
        try s.waitUntil("the panel closed") { !$0.contains("History of order") }
    }

    @Test func allocateWaitingThroughTheFormWhenAutoAllocateIsOff() throws {
        let run = try ConsoleRun(width: 132, environment: ["STOCK_AUTO_ALLOCATE": "false"])
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("─ OAK-TABLE ─ 1 batch · 20 purchased · 20 allocated · 0 available · 5 waiting ─")
        let environment = ProcessInfo.processInfo.environment.merging(["STOCK_AUTO_ALLOCATE": "false"]) { $1 }
        let writer = try runProcess(
            run.executable, ["--db", run.db.path, "add-batch", "B-TABLE-78", "OAK-TABLE", "10"],
            environment: environment)
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitFor("B-TABLE-78")
        try s.send("j")
        try s.waitFor("> B-TABLE-78")
        try s.send("w")
        try s.waitFor("Allocate waiting lines")
        try s.waitFor("SKU:           OAK-TABLE")
        try s.send("Enter")
        try s.waitFor("allocated 1 waiting line: o-1004 OAK-TABLE x5 to B-TABLE-78")
        let filled = try s.waitFor("allocated 1 waiting line")
        #expect(!run.line(containing: "─ OAK-TABLE ─", in: filled).contains("waiting"), "\(filled)")
    }

    @Test func anotherProcessesReceiptFillsABackorderOnScreen() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("2")
        try s.waitUntil("o-1004 waiting") { run.line(containing: "o-1004", in: $0).contains("waiting") }
        let writer = try runProcess(
            run.executable, ["--db", run.db.path, "apply"],
            input: #"{"command":"ReceiveBatch","ref":"B-TABLE-77","qty":25}"# + "\n")
        #expect(writer.stderr.isEmpty, "\(writer.stderr)")
        try s.waitUntil("o-1004 allocated to B-TABLE-77", timeout: 2) {
            run.line(containing: "o-1004", in: $0).hasSuffix("B-TABLE-77")
        }
        try s.send("1")
        try s.waitFor("─ OAK-TABLE ─ 1 batch · 25 purchased · 25 allocated · 0 available ──")
    }

    @Test func quantityChangeIsPreviewedAndAChangeMeanwhileShowsTheNewPreview() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try s.send("j", "j")
        try s.waitFor("> B-LAMP-01")
        try s.send("c")
        try s.type("35")
        try s.send("Enter")
        try s.waitFor("To 35: no line leaves B-LAMP-01.")
        try s.waitFor("Enter confirms")
        let writer = try runProcess(run.executable, ["--db", run.db.path, "allocate", "o-new", "RED-LAMP", "10"])
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitFor("B-LAMP-01 (RED-LAMP): 100 purchased, 40 allocated", timeout: 2)
        try s.send("Enter")
        let refreshed = try s.waitFor("To 35: 1 line leaves B-LAMP-01:")
        #expect(refreshed.contains("o-new RED-LAMP x10 to B-LAMP-02"), "\(refreshed)")
        #expect(refreshed.contains("changed by another process meanwhile"), "\(refreshed)")
        let unchanged = try Views.batches(in: run.db.database).first { $0.reference == "B-LAMP-01" }
        #expect(unchanged?.purchased == 100, "nothing was applied")
        try s.send("Enter")
        try s.waitFor("B-LAMP-01 quantity changed; moved o-new RED-LAMP x10 to B-LAMP-02")
        let changed = try Views.batches(in: run.db.database).first { $0.reference == "B-LAMP-01" }
        #expect(changed?.purchased == 35 && changed?.allocated == 30)
    }

    @Test func anotherProcessesCommitIsOnScreenWithin250Milliseconds() throws {
        let run = try ConsoleRun()
        defer { run.session.kill() }
        try run.session.waitFor("> B-CHAIR-9")
        var latencies: [Int] = []
        for (index, qty) in [11, 5, 9].enumerated() {
            usleep(useconds_t(30_000 + index * 37_000))
            let allocated = 30 + [11, 16, 25][index]
            let writer = try runProcess(
                run.executable, ["--db", run.db.path, "allocate", "o-live-\(index)", "RED-LAMP", String(qty)])
            #expect(writer.status == 0, "\(writer.stderr)")
            try run.session.waitUntil("B-LAMP-01 with \(allocated) allocated", timeout: 2, settled: false) {
                run.line(containing: "B-LAMP-01", in: $0).contains("100     \(allocated)")
            }
            latencies.append(Int((monotonicSeconds() - writer.exitedAt) * 1000))
        }
        print("console showed another process's commit after \(latencies.map { "\($0) ms" }.joined(separator: ", "))")
        #expect(latencies.allSatisfy { $0 < 250 }, "latencies \(latencies) ms")
    }

    @Test func pauseFreezesTheDataWhileMovingStillWorks() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("p")
        try s.waitFor("paused: data frozen")
        let writer = try runProcess(run.executable, ["--db", run.db.path, "allocate", "o-frozen", "RED-LAMP", "7"])
        #expect(writer.status == 0, "\(writer.stderr)")
        // Switching screens queries their rows again: from the snapshot, so the new line is not there yet.
        try s.send("2")
        let lines = try s.waitFor("o-1001")
        #expect(!lines.contains("o-frozen"), "\(lines)")
        try s.send("1")
        try s.send("G")
        try s.waitUntil("the cursor on the last row") { $0.contains("> B-") && !$0.contains("> B-CHAIR-9") }
        try s.send("g")
        let frozen = try s.waitFor("> B-CHAIR-9")
        #expect(run.line(containing: "B-LAMP-01", in: frozen).contains("100     30"), "\(frozen)")
        try s.send("p")
        try s.waitUntil("B-LAMP-01 with 37 allocated after resuming") {
            run.line(containing: "B-LAMP-01", in: $0).contains("100     37")
        }
        try s.send("2")
        try s.waitFor("o-frozen")
    }

    @Test func monitorIsReadOnlyAndSaysSo() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("MONITOR read-only")
        try s.waitFor("Event log")
        let keys = [
            ("a", "allocate an order line"), ("b", "new batch"), ("c", "change the batch's quantity"),
            ("d", "deallocate the selected line"),
        ]
        for (key, summary) in keys {
            try s.send(key)
            let screen = try s.waitFor("\(key) (\(summary)): read-only monitor")
            #expect(!screen.contains("Order id:") && !screen.contains("Reference:") && !screen.contains("New quantity"))
        }
        try s.send("q")
        try run.expectRestored(exit: 0)
    }

    /// Another process's line that finds no stock is flashed on the monitor's status line, once.
    @Test func anotherProcessesOutOfStockIsFlashedOnTheMonitor() throws {
        let run = try ConsoleRun("monitor", width: 132)
        defer { run.session.kill() }
        try run.session.waitFor("MONITOR read-only")
        let writer = try runProcess(run.executable, ["--db", run.db.path, "allocate", "o-big", "RED-LAMP", "9999"])
        #expect(writer.status == 4, "\(writer.stderr)")
        try run.session.waitFor("OUT OF STOCK: RED-LAMP", timeout: 5)
    }

    /// The monitor opens a SQLite file read-only (`O_RDONLY`), so the kernel refuses its writes too.
    @Test(.sqliteOnly) func theMonitorOpensItsFileReadOnly() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("MONITOR read-only")
        let pid = try #require(try s.childPID(named: "stock"))
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        let databaseFD = fds.first { fd in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)")) == run.db.path
        }
        let info = try String(contentsOfFile: "/proc/\(pid)/fdinfo/\(try #require(databaseFD))", encoding: .utf8)
        let flags = info.split(separator: "\n").first { $0.hasPrefix("flags:") }
            .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) }
        #expect(flags.map { $0 & Int(O_ACCMODE) } == Int(O_RDONLY), "the monitor opened the database file read-only")
        try s.send("q")
        try run.expectRestored(exit: 0)
    }

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

    @Test func maxFramesEndsTheMonitorForScriptedRuns() throws {
        let run = try ConsoleRun("monitor --max-frames 1")
        defer { run.session.kill() }
        try run.expectRestored(exit: 0)
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
