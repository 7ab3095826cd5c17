import Allocation
import Foundation

/// One writer process of the engine comparison: this executable started with `--allocation-writer`, sending
/// `Allocate` commands through `MessageBus.handle` (one transaction each, as `stock allocate` does) and
/// timing each one.
///
/// Its arguments, in order: the database (a file or a `postgresql://` URL), the SKU, the order-id prefix, the
/// number of commands, the monotonic time in nanoseconds to start at (so every writer of a run starts together
/// after connecting), and the file to write its ``WriterReport`` to.
enum AllocationWriter {
    static let flag = "--allocation-writer"

    /// The commands a writer sends: order `<prefix><i>`, quantity 1 to 7 in turn.
    static func command(_ index: Int, sku: String, prefix: String) -> Command {
        .allocate(Allocate(orderid: prefix + String(index), sku: sku, qty: 1 + index % 7))
    }

    /// Runs in the child: one warm-up command (statements prepared, untimed, counted), then waits for the start
    /// time and times `count` commands.
    static func run(_ arguments: [String]) throws {
        guard arguments.count == 6, let count = Int(arguments[3]), let startAt = UInt64(arguments[4]) else {
            throw Options.Invalid(description: "\(flag) DATABASE SKU PREFIX COUNT START_NS OUTPUT")
        }
        let (location, sku, prefix, output) = (arguments[0], arguments[1], arguments[2], arguments[5])
        let settings = benchSettings(path: location, synchronous: .full)
        let bus = MessageBus.standard(
            database: try Database.open(settings: settings, access: .readWrite), settings: settings, log: { _ in })
        var report = WriterReport()
        report.count(outcomeOf: { try bus.handle(command(count, sku: sku, prefix: prefix)) })
        while monotonicNanoseconds() < startAt { usleep(200) }
        report.start = monotonicNanoseconds()
        for index in 0..<count {
            let before = monotonicNanoseconds()
            report.count(outcomeOf: { try bus.handle(command(index, sku: sku, prefix: prefix)) })
            report.latencies.append(monotonicNanoseconds() - before)
        }
        report.end = monotonicNanoseconds()
        bus.finishNotifications()
        try Data(report.text.utf8).write(to: URL(fileURLWithPath: output))
    }

    /// Starts a writer process; its standard error goes to `output` + `.err`.
    static func start(
        location: String, sku: String, prefix: String, count: Int, startAt: UInt64, output: String
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try benchExecutable())
        process.arguments = [flag, location, sku, prefix, String(count), String(startAt), output]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCK_") }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: output + ".err", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: output + ".err")
        try process.run()
        return process
    }
}

/// What one writer did: every command's outcome counted (the warm-up too), the timed commands' latencies and
/// when the timed loop started and ended, on the monotonic clock all processes share.
struct WriterReport {
    var allocated = 0
    var waiting = 0
    var failed = 0
    var firstFailure = ""
    var start: UInt64 = 0
    var end: UInt64 = 0
    var latencies: [UInt64] = []

    var answered: Int { allocated + waiting }

    mutating func count(outcomeOf body: () throws -> Outcome) {
        do {
            switch try body() {
            case .allocated: allocated += 1
            case .waiting: waiting += 1
            default: failed += 1
            }
        } catch {
            failed += 1
            if firstFailure.isEmpty { firstFailure = "\(error)".replacingOccurrences(of: "\n", with: " ") }
        }
    }

    /// Line one: the counts and times; line two: the first failure; then one latency (ns) a line.
    var text: String {
        "\(allocated) \(waiting) \(failed) \(start) \(end)\n\(firstFailure)\n"
            + latencies.map(String.init).joined(separator: "\n") + "\n"
    }

    init() {}

    /// Reads what ``text`` wrote.
    init(contentsOf path: String) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let head = lines.first?.split(separator: " ").compactMap { UInt64($0) } ?? []
        guard head.count == 5, lines.count >= 2 else { throw BenchFailure(description: "unreadable report \(path)") }
        (allocated, waiting, failed) = (Int(head[0]), Int(head[1]), Int(head[2]))
        (start, end) = (head[3], head[4])
        firstFailure = String(lines[1])
        latencies = lines.dropFirst(2).compactMap { UInt64($0) }
    }
}

/// The monotonic clock in nanoseconds (`CLOCK_MONOTONIC`, the same in every process of the machine).
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// The load average over 1, 5 and 15 minutes, as `/proc/loadavg` gives it.
func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "? ? ?"
    return text.split(separator: " ").prefix(3).joined(separator: ", ")
}
