import Foundation

/// The bench's command line.
struct Options {
    /// Every section at a small size, to show the program still runs (`.ci/run` runs it).
    var quick = false
    var allocations: Int
    var rounds: Int
    var skipBig = false
    /// Rounds of the `stock apply` comparison at each synchronous level.
    var applyRounds: Int
    var skipScale = false
    var skipRender = false
    var skipStartup = false
    var skipApply = false
    var skipGroup = false
    var skipHistory = false
    var skipWriters = false
    /// Where the big read-side database is kept between runs; nil means a fresh temporary file.
    var bigDatabase: String?
    /// Internal: seed the big database at this path and exit (run in a child so its memory is not measured).
    var seedOnly: String?
    var help = false
    /// The engine whose figures are measured: SQLite's sections, or the PostgreSQL comparison (``ServerBench``).
    var engine = Engine.sqlite
    /// The PostgreSQL server `--engine postgres` measures on: `--postgres`, else `$STOCK_BENCH_POSTGRES`, else
    /// `$STOCK_TEST_POSTGRES`.
    var postgresURL: String?
    /// Whether `--engine postgres` measures the console on 100,000 batches and 1,000,000 lines (else 10,000 and
    /// 100,000).
    var bigServer = false
    /// With `--engine postgres`: a hot standby of the server, synchronous, for ``StandbyBench``.
    var standbyURL: String?

    enum Engine: String {
        case sqlite
        case postgres
    }

    /// The big database's size.
    var big: BigDatabase { quick ? .quick : .full }
    /// Allocations on each SKU of the history measurement.
    var historyAllocations: Int { quick ? 200 : 2000 }
    /// Commands each process sends in the concurrent-writer measurement.
    var writerCommands: Int { quick ? 100 : 1000 }
    /// The scale measurement: allocations and arriving batches timed on each database, lines waiting for each batch.
    var scale: ScaleBench { quick ? ScaleBench(allocations: 200, fills: 3, waitingLines: 1000) : .full }
    /// Frames of each render measurement.
    var renderFrames: Int { quick ? 200 : 2000 }

