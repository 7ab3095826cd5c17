import Allocation
import Foundation

/// `stock-bench --engine postgres`: allocation through the whole bus with 1, 4 and 8 writer processes on a
/// PostgreSQL server and on SQLite in the same run, against `pgbench` running the minimal allocation and the
/// fixed anchors; then the console's first frame and refresh on both engines (``ServerConsoleBench``).
struct ServerBench {
    /// The share of the pgbench rate stock must reach with 1 and with 4 writers.
    static let targetShare = 0.6

    let options: Options
    let serverURL: String
    let directory: String

    /// Allocations each writer process sends (timed), after one warm-up.
    var commandsPerWriter: Int { options.quick ? 30 : 1000 }
    /// How long each pgbench run lasts.
    var pgbenchSeconds: Int { options.quick ? 1 : 5 }

    func run() throws {
        print(
            "stock-bench --engine postgres: \(ProcessInfo.processInfo.activeProcessorCount) cores, "
                + "\(try serverVersion(serverURL)) at \(ServerAddress(url: serverURL).shown), "
                + "SQLite \(sqliteVersion()), files under \(directory); load average \(loadAverage())")
        #if DEBUG
            print("debug build: the figures show that every section runs, not how fast (measure with -c release)")
        #endif
        let scratch = try ScratchSchema(serverURL: serverURL, purpose: "writers")
        defer { scratch.drop() }
        print("  schema \(scratch.name) on the server for this run, dropped at the end")
        if options.skipWriters {
            print("  --skip-writers: allocation and pgbench skipped")
        } else {
            try runWriters(serverLocation: scratch.url)
        }
        if let standby = options.standbyURL {
            try StandbyBench(
                primaryURL: serverURL, standbyURL: standby, directory: directory,
                commandsPerWriter: options.quick ? 50 : 1000
            ).run()
        }
        try ServerConsoleBench(options: options, serverURL: serverURL, directory: directory).run()
        print("")
        print("load average at the end: \(loadAverage())")
    }

    private func runWriters(serverLocation: String) throws {
        print("")
        print(
            "Allocation through the whole bus (MessageBus.handle, one transaction per command, as `stock allocate`), "
                + "N writer processes at once, \(commandsPerWriter) timed allocations each after one warm-up, "
                + "synchronous FULL on SQLite and synchronous_commit=on on the server, read committed with the "
                + "product row locked; each SKU has batches of 60 (warehouse), 1,000,000 and 1,000,000 (arriving):")
        let engines = [
            EngineWriters(
                engine: "PostgreSQL", location: serverLocation, directory: directory,
                commandsPerWriter: commandsPerWriter),
            EngineWriters(
                engine: "SQLite", location: "\(directory)/writers.sqlite", directory: directory,
                commandsPerWriter: commandsPerWriter),
        ]
        for engine in engines { try engine.create() }
        var server: [WritersMeasurement] = []
        var inconsistent = 0
        for configuration in WriterConfiguration.all {
            for engine in engines {
                let measured = try engine.measure(configuration)
                print(EngineWriters.describe(measured, engine: engine.engine))
                if engine.engine == "PostgreSQL" { server.append(measured) }
                if !measured.consistent { inconsistent += 1 }
            }
        }
        let pgbench = try runPgbench(location: serverLocation)
        printTargets(server: server, pgbench: pgbench)
        try ServerApplyBench(serverLocation: serverLocation, directory: directory, commands: options.quick ? 200 : 5000)
            .run()
        if inconsistent > 0 {
            throw BenchFailure(description: "\(inconsistent) measurement(s) left the database inconsistent")
        }
    }

