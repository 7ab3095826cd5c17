import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The console never freezes silently and never hides a message: another process's write lock, a slow notifier,
/// a long message, a lost database file; and `events --follow` and the monitor meet a lost file as the console.
@Suite(.serialized) struct NoFreezeEndToEndTests {
    /// A connection of this test process holding the lock every writer takes first, without taking stock's
    /// turns (``WriteLockHolder``).
    static func holdTheLock(of path: String) throws -> WriteLockHolder {
        let holder = try WriteLockHolder(path: path)
        try holder.holdWriteLock()
        return holder
    }

    @Test func anAllocationWaitingForAnotherProgramsLockSaysSoAtOnceAndCompletesAfterIt() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        let holder = try NoFreezeEndToEndTests.holdTheLock(of: run.db.path)
        try run.allocateThroughTheForm(order: "o-wait", qty: "1", prefilledSKU: "BLUE-CHAIR")
        try s.waitFor("waiting for the database… 0.", timeout: 1)
        // The count goes on while the lock is held: the screen is alive.
        try s.waitFor("waiting for the database… 1.", timeout: 3)
        holder.release()
        let screen = try s.waitFor("allocated o-wait BLUE-CHAIR x1 to B-CHAIR-9")
        #expect(!screen.contains("waiting for the database"))
        #expect(try Views.orderLines(orderid: "o-wait", in: run.db.database).count == 1)
    }

    @Test func escGivesUpWaitingAndNothingChanges() throws {
        let run = try ConsoleRun.onTheBoard(environment: ConsoleRun.countingTicks)
        defer { run.session.kill() }
        let s = run.session
        let holder = try NoFreezeEndToEndTests.holdTheLock(of: run.db.path)
        try run.allocateThroughTheForm(order: "o-esc", qty: "1", prefilledSKU: "BLUE-CHAIR")
        try s.waitFor("(Esc gives up)", timeout: 2)
        try s.send("Escape")
        try s.waitFor("gave up waiting for the database after", timeout: 2)
        holder.release()
        // Back in its loop (ticks run only there, not while a command waits), the console refreshes with the lock
        // free: a command it still held would have been written by now.
        let screen = try run.waitForTicks(3)
        #expect(!screen.contains("allocated o-esc"), "\(screen)")
        #expect(try Views.orderLines(orderid: "o-esc", in: run.db.database).isEmpty)
    }

    @Test func aRefusalAfterTheBusyTimeoutStaysOnScreenAfterAKeyPress() throws {
        let run = try ConsoleRun(
            environment: ["STOCK_BUSY_TIMEOUT_MS": "1000"].merging(ConsoleRun.countingTicks) { $1 })
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        let holder = try NoFreezeEndToEndTests.holdTheLock(of: run.db.path)
        defer { holder.release() }
        try run.allocateThroughTheForm(order: "o-busy", qty: "1", prefilledSKU: "BLUE-CHAIR")
        try s.waitFor("waiting for the database", timeout: 2)
        try s.waitFor("Refused: database busy", timeout: 5)
        try s.send("Escape")
        try s.send("j")
        // Ticks run only once no key is waiting: more of them mean both keys were handled, and refreshes after.
        let screen = try run.waitForTicks(5)
        let lines = screen.components(separatedBy: "\n")
        #expect(lines[19...22].contains { $0.contains("database busy") }, "the refusal is still shown:\n\(screen)")
    }

    @Test func aSlowNotifierLeavesTheConsoleAnsweringAndTheNotificationStillArrives() throws {
        let folder = try TemporaryFolder()
        let mail = folder.appendingPathComponent("mail.txt").path
        let run = try ConsoleRun(environment: ["STOCK_NOTIFIER": "command:sleep 5; cat >> '\(mail)'"])
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        try run.allocateThroughTheForm(order: "o-big", qty: "999", prefilledSKU: "BLUE-CHAIR")
        try s.waitFor("waiting: o-big BLUE-CHAIR x999", timeout: 2)
        let pressed = monotonicSeconds()
        try s.send("Escape", "2")
        try s.waitFor("ORDER", timeout: 2)
        #expect(monotonicSeconds() - pressed < 2, "the key was answered while the notifier ran")
        #expect(!FileManager.default.fileExists(atPath: mail), "the notifier is still running")
        let deadline = monotonicSeconds() + 15
        while (try? String(contentsOfFile: mail, encoding: .utf8)) == nil, monotonicSeconds() < deadline {
            usleep(100_000)
        }
        #expect(
            try String(contentsOfFile: mail, encoding: .utf8)
                == "Out of stock for BLUE-CHAIR: order o-big waits for 999\n")
    }

    @Test func theCommandLineDeliversItsNotificationBeforeItExits() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: Clock.system.today)
        let folder = try TemporaryFolder()
        let mail = folder.appendingPathComponent("mail.txt").path
        let result = try StockProcess.run(
            ["--db", db.path, "allocate", "o-cli", "RED-LAMP", "999"],
            environment: ["STOCK_NOTIFIER": "command:sleep 1; cat >> '\(mail)'"])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(
            try String(contentsOfFile: mail, encoding: .utf8)
                == "Out of stock for RED-LAMP: order o-cli waits for 999\n")
    }

    @Test(.sqliteOnly) func aLongMessageIsReadableAt80ColumnsAndMListsIt() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        for suffix in ["", "-wal", "-shm"] { unlink(run.db.path + suffix) }
        let message = "database file stock.sqlite was removed or replaced; quit and reopen"
        let screen = try s.waitFor(message, timeout: 3)
        #expect(screen.components(separatedBy: "\n")[22].contains("OPERATOR"), "\(screen)")
        try s.send("M")
        let overlay = try s.waitFor("Messages, newest first")
        // The overlay wraps the message at its width: its words, read across the lines, are the whole message.
        let words = overlay.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).joined(separator: " ")
        #expect(words.contains(message), "\(overlay)")
        try s.send("q")
        try run.expectRestored(exit: 0)
    }

    @Test(.sqliteOnly) func eventsFollowSaysItsFileWasRemovedOrReplacedAndExits3() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: Clock.system.today)
        let follower = try StockProcess.start(["--db", db.path, "events", "--follow"])
        try follower.waitForOutput { $0.contains("o-1004") }
        let replacement = db.path + ".new"
        #expect(FileManager.default.createFile(atPath: replacement, contents: nil))
        #expect(rename(replacement, db.path) == 0)
        let result = try follower.wait(timeout: 5)
        #expect(result.status == 3)
        #expect(result.stderr.contains("database file \(db.path) was removed or replaced"), "\(result.stderr)")
    }

    @Test(.sqliteOnly) func theMonitorReopensItsDatabaseWhenAStockDatabaseIsBackAtThePath() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("B-CHAIR-9")
        for suffix in ["", "-wal", "-shm"] { unlink(run.db.path + suffix) }
        try s.waitFor("removed or replaced", timeout: 3)
        #expect(try StockProcess.run(["--db", run.db.path, "init"]).status == 0)
        let added = try StockProcess.run(["--db", run.db.path, "add-batch", "B-NEW-1", "NEW-SKU", "5"])
        #expect(added.status == 0, "\(added.stderr)")
        let screen = try s.waitFor("B-NEW-1", timeout: 5)
        #expect(!screen.contains("B-CHAIR-9"), "\(screen)")
        try s.waitFor("removed or replaced; reopened it")
        try s.waitFor("1 batch · 1 SKU")
    }
}
