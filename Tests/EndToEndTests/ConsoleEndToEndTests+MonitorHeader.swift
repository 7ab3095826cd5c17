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

extension ConsoleEndToEndTests {
    /// The monitor at 160×40 through the real binary on README's demo day, FLOOR-LAMP's 300-unit order waiting and
    /// a batch of it 5 days late: the header, board and log compared with the recorded screen (the status line's
    /// database written `DATABASE`, as it differs between engines).
    @Test func theMonitorHeaderAt160x40IsTheRecordedScreen() throws {
        let cli = try CommandLineFixture(initialize: false)
        let environment = cli.environment.merging(["STOCK_CLOCK": "2026-11-25", "STOCK_USER": "ana"]) { $1 }
        for arguments in [
            ["init", "--demo"], ["allocate", "ORD-9001", "FLOOR-LAMP", "300"],
            ["add-batch", "B-9001", "FLOOR-LAMP", "10", "--eta", "2026-11-20"],
        ] {
            let result = try StockProcess.run(["--db", cli.path] + arguments, environment: environment)
            try #require([0, 4].contains(result.status), "\(arguments): \(result.stderr)")
        }
        let session = try TmuxSession(
            command: "'\(StockProcess.executable)' --db '\(cli.path)' monitor; echo EXIT=$?; sleep 600", width: 160,
            height: 40, environment: environment)
        defer { session.kill() }
        let screen = try session.waitFor("OUT OF STOCK FLOOR-LAMP")
        let attention = screen.components(separatedBy: "\n").first { $0.hasPrefix("ATTENTION ") } ?? ""
        // Every line waits since the same instant on a fixed clock, so the SKUs come by name; as many as fit.
        #expect(attention.hasPrefix("ATTENTION BLUE-CHAIR 7 waiting (67 units)"), "\(attention)")
        #expect(attention.hasSuffix(" more"), "\(attention)")
        let masked = screen.components(separatedBy: "\n").map { line in
            guard line.contains(" │ MONITOR read-only │ "), let bar = line.range(of: " │ ") else { return line }
            return " DATABASE" + line[bar.lowerBound...]
        }.joined(separator: "\n")
        Self.expectScreen(masked, recordedAs: "monitor-header-tmux-160x40")
    }
}
