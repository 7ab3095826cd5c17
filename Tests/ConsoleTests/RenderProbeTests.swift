import Allocation
import Console
import TestSupport
import Testing

/// The benchmark's probe renders what the console would show for the database, at the size asked.
@Suite struct RenderProbeTests {
    @Test func theProbeRendersTheBoardAndTheMonitorLoadedFromTheDatabase() throws {
        useUTF8Locale()
        let fixture = try ConsoleDatabase()
        try fixture.fillDemo(today: Clock.system.today)
        var settings = Settings()
        settings.database = fixture.path

        let board = try RenderProbe.render(
            .batches, from: fixture.database, settings: settings, width: 132, height: 40, frames: 3)
        #expect(board.seconds.count == 3)
        #expect(board.lines.count == 40)
        #expect(board.lines[0].contains("1 Batches"))
        #expect(board.lines.contains { $0.contains("B-LAMP-01") && $0.contains("100") })
        #expect(board.lines.contains { $0.contains("6 batches") })

        let monitor = try RenderProbe.render(
            .monitor, from: fixture.database, settings: settings, width: 132, height: 40, frames: 1)
        #expect(monitor.seconds.count == 1)
        #expect(monitor.lines[0].contains("monitor"))
        #expect(monitor.lines.contains { $0.contains("B-TABLE-77") })
        #expect(monitor.lines.contains { $0.contains("o-1004") })
    }
}
