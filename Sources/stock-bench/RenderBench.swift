import Allocation
import Console
import Foundation

/// The console's pure render step (state to canvas, no terminal) of a full frame, on the big database's first
/// page. Target: under 1 ms.
struct RenderBench {
    static let width = 132
    static let height = 40
    static let bar = 0.001
    let frames: Int

    func run(path: String) throws {
        // The console sets the locale the terminal uses; cell widths come from it.
        setlocale(LC_CTYPE, "C.UTF-8")
        print("")
        print(
            "Render: the pure render step (state to a fresh canvas, no terminal) of a full \(RenderBench.width)x"
                + "\(RenderBench.height) frame, rows loaded once from \(path), \(frames) frames; target: p99 under "
                + "\(milliseconds(RenderBench.bar)):")
        let db = try Database.open(settings: benchSettings(path: path), access: .readOnly)
        for (name, screen) in [("batches board", RenderProbe.Screen.batches), ("monitor", .monitor)] {
            let result = try RenderProbe.render(
                screen, from: db, settings: benchSettings(path: path), width: RenderBench.width,
                height: RenderBench.height, frames: frames)
            let drawn = result.lines.filter { !$0.isEmpty }.count
            let times = result.seconds.sorted()
            let p99 = percentile(times, 0.99)
            print(
                "  \(padded(name)) median \(milliseconds(percentile(times, 0.5))), p99 \(milliseconds(p99)), "
                    + "max \(milliseconds(percentile(times, 1))); \(drawn) of \(RenderBench.height) rows drawn; "
                    + "target: \(p99 < RenderBench.bar ? "met" : "not met")")
        }
    }
}
