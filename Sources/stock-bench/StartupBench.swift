import CBaseline
import Foundation

/// Start-up: `stock --version` and `stock batches --json` on a small file against the sqlite3 shell answering
/// `SELECT 1`, each the median wall time of many runs, with the largest resident set a run reached; the bar is
/// within 3× of the shell and under 12 MiB.
struct StartupBench {
    let runs: Int

    /// One measured program: its median wall time and the largest resident set of its runs.
    struct Figures {
        let seconds: Double
        let maxResidentKiB: Int
    }

    func run(small path: String) throws {
        guard let stock = stockExecutableBesideBench() else {
            print("\nStart-up: no stock binary beside stock-bench; skipped")
            return
        }
        print("")
        print("Start-up, median of \(runs) runs each (wall time, and the largest resident set of a run):")
        let shell = ["/usr/bin/sqlite3", "/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let baseline = try shell.map { try Self.measure([$0, ":memory:", "SELECT 1"], runs: runs) }
        if let baseline {
            print("  sqlite3 :memory: 'SELECT 1': \(Self.said(baseline))")
        } else {
            print("  no sqlite3 shell on this machine: the ratios cannot be computed")
        }
        for arguments in [["--version"], ["--db", path, "batches", "--json"]] {
            let figures = try Self.measure([stock] + arguments, runs: runs)
            var line = "  stock \(arguments.map { $0 == path ? "SMALL.sqlite" : $0 }.joined(separator: " ")): "
            line += Self.said(figures)
            if let baseline {
                let ratio = figures.seconds / baseline.seconds
                let met = ratio <= 3 && figures.maxResidentKiB < 12 * 1024
                line += "; \(fixed(ratio, 1))x the shell; target within 3x and under 12 MiB: \(met ? "met" : "not met")"
            }
            print(line)
        }
    }

    static func said(_ figures: Figures) -> String {
        "\(fixed(figures.seconds * 1000, 2)) ms, \(fixed(Double(figures.maxResidentKiB) / 1024, 1)) MiB"
    }

    /// Runs `command` `runs` times with its output discarded (``child_run``, which reads the child's own
    /// resident set).
    static func measure(_ command: [String], runs: Int) throws -> Figures {
        var seconds: [Double] = []
        var largest = 0
        for _ in 0..<max(1, runs) {
            let arguments = command.map { strdup($0) } + [nil]
            defer { for argument in arguments { free(argument) } }
            var resident = 0
            let start = monotonicNow()
            let status = child_run(arguments, &resident)
            seconds.append(monotonicNow() - start)
            guard status == 0 else {
                throw BenchFailure(description: "\(command.joined(separator: " ")) exited with status \(status)")
            }
            largest = max(largest, resident)
        }
        return Figures(seconds: median(seconds), maxResidentKiB: largest)
    }

    private static func monotonicNow() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
