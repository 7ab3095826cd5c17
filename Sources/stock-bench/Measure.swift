import CSQLite
import Foundation

/// A run that could not be carried out (exit 1), as opposed to bad arguments (exit 2).
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
}

/// Seconds taken by `body`, on the monotonic clock.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    let (seconds, attoseconds) = elapsed.components
    return (result, Double(seconds) + Double(attoseconds) / 1e18)
}

/// User plus system CPU seconds this process has used so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Whether the first side of a comparison runs first in this round: in odd rounds, so that whatever the machine
/// does meanwhile weighs on both sides alike.
func firstSideFirst(inRound round: Int) -> Bool {
    round % 2 == 1
}

/// Runs `first` and `second` of a round in the order ``firstSideFirst(inRound:)`` gives; each answer stays with its
/// side whichever ran first.
func alternating<First, Second>(
    round: Int, _ first: () throws -> First, _ second: () throws -> Second
) rethrows -> (First, Second) {
    if firstSideFirst(inRound: round) {
        let a = try first()
        return (a, try second())
    }
    let b = try second()
    return (try first(), b)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// The value at `share` (0.5 for the median, 0.99 for p99) of ascending `sorted`, by nearest rank; 0 when empty.
func percentile(_ sorted: [Double], _ share: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]
}

func fixed(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}

func milliseconds(_ seconds: Double) -> String {
    seconds < 0.01 ? fixed(seconds * 1000, 3) + " ms" : fixed(seconds * 1000, 1) + " ms"
}

/// A field of `/proc/self/status` in KiB, e.g. `VmHWM` (peak resident set) or `VmRSS`.
func procStatusKiB(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
        return Int(digits) ?? -1
    }
    return -1
}

/// Resets `VmHWM` to the current resident set (Linux `clear_refs` value 5), so a later peak is this phase's.
func resetPeakRSS() -> Bool {
    guard let file = fopen("/proc/self/clear_refs", "w") else { return false }
    defer { fclose(file) }
    return fputs("5", file) >= 0
}

func mebibytes(_ kib: Int) -> String {
    fixed(Double(kib) / 1024, 1) + " MiB"
}

/// A fresh directory under `$TMPDIR` (else /tmp) for this run's files.
func makeTemporaryDirectory() throws -> String {
    let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((base + "/stock-bench-XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
        throw BenchFailure(description: "cannot make a temporary directory under \(base)")
    }
    return String(cString: made)
}

/// Removes a database file with its WAL and shared-memory files.
func removeDatabase(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
}

func fileSizeKiB(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) / 1024 : -1
}

/// The linked SQLite's version, e.g. `3.40.1`.
func sqliteVersion() -> String {
    String(cString: sqlite3_libversion())
}

/// This benchmark's own executable, read from `/proc/self/exe`.
func benchExecutable() throws -> String {
    try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
}

/// The `stock` executable built beside this benchmark, or nil when it was not built.
func stockExecutableBesideBench() -> String? {
    guard let bench = try? benchExecutable() else { return nil }
    let path = URL(fileURLWithPath: bench).deletingLastPathComponent().appendingPathComponent("stock").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}
