import Allocation
import Foundation
import TestSupport
import Testing

/// The wall monitor's header from 120 columns: figures as words, the trends, the SKUs that need attention first,
/// all following other processes' commits; none of it at 80 columns.
extension ConsoleEndToEndTests {
    @Test func theMonitorHeaderShowsFiguresAndFollowsAnotherProcessesBackorder() throws {
        let run = try ConsoleRun("monitor", width: 160, height: 40)
        defer { run.session.kill() }
        let s = run.session
        let first = try s.waitFor("ATTENTION ")
        for label in ["AVAILABLE ", "WAITING ", "LATE ", "AT RISK ", "ALLOCATIONS/H ", "NEW BACKORDERS/H "] {
            #expect(first.contains(label), "\(label) in\n\(first)")
        }
        let writer = try runProcess(run.executable, ["--db", run.db.path, "allocate", "o-big", "RED-LAMP", "9999"])
        #expect(writer.status == 4, "\(writer.stderr)")
        let screen = try s.waitFor("RED-LAMP 1 waiting (9999 units)")
        let attention = run.line(containing: "ATTENTION ", in: screen)
        #expect(attention.contains("RED-LAMP 1 waiting (9999 units), oldest"), "\(attention)")
        let trends = run.line(containing: "NEW BACKORDERS/H ", in: screen)
        // The new backorder is counted in this hour's figure, the last of the line.
        let thisHour = trends.split(separator: " ").last.flatMap { Int($0) }
        #expect((thisHour ?? 0) >= 1 && trends.contains("24 h: "), "\(trends)")
        #expect(!run.line(containing: "WAITING ", in: screen).contains("WAITING none"))
        try s.send("q")
        try run.expectRestored(exit: 0)
    }

    @Test func anEightyColumnMonitorHasNoHeader() throws {
        let run = try ConsoleRun("monitor")
        defer { run.session.kill() }
        let screen = try run.session.waitFor("Event log")
        #expect(!screen.contains("AVAILABLE ") && !screen.contains("ATTENTION "), "\(screen)")
        try run.session.send("q")
        try run.expectRestored(exit: 0)
    }
}
