import Allocation
import Foundation

/// One measured configuration of the engine comparison: how many writer processes, on SKUs of their own or on
/// one they share.
struct WriterConfiguration: Equatable {
    let writers: Int
    let shared: Bool

    /// 1 writer; 4 and 8 on distinct SKUs; 4 and 8 on one shared SKU.
    static let all = [
        WriterConfiguration(writers: 1, shared: false), WriterConfiguration(writers: 4, shared: false),
        WriterConfiguration(writers: 8, shared: false), WriterConfiguration(writers: 4, shared: true),
        WriterConfiguration(writers: 8, shared: true),
    ]

    var label: String {
        writers == 1 ? "1 writer" : "\(writers) writers on \(shared ? "one shared SKU" : "distinct SKUs")"
    }

    /// A name for the SKUs and orders of this configuration, unique in a run.
    var tag: String { "C\(writers)\(shared ? "S" : "D")" }

    func sku(ofWriter writer: Int) -> String { shared ? "\(tag)-SHARED" : "\(tag)-W\(writer)" }
}

/// What one configuration measured on one engine, checked against what the database holds afterwards.
struct WritersMeasurement {
    let configuration: WriterConfiguration
    let reports: [WriterReport]
    let commands: Int
    /// Allocations per second over all writers, from the first writer's start to the last one's end.
    let rate: Double
    let p50: Double
    let p99: Double
    let overAllocated: Int
    let mismatched: Int
    let lines: Int
    let allocations: Int

    var answered: Int { reports.map(\.answered).reduce(0, +) }
    var allocated: Int { reports.map(\.allocated).reduce(0, +) }
    var failed: Int { reports.map(\.failed).reduce(0, +) }
    /// Every command answered, nothing over-allocated, every batch's `allocated` the sum of its lines, one line
    /// per command and one allocation per allocated answer.
    var consistent: Bool {
        failed == 0 && answered == commands && overAllocated == 0 && mismatched == 0 && lines == commands
            && allocations == allocated
    }
}

/// Allocation through the whole bus with N writer processes (``AllocationWriter``) on one database: a SQLite file
/// or a server schema.
struct EngineWriters {
    let engine: String
    let location: String
    let directory: String
    let commandsPerWriter: Int

    /// Makes the stock schema (`stock init`).
    func create() throws {
        _ = try Database.open(settings: benchSettings(path: location, synchronous: .off), access: .create)
    }

    /// Creates each SKU's batches through the bus, untimed, at `synchronous=off`: a small one in the warehouse
    /// (60, taken first), then two large ones arriving (never running out), as the SQLite bench's workload.
    static func seed(skus: [String], location: String) throws {
        let settings = benchSettings(path: location, synchronous: .off)
        let bus = MessageBus(
            database: try Database.open(settings: settings, access: .readWrite), clock: .system, log: { _ in })
        let today = Clock.system.today
        for sku in skus {
            try bus.handle(.createBatch(CreateBatch(ref: sku + "-A", sku: sku, qty: 60, eta: nil)))
            try bus.handle(
                .createBatch(CreateBatch(ref: sku + "-B", sku: sku, qty: 1_000_000, eta: today.adding(days: 5))))
            try bus.handle(
                .createBatch(CreateBatch(ref: sku + "-C", sku: sku, qty: 1_000_000, eta: today.adding(days: 7))))
        }
    }

    func measure(_ configuration: WriterConfiguration) throws -> WritersMeasurement {
        let writers = configuration.writers
        let skus = Set((0..<writers).map(configuration.sku(ofWriter:))).sorted()
        try EngineWriters.seed(skus: skus, location: location)
        let outputs = (0..<writers).map { "\(directory)/\(engine)-\(configuration.tag)-\($0).report" }
        let startAt = monotonicNanoseconds() + UInt64(300 + 150 * writers) * 1_000_000
        let processes = try (0..<writers).map { writer in
            try AllocationWriter.start(
                location: location, sku: configuration.sku(ofWriter: writer),
                prefix: "\(configuration.tag)-w\(writer)-", count: commandsPerWriter, startAt: startAt,
                output: outputs[writer])
        }
        for process in processes { process.waitUntilExit() }
        var reports: [WriterReport] = []
        for (process, output) in zip(processes, outputs) {
            guard process.terminationStatus == 0, let report = try? WriterReport(contentsOf: output) else {
                let error = (try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? ""
                throw BenchFailure(
                    description: "a writer on \(engine) failed (status \(process.terminationStatus)): \(error)")
            }
            reports.append(report)
        }
        let begin = reports.map(\.start).min() ?? 0
        let end = reports.map(\.end).max() ?? 0
        let latencies = reports.flatMap(\.latencies).map { Double($0) / 1e9 }.sorted()
        let db = try Database.open(settings: benchSettings(path: location), access: .readOnly)
        let pattern = configuration.tag + "-%"
        func count(_ sql: String) throws -> Int { try db.queryOne(sql, pattern) { $0.int(0) } ?? -1 }
        return WritersMeasurement(
            configuration: configuration, reports: reports, commands: writers * (commandsPerWriter + 1),
            rate: Double(latencies.count) / (Double(end - begin) / 1e9), p50: percentile(latencies, 0.5),
            p99: percentile(latencies, 0.99),
            overAllocated: try count(
                "SELECT count(*) FROM batches WHERE sku LIKE ? AND shipped + allocated > purchased"),
            mismatched: try count(
                """
                SELECT count(*) FROM batches AS b WHERE b.sku LIKE ? AND b.allocated <> (
                  SELECT coalesce(sum(l.qty), 0) FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id
                  WHERE a.batch_id = b.id)
                """),
            lines: try count("SELECT count(*) FROM order_lines WHERE orderid LIKE ?"),
            allocations: try count(
                "SELECT count(*) FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id "
                    + "WHERE l.orderid LIKE ?"))
    }

    /// The line a measurement prints.
    static func describe(_ m: WritersMeasurement, engine: String) -> String {
        let firstFailure = m.reports.map(\.firstFailure).first { !$0.isEmpty }
        return "  \(engine.padding(toLength: 10, withPad: " ", startingAt: 0)) "
            + "\(m.configuration.label.padding(toLength: 27, withPad: " ", startingAt: 0)): "
            + "\(fixed(m.rate)) allocations/s, p50 \(milliseconds(m.p50)) p99 \(milliseconds(m.p99)); answered "
            + "\(m.answered) of \(m.commands) (allocated \(m.allocated), waiting \(m.answered - m.allocated), "
            + "failed \(m.failed)); over-allocated batches \(m.overAllocated), batches whose allocated is not the "
            + "sum of their lines \(m.mismatched), lines \(m.lines), allocations \(m.allocations): "
            + (m.consistent ? "ok" : "NOT ok") + (firstFailure.map { " (first failure: \($0))" } ?? "")
    }
}
