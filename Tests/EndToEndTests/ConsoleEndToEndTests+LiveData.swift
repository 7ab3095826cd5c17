import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// Data that changes under the console: other processes' commits, the pause, the monitor, notifications.
extension ConsoleEndToEndTests {
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
        #expect(!screen.contains("Refused:"), "a backorder is accepted:\n\(screen)")
        #expect(screen.contains("Order o-big stays for the next line"), "the form is kept for the next:\n\(screen)")
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

    @Test func maxFramesEndsTheMonitorForScriptedRuns() throws {
        let run = try ConsoleRun("monitor --max-frames 1")
        defer { run.session.kill() }
        try run.expectRestored(exit: 0)
    }
}

/// The board's quantities once stock has left: what was bought stays, what shipped and what is on hand appear.
extension ConsoleEndToEndTests {
    @Test func aShipmentByAnotherProcessShowsWhatShippedBesideWhatWasBought() throws {
        let run = try ConsoleRun(width: 132, height: 30)
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("> B-CHAIR-9")
        #expect(try s.capture().contains("PURCH  ALLOC  AVAIL FILL"), "nothing shipped yet: three quantities")
        try run.writeElsewhere("ship", "o-1001")
        let wide = try s.waitFor("PURCH   SHIP ONHAND  ALLOC  AVAIL FILL")
        // B-LAMP-01 bought 100 and shipped o-1001's 30: 70 on hand, none of it held.
        #expect(
            run.line(containing: "B-LAMP-01", in: wide).contains("in stock    100     30     70      0     70"),
            "\(wide)")
        #expect(
            wide.contains("─ RED-LAMP ─ 2 batches · 150 purchased · 30 shipped · 0 allocated · 120 available"),
            "\(wide)")
        #expect(run.line(containing: "B-CHAIR-9", in: wide).contains("30      0     30     10     20"), "\(wide)")
        // Too narrow for five quantities beside the long reference: on hand, allocated and available, which add up.
        try s.resize(width: 80, height: 30)
        let narrow = try s.waitFor("ONHAND  ALLOC  AVAIL")
        #expect(!narrow.contains("PURCH"), "\(narrow)")
        #expect(run.line(containing: "B-LAMP-01", in: narrow).contains("in stock     70      0     70"), "\(narrow)")
    }
}