    /// pgbench with 1, 4 and 8 clients on the same schema, or nothing when it is not on PATH.
    private func runPgbench(location: String) throws -> [Int: PgbenchAnchor.Result] {
        print("")
        print(
            "pgbench on the same schema, the minimal allocation (lock the SKU's batches FOR UPDATE, the first with "
                + "room, insert the line and its allocation, bump the version: 6 statements, -M prepared), random "
                + "SKU of \(PgbenchAnchor.skuCount), \(pgbenchSeconds) s each:")
        guard let executable = PgbenchAnchor.executable else {
            print("  skipped: no pgbench on PATH; the fixed anchors below stand alone")
            return [:]
        }
        try EngineWriters.seed(skus: (0..<PgbenchAnchor.skuCount).map(PgbenchAnchor.sku), location: location)
        let anchor = PgbenchAnchor(pgbench: executable, url: location, directory: directory, seconds: pgbenchSeconds)
        var results: [Int: PgbenchAnchor.Result] = [:]
        for clients in [1, 4, 8] {
            let result = try anchor.run(clients: clients)
            results[clients] = result
            print(
                "  pgbench -c \(clients): \(fixed(result.tps)) allocations/s, p50 \(milliseconds(result.p50)) p99 "
                    + "\(milliseconds(result.p99)); \(result.transactions) transactions, \(result.failed) failed")
        }
        for clients in [1, 4] {
            let result = try anchor.run(clients: clients, withEvent: true)
            print(
                "  pgbench -c \(clients) with the event row stock also writes (its trigger's NOTIFY): "
                    + "\(fixed(result.tps)) allocations/s, p50 \(milliseconds(result.p50)) p99 "
                    + "\(milliseconds(result.p99)); \(result.transactions) transactions, \(result.failed) failed")
        }
        return results
    }

    private func printTargets(server: [WritersMeasurement], pgbench: [Int: PgbenchAnchor.Result]) {
        func rate(_ configuration: WriterConfiguration) -> Double {
            server.first { $0.configuration == configuration }?.rate ?? 0
        }
        let one = rate(WriterConfiguration(writers: 1, shared: false))
        let four = rate(WriterConfiguration(writers: 4, shared: false))
        let eight = rate(WriterConfiguration(writers: 8, shared: false))
        func verdict(_ met: Bool) -> String { met ? "met" : "NOT met" }
        print("")
        print(
            "Anchors (fixed, measured on this machine by the issue's author): pgbench minimal allocation "
                + "\(fixed(PgbenchAnchor.fixedRate[1] ?? 0))/s with 1 client, "
                + "\(fixed(PgbenchAnchor.fixedRate[4] ?? 0))/s with 4; the book's reference implementation \(fixed(PgbenchAnchor.referenceRate))/s"
        )
        print("Targets (stock on PostgreSQL at \(fixed(100 * ServerBench.targetShare))% or more of pgbench):")
        for (writers, measured) in [(1, one), (4, four)] {
            let anchor = PgbenchAnchor.fixedRate[writers] ?? 0
            var line =
                "  \(writers) writer\(writers == 1 ? "" : "s") (distinct SKUs): stock \(fixed(measured))/s = "
                + "\(fixed(100 * measured / anchor))% of the fixed anchor \(fixed(anchor))/s: "
                + verdict(measured >= ServerBench.targetShare * anchor)
            if let same = pgbench[writers] {
                line +=
                    "; \(fixed(100 * measured / same.tps))% of this run's pgbench \(fixed(same.tps))/s: "
                    + verdict(measured >= ServerBench.targetShare * same.tps)
            }
            print(line)
        }
        print(
            "  1 writer: \(fixed(one / PgbenchAnchor.referenceRate, 1))x the reference implementation's "
                + "\(fixed(PgbenchAnchor.referenceRate))/s")
        print(
            "  8 writers on distinct SKUs faster in total than 1: \(fixed(eight))/s against \(fixed(one))/s: "
                + verdict(eight > one))
        guard !pgbench.isEmpty else { return }
        print("Targets (stock on PostgreSQL at 100% or more of this run's pgbench, the same 6 statements):")
        for (writers, measured) in [(1, one), (4, four), (8, eight)] {
            guard let same = pgbench[writers] else { continue }
            print(
                "  \(writers) writer\(writers == 1 ? "" : "s") (distinct SKUs) against pgbench -c \(writers): "
                    + "\(fixed(measured))/s against \(fixed(same.tps))/s = \(fixed(100 * measured / same.tps))%: "
                    + verdict(measured >= same.tps))
        }
    }
}
