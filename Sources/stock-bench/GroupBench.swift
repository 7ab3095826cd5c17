import Allocation
import Foundation

/// The bars grouped commits are held to: this multiple of the one-transaction-per-command rate, and this rate.
private let groupRatioBar = 20.0
private let groupRateBar = 50_000.0

/// Figure 1: allocations through the whole bus in groups (``CommandGroup`` with the default settings: a COMMIT
/// every 1000 commands or 50 ms, a savepoint per command) against one transaction per command, on copies of the
/// same template, synchronous=FULL, alternating which goes first; prints each round and the medians.
func runGroupBench(options: Options, workload: AllocationWorkload, template: String, directory: String) throws {
    print("")
    let groupedCount = options.allocations * 10
    let grouped = AllocationWorkload(skuCount: workload.skus.count, count: groupedCount)
    let settings = Settings()
    print(
        "Grouped commits vs one transaction per command, through the whole bus, synchronous=FULL, "
            + "\(workload.skus.count) SKUs: \(workload.count) allocations one transaction each, "
            + "\(groupedCount) grouped (COMMIT every \(settings.groupCommands) commands or \(settings.groupMilliseconds) "
            + "ms, a SAVEPOINT each), fresh copies of the template each round:")
    var single: [Rate] = []
    var group: [Rate] = []
    for round in 1...options.rounds {
        let singleFirst = firstSideFirst(inRound: round)
        let runSingle = {
            try measureBus(workload, template: template, path: "\(directory)/single-\(round).sqlite", grouped: false)
        }
        let runGrouped = {
            try measureBus(grouped, template: template, path: "\(directory)/grouped-\(round).sqlite", grouped: true)
        }
        let (s, g) = try alternating(round: round, runSingle, runGrouped)
        single.append(s)
        group.append(g)
        print(
            "  round \(round) (\(singleFirst ? "per command first" : "grouped first")): per command "
                + "\(fixed(s.perSecond))/s (CPU \(fixed(s.cpuMicroseconds)) µs each), grouped \(fixed(g.perSecond))/s "
                + "(CPU \(fixed(g.cpuMicroseconds)) µs each), ratio \(fixed(g.perSecond / s.perSecond, 1))")
    }
    let singleRate = median(single.map(\.perSecond))
    let groupRate = median(group.map(\.perSecond))
    let ratio = groupRate / singleRate
    print(
        "  median of \(options.rounds): per command \(fixed(singleRate))/s (CPU "
            + "\(fixed(median(single.map(\.cpuMicroseconds)))) µs each), grouped \(fixed(groupRate))/s (CPU "
            + "\(fixed(median(group.map(\.cpuMicroseconds)))) µs each), ratio \(fixed(ratio, 1))")
    if let sync = syncLatency(in: directory) {
        print(
            "  a sync on this disk: p50 \(fixed(1e6 * sync.p50)) µs, p99 \(fixed(1e6 * sync.p99)) µs (fsync after a 4 KiB "
                + "append, \(sync.count) times); each COMMIT at synchronous=FULL waits for one, which bounds the per-command "
                + "rate: the ratio is the time of a command in a transaction of its own over its time in a group")
    }
    print(
        "  targets: grouped \(fixed(groupRatioBar))x or more of per command: \(ratio >= groupRatioBar ? "met" : "NOT met"); "
            + "\(fixed(groupRateBar)) commands/s or more: \(groupRate >= groupRateBar ? "met" : "NOT met")")
}

/// Allocations per second through `MessageBus.standard` on a fresh copy of `template`, grouped or one transaction
/// each; the file is removed afterwards.
private func measureBus(_ workload: AllocationWorkload, template: String, path: String, grouped: Bool) throws
    -> Rate
{
    removeDatabase(path)
    defer { removeDatabase(path) }
    try FileManager.default.copyItem(atPath: template, toPath: path)
    let settings = benchSettings(path: path, synchronous: .full)
    let db = try Database.open(settings: settings, access: .readWrite)
    let bus = MessageBus.standard(database: db, settings: settings, log: { print("bench: \($0)") })
    let commands = (0..<workload.count).map(workload.command)
    let cpuBefore = cpuSeconds()
    let ((), seconds) = try timed {
        if grouped {
            let group = CommandGroup(bus: bus, settings: settings)
            for command in commands {
                try group.handle(command)
                if group.isDue { try group.commit() }
            }
            try group.finish()
        } else {
            for command in commands { try bus.handle(command) }
        }
    }
    let cpu = cpuSeconds() - cpuBefore
    let lines = try db.queryOne("SELECT count(*) FROM order_lines") { $0.int(0) } ?? 0
    guard lines == workload.count else {
        throw BenchFailure(description: "\(lines) order lines after \(workload.count) allocations")
    }
    return Rate(perSecond: Double(workload.count) / seconds, cpuMicroseconds: 1e6 * cpu / Double(workload.count))
}

/// Commands per second, and CPU microseconds per command (what the wall rate would be without waits for the disk
/// or for a core).
private struct Rate {
    let perSecond: Double
    let cpuMicroseconds: Double
}

/// How long one `fsync` takes after appending 4 KiB to a file in `directory`, `count` times: median and 99th
/// percentile in seconds; nil when the file cannot be written.
private func syncLatency(in directory: String, count: Int = 200) -> (p50: Double, p99: Double, count: Int)? {
    let path = "\(directory)/sync-probe"
    let file = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
    guard file >= 0 else { return nil }
    defer {
        close(file)
        unlink(path)
    }
    let block = [UInt8](repeating: 1, count: 4096)
    var seconds: [Double] = []
    for index in 0..<count {
        guard pwrite(file, block, block.count, off_t(index * block.count)) == block.count else { return nil }
        let (status, elapsed) = timed { fsync(file) }
        guard status == 0 else { return nil }
        seconds.append(elapsed)
    }
    seconds.sort()
    return (seconds[count / 2], seconds[count * 99 / 100], count)
}
