import Allocation
import Console
import Foundation

/// The wall monitor with its header on the big database (issue 23): the first frame at 160x40 (open, load the
/// board, the log and the header's figures and trend, render), then the refresh after each of 20 allocations
/// committed by another connection, and this process's peak resident set over both (the file in the OS page cache).
struct MonitorBench {
    static let width = 160
    static let height = 40
    static let refreshes = 20
    static let firstFrameBar = 0.150
    static let refreshBar = 0.250
    static let memoryBarMiB = 40.0

    /// Runs on a copy of the big database at `path` in `directory`, so that the kept one stays as seeded.
    func run(big: BigDatabase, path original: String, directory: String) throws {
        let path = "\(directory)/monitor-big.sqlite"
        try FileManager.default.copyItem(atPath: original, toPath: path)
        defer { removeDatabase(path) }
        setlocale(LC_CTYPE, "C.UTF-8")
        print("")
        print(
            "Monitor with its header on the big database (\(big.batches) batches, \(big.orderLines) lines), "
                + "\(MonitorBench.width)x\(MonitorBench.height):")
        let peakReset = resetPeakRSS()
        let settings = benchSettings(path: path)
        let (frame, firstSeconds) = try timed {
            let db = try Database.open(settings: settings, access: .readOnly)
            return try RenderProbe.render(
                .monitor, from: db, settings: settings, width: MonitorBench.width, height: MonitorBench.height,
                frames: 1)
        }
        let header = frame.lines.dropFirst().prefix(3).joined(separator: " / ")
        print(
            "  header as drawn: \(header.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))"
        )
        print(
            "  first frame: \(milliseconds(firstSeconds)); target under \(milliseconds(MonitorBench.firstFrameBar)): "
                + (firstSeconds < MonitorBench.firstFrameBar ? "met" : "not met"))
        let writer = MessageBus(
            database: try Database.open(settings: settings, access: .readWrite), clock: .system, log: { _ in })
        let monitor = try Database.open(settings: settings, access: .readOnly)
        let seconds = try RenderProbe.refreshes(
            .monitor, from: monitor, settings: settings, width: MonitorBench.width, height: MonitorBench.height,
            count: MonitorBench.refreshes
        ) { index in
            let sku = BigDatabase.sku((index * 7919) % big.skus)
            try writer.handle(.allocate(Allocate(orderid: "monitor-\(UUID().uuidString)", sku: sku, qty: 1)))
        }
        let sorted = seconds.sorted()
        let worst = percentile(sorted, 1)
        print(
            "  refresh after another connection's allocation, \(MonitorBench.refreshes) times: median "
                + "\(milliseconds(percentile(sorted, 0.5))), max \(milliseconds(worst)); target under "
                + "\(milliseconds(MonitorBench.refreshBar)): \(worst < MonitorBench.refreshBar ? "met" : "not met")")
        let peak = Double(procStatusKiB("VmHWM")) / 1024
        print(
            "  peak resident set of this process over both: \(fixed(peak, 1)) MiB"
                + (peakReset ? "" : " (peak could not be reset: since start)") + "; target under "
                + "\(fixed(MonitorBench.memoryBarMiB, 0)) MiB: \(peak < MonitorBench.memoryBarMiB ? "met" : "not met")")
    }
}
