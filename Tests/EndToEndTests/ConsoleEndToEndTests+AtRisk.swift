import Allocation
import Foundation
import TestSupport
import Testing

/// The `!` panel of lines at risk, in the operator console and the monitor, live as other processes commit.
extension ConsoleEndToEndTests {
    @Test func theAtRiskPanelShowsLateAndWaitingLinesAndFollowsAnotherProcessesBatch() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("!")
        let panel = try s.waitFor("At risk: late or waiting")
        #expect(run.line(containing: "o-1002", in: panel).contains("late 2d"), "\(panel)")
        #expect(run.line(containing: "o-1002", in: panel).contains("B-TABLE-77"), "\(panel)")
        #expect(run.line(containing: "o-1002", in: panel).contains("no batch has room"), "\(panel)")
        #expect(run.line(containing: "o-1004", in: panel).contains("waiting"), "\(panel)")
        let writer = try runProcess(
            run.executable, ["--db", run.db.path, "add-batch", "B-OAK-NEW", "OAK-TABLE", "30"], input: nil)
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitUntil("o-1002 could go to B-OAK-NEW", timeout: 2) {
            run.line(containing: "o-1002", in: $0).contains("→ B-OAK-NEW (in stock)")
        }
        let filled = try s.waitUntil("o-1004 no longer waits", timeout: 2) { !$0.contains("o-1004") }
        #expect(filled.contains("At risk: late or waiting"))
        try s.send("x")
        try s.waitUntil("the panel closed") { !$0.contains("At risk: late or waiting") }
        try s.send("?")
        try s.waitFor("lines late or waiting")
    }

    @Test func theMonitorShowsTheAtRiskPanelToo() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("MONITOR read-only")
        try s.send("!")
        let panel = try s.waitFor("At risk: late or waiting")
        #expect(run.line(containing: "o-1002", in: panel).contains("late 2d"), "\(panel)")
        #expect(!panel.contains("read-only monitor"))
        try s.send("q")
        try run.expectRestored(exit: 0)
    }
}