    static let usage = """
        usage: stock-bench [--quick] [--allocations N] [--rounds N] [--apply-rounds N] [--skip-group] [--skip-apply]
                           [--skip-history] [--skip-writers] [--skip-big] [--skip-scale] [--skip-render]
                           [--skip-startup] [--big-db PATH] [--engine sqlite|postgres] [--postgres URL] [--big-server]
                           [--standby URL]

        Measures the stock allocation path (whole bus, Swift) against a hand-written C baseline doing the same
        SQL; then grouped commits against one transaction per command (the bars of 20x and 50,000/s); then
        `stock apply` (the binary built beside stock-bench) against a minimal C program on a seeded
        workload, at synchronous FULL and NORMAL, with the bar of 70% of the C rate, and grouped `stock apply` and
        `stock import orders` on ten times the allocations against the C program committing every 1,000 (the bars
        of 70% and of import at 20x per-command apply); then allocation on a SKU with
        10 batches against one with 10,000 (most emptied), with the bar of 2x; then 1, 4 and 8 `stock apply`
        processes writing at once (commands per second, waits for the write lock); then the read side on a
        database of 100,000 batches and 1,000,000 order lines, with each listing and export against the sqlite3
        shell printing the same rows (the bar of 2x); then allocation and a batch filling 1,000 waiting
        lines on the small database against that big one (p50, p99, the bar of 2x); then the console's render
        step of a 132x40 frame (the bar of 1 ms); then start-up: stock printing its version, and stock listing a
        small file's batches as JSON, against the sqlite3 shell's SELECT 1 (the bar of 3x and 12 MiB).

          --quick           every section at a small size (500 allocations, one round, a big database of 10,000
                            batches and 100,000 lines), in well under a minute: shows the program still runs
          --allocations N   allocations per round (default 5000)
          --rounds N        rounds of each bus measurement; the median is reported (default 5)
          --apply-rounds N  rounds of the stock apply measurement at each level (default 3)
          --skip-apply      skip the stock apply measurement
          --skip-group      skip the grouped-commits measurement (grouped vs one transaction per command)
          --skip-history    skip the allocation time by history (10 vs 10,000 batches)
          --skip-writers    skip the concurrent-writer measurement (1, 4 and 8 stock apply processes at once); with
                            --engine postgres, the allocation comparison and pgbench
          --skip-big        skip the big database: the read side and the scale measurement
          --skip-scale      skip the scale measurement (small against big database)
          --skip-render     skip the render measurement
          --skip-startup    skip the start-up measurement
          --big-db PATH     keep the big database at PATH and reuse it while it holds a complete seed of the
                            size asked (full or --quick) at the current schema version
          --engine E        sqlite (the default: the sections above) or postgres: allocation through the whole bus
                            with 1, 4 and 8 writer processes on distinct SKUs and on one shared SKU, on the server
                            and on SQLite in the same run, against pgbench running the minimal allocation; then the
                            console's first frame and refresh on both engines
          --postgres URL    the server for --engine postgres (default $STOCK_BENCH_POSTGRES, else
                            $STOCK_TEST_POSTGRES); each run works in a fresh schema there and drops it at the end
          --big-server      with --engine postgres: the console on 100,000 batches and 1,000,000 lines (else 10,000
                            and 100,000); seeding takes a minute or more
          --standby URL     with --engine postgres: a hot standby of that server (synchronous, for the figures to
                            mean what they say); 4 stock apply writers at synchronous full and normal, and how long
                            the standby takes to show the primary's newest event meanwhile
          --help            show this text
        """

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var words = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = words.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            return next
        }
        func count(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw Invalid(description: "\(flag) needs a positive whole number, got \(text)")
            }
            return number
        }
        var allocations: Int?
        var rounds: Int?
        var applyRounds: Int?
        while let word = words.popFirst() {
            switch word {
            case "--quick": quick = true
            case "--allocations": allocations = try count(word)
            case "--rounds": rounds = try count(word)
            case "--apply-rounds": applyRounds = try count(word)
            case "--skip-apply": skipApply = true
            case "--skip-group": skipGroup = true
            case "--skip-writers": skipWriters = true
            case "--skip-big": skipBig = true
            case "--skip-scale": skipScale = true
            case "--skip-render": skipRender = true
            case "--skip-startup": skipStartup = true
            case "--skip-history": skipHistory = true
            case "--big-db": bigDatabase = try value(word)
            case "--seed-big-only": seedOnly = try value(word)
            case "--engine":
                let name = try value(word)
                guard let chosen = Engine(rawValue: name) else {
                    throw Invalid(description: "--engine is sqlite or postgres, got \(name)")
                }
                engine = chosen
            case "--postgres": postgresURL = try value(word)
            case "--big-server": bigServer = true
            case "--standby": standbyURL = try value(word)
            case "--help", "-h": help = true
            default: throw Invalid(description: "unknown argument \(word)")
            }
        }
        self.allocations = allocations ?? (quick ? 500 : 5000)
        self.rounds = rounds ?? (quick ? 1 : 5)
        self.applyRounds = applyRounds ?? (quick ? 1 : 3)
        let named = [postgresURL, environment["STOCK_BENCH_POSTGRES"], environment["STOCK_TEST_POSTGRES"]]
        postgresURL = named.compactMap { $0 }.first { !$0.isEmpty }
        if standbyURL != nil && engine != .postgres {
            throw Invalid(description: "--standby needs --engine postgres and the standby's primary as --postgres")
        }
        if engine == .postgres && postgresURL == nil {
            throw Invalid(
                description: "--engine postgres needs a PostgreSQL server and none was given: pass --postgres URL "
                    + "(e.g. postgresql://postgres@/stocktest?host=/tmp/pgdev&port=25432) or set "
                    + "STOCK_BENCH_POSTGRES (or STOCK_TEST_POSTGRES)")
        }
    }
}
