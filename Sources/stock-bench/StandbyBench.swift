import Allocation
import Foundation

/// `stock-bench --engine postgres --standby URL`: what a synchronous standby costs the writers and how far behind
/// the primary a monitor on it is. Four `stock apply` processes (the binary beside stock-bench) allocate on SKUs of
/// their own in a scratch schema, at `synchronous` `full` (each commit waits for the synchronous standby), at `full`
/// with the standby made asynchronous for the run (the primary's `synchronous_standby_names` emptied, then put
/// back), and at `normal` (`synchronous_commit` off for the session: no wait for the standby nor the disk);
/// meanwhile the bench notes the primary's newest event id and times how long the standby takes to show it.
struct StandbyBench {
    let primaryURL: String
    let standbyURL: String
    let directory: String
    let commandsPerWriter: Int

    static let writers = 4

    func run() throws {
        guard let stock = stockExecutableBesideBench() else {
            print("\nA synchronous standby: no stock binary beside stock-bench; skipped")
            return
        }
        let primary = try Database(serverURL: primaryURL)
        let standbys =
            try primary.query("SELECT application_name, state, sync_state FROM pg_stat_replication") { row in
                "\(row.text(0)) \(row.text(1)) \(row.text(2))"
            }
        print("")
        print(
            "A synchronous standby at \(ServerAddress(url: standbyURL).shown), \(Self.writers) `stock apply` "
                + "processes of \(commandsPerWriter) Allocate lines each, one transaction per command, on SKUs of "
                + "their own; the primary's standbys: \(standbys.isEmpty ? "none" : standbys.joined(separator: ", "))")
        let scratch = try ScratchSchema(serverURL: primaryURL, purpose: "standby")
        defer { scratch.drop() }
        let onStandby = standbyURL + (standbyURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(scratch.name)"
        _ = try Database.open(settings: benchSettings(path: scratch.url, synchronous: .off), access: .create)
        let original = try primary.queryOne(
            "SELECT setting, coalesce(sourcefile, '') LIKE '%postgresql.auto.conf' FROM pg_settings "
                + "WHERE name = 'synchronous_standby_names'"
        ) { (names: $0.text(0), altered: $0.text(1) == "t") }
        var rates: [String: Double] = [:]
        for run in Run.allCases {
            if run == .asynchronousStandby {
                // Off for this run only: the primary's own setting is put back whatever happens next.
                try primary.execute("ALTER SYSTEM SET synchronous_standby_names = ''")
                _ = try primary.queryOne("SELECT pg_reload_conf()") { $0.text(0) }
            }
            defer {
                if run == .asynchronousStandby { restore(original, on: primary) }
            }
            let skus = (0..<Self.writers).map { "STANDBY-\(run.rawValue)-\($0)" }
            try seed(skus: skus, location: scratch.url)
            try waitUntilReplayed(primary: scratch.url, standby: onStandby)
            let (seconds, lags) = try measure(
                stock: stock, skus: skus, synchronous: run.synchronous, tag: run.rawValue, primary: scratch.url,
                standby: onStandby)
            let rate = Double(Self.writers * commandsPerWriter) / seconds
            rates[run.rawValue] = rate
            let sorted = lags.sorted()
            print(
                "  \(run.label): \(fixed(rate)) commands/s; the standby showed the primary's newest event after p50 "
                    + "\(fixed(1000 * percentile(sorted, 0.5), 1)) ms, p99 \(fixed(1000 * percentile(sorted, 0.99), 1)) "
                    + "ms, max \(fixed(1000 * (sorted.last ?? 0), 1)) ms (\(sorted.count) samples)")
        }
        let share = (rates[Run.synchronousStandby.rawValue] ?? 0) / max(1, rates[Run.asynchronousStandby.rawValue] ?? 1)
        print(
            "  waiting for the synchronous standby: \(fixed(100 * share))% of the rate without it; a monitor on the "
                + "standby adds up to its refreshMs to the delays above")
    }

    /// The three ways the writers run.
    enum Run: String, CaseIterable {
        /// `synchronous: full`, and the primary's `synchronous_standby_names` as it is.
        case synchronousStandby = "sync"
        /// `synchronous: full` with `synchronous_standby_names` emptied for the run: the standby asynchronous.
        case asynchronousStandby = "async"
        /// `synchronous: normal`: `synchronous_commit` off for the writers' sessions.
        case normal

        var synchronous: Synchronous { self == .normal ? .normal : .full }

        var label: String {
            switch self {
            case .synchronousStandby: "synchronous full, each commit waits for the synchronous standby"
            case .asynchronousStandby: "synchronous full, the standby made asynchronous (synchronous_standby_names '')"
            case .normal: "synchronous normal (synchronous_commit off: no wait for the disk or the standby)"
            }
        }
    }

    /// Puts the primary's `synchronous_standby_names` back as it was; says so on standard error when it cannot.
    private func restore(_ original: (names: String, altered: Bool)?, on primary: Database) {
        do {
            if let original, original.altered {
                try primary.execute(
                    "ALTER SYSTEM SET synchronous_standby_names = '\(original.names.replacingOccurrences(of: "'", with: "''"))'"
                )
            } else {
                try primary.execute("ALTER SYSTEM RESET synchronous_standby_names")
            }
            _ = try primary.queryOne("SELECT pg_reload_conf()") { $0.text(0) }
        } catch {
            FileHandle.standardError.write(
                Data("stock-bench: could not restore synchronous_standby_names on the primary: \(error)\n".utf8))
        }
    }

    private func seed(skus: [String], location: String) throws {
        let bus = MessageBus(
            database: try Database.open(settings: benchSettings(path: location, synchronous: .off), access: .readWrite),
            clock: .system, log: { _ in })
        for sku in skus {
            try bus.handle(.createBatch(CreateBatch(ref: sku + "-W", sku: sku, qty: 1_000_000, eta: nil)))
        }
    }

    /// Runs the writers and, while they run, samples the standby's delay; returns the writers' wall time and the
    /// delays in seconds.
    private func measure(
        stock: String, skus: [String], synchronous: Synchronous, tag: String, primary primaryLocation: String,
        standby standbyLocation: String
    ) throws -> (Double, [Double]) {
        let settingsFile = "\(directory)/standby-\(tag).json"
        try #"{"synchronous": "\#(synchronous.rawValue)"}"#.write(
            toFile: settingsFile, atomically: true, encoding: .utf8)
        var processes: [Process] = []
        for (writer, sku) in skus.enumerated() {
            let input = "\(directory)/standby-\(tag)-\(writer).jsonl"
            let lines = (0..<commandsPerWriter).map {
                #"{"command":"Allocate","orderid":"S-\#(writer)-\#($0)","sku":"\#(sku)","qty":1}"#
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: stock)
            process.arguments = ["--settings", settingsFile, "--db", primaryLocation, "apply"]
            process.standardInput = FileHandle(forReadingAtPath: input)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            processes.append(process)
        }
        let primary = try Database(serverURL: primaryLocation, access: .readOnly)
        let standby = try Database(serverURL: standbyLocation, access: .readOnly)
        var lags: [Double] = []
        let start = ContinuousClock.now
        for process in processes { try process.run() }
        while processes.contains(where: \.isRunning) {
            let noted = ContinuousClock.now
            let newest = try newestEvent(in: primary)
            while try newestEvent(in: standby) < newest { usleep(1000) }
            lags.append(seconds(ContinuousClock.now - noted))
            usleep(20_000)
        }
        for process in processes { process.waitUntilExit() }
        let elapsed = seconds(ContinuousClock.now - start)
        for process in processes where process.terminationStatus != 0 {
            throw BenchFailure(description: "stock apply on the primary exited \(process.terminationStatus)")
        }
        return (elapsed, lags)
    }

    /// Waits until the standby holds every event the primary holds, so the seed is not counted as lag.
    private func waitUntilReplayed(primary primaryLocation: String, standby standbyLocation: String) throws {
        let newest = try newestEvent(in: try Database(serverURL: primaryLocation, access: .readOnly))
        let standby = try Database(serverURL: standbyLocation, access: .readOnly)
        let deadline = ContinuousClock.now + .seconds(30)
        while try newestEvent(in: standby) < newest {
            guard ContinuousClock.now < deadline else {
                throw BenchFailure(description: "the standby did not replay the seed within 30 s: is it streaming?")
            }
            usleep(2000)
        }
    }

    private func newestEvent(in database: Database) throws -> Int64 {
        try database.queryOne("SELECT coalesce(max(id), 0) FROM events") { $0.int64(0) } ?? 0
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
