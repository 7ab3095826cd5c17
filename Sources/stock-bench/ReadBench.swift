import Allocation
import Foundation

/// The big database: `batches` batches over a tenth as many SKUs, `orderLines` allocated order lines and as many
/// events as both; at full size 100,000 batches, 1,000,000 lines and 1,100,000 events.
struct BigDatabase: Equatable {
    let batches: Int
    let orderLines: Int
    var skus: Int { batches / 10 }

    static let full = BigDatabase(batches: 100_000, orderLines: 1_000_000)
    /// The size of `--quick`, seeded in a second or two.
    static let quick = BigDatabase(batches: 10_000, orderLines: 100_000)

    /// The SKU the seed names `index`, e.g. `SKU-04321`.
    static func sku(_ index: Int) -> String {
        "SKU-" + String(100_000 + index).dropFirst()
    }

    /// The batch the seed names `index`, e.g. `B-099999`.
    static func batch(_ index: Int) -> String {
        "B-" + String(1_000_000 + index).dropFirst()
    }

    /// Bulk-seeds with plain SQL (recursive CTEs) in one transaction: going through the bus would take hours of
    /// commits, and only the shape of the data matters for reads. Rows follow the records' rules (allocated ≤
    /// purchased, ETAs as `YYYY-MM-DD`, payloads as `Event.payload` writes them).
    func seed(at path: String) throws {
        removeDatabase(path)
        let db = try Database.open(settings: benchSettings(path: path, synchronous: .off), access: .create)
        try db.execute("PRAGMA cache_size = -131072")
        let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
        try db.transaction { db in
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(skus - 1))
                INSERT INTO products (sku, version) SELECT printf('SKU-%05d', i), 110 FROM n
                """)
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(batches - 1))
                INSERT INTO batches (id, reference, sku, purchased, eta)
                SELECT i + 1, printf('B-%06d', i), printf('SKU-%05d', i % \(skus)), 1000,
                  CASE WHEN i % 3 = 0 THEN NULL ELSE date('2027-01-01', '+' || (i % 90) || ' days') END FROM n
                """)
            try db.execute(
                """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < \(orderLines - 1))
                INSERT INTO order_lines (id, orderid, sku, qty)
                SELECT i + 1, printf('order-%07d', i), printf('SKU-%05d', i % \(skus)), 1 + i % 5 FROM n
                """)
            try db.execute(
                """
                INSERT INTO allocations (orderline_id, batch_id, qty)
                SELECT id, (id - 1) % \(batches) + 1, qty FROM order_lines ORDER BY id
                """)
            try db.execute(
                """
                INSERT INTO events (at, kind, payload)
                SELECT \(now), 'BatchCreated', json_object('ref', reference, 'sku', sku, 'qty', purchased, 'eta', eta)
                FROM batches ORDER BY id
                """)
            try db.execute(
                """
                INSERT INTO events (at, kind, payload)
                SELECT \(now), 'Allocated',
                  json_object('orderid', l.orderid, 'sku', l.sku, 'qty', l.qty, 'batchref', b.reference)
                FROM order_lines AS l JOIN allocations AS a ON a.orderline_id = l.id
                  JOIN batches AS b ON b.id = a.batch_id
                ORDER BY l.id
                """)
        }
    }

    /// Whether `path` holds a complete seed made with the current schema.
    func isUsable(_ path: String) -> Bool {
        guard let db = try? Database.open(settings: benchSettings(path: path), access: .readOnly) else { return false }
        let lines = (try? db.queryOne("SELECT max(id) FROM order_lines") { $0.int(0) }) ?? nil
        let batchCount = (try? Views.batchCount(in: db)) ?? -1
        return lines == orderLines && batchCount == batches
    }

    /// Seeds in a child process (this executable with `--seed-big-only`), so the parent's peak RSS stays the reader's.
    func seedInChild(at path: String) throws {
        let executable = try benchExecutable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--seed-big-only", path] + (self == .quick ? ["--quick"] : [])
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure(description: "seeding \(path) failed (status \(process.terminationStatus))")
        }
    }
}

func padded(_ label: String) -> String {
    label.padding(toLength: 48, withPad: " ", startingAt: 0)
}

/// Times a screen's query: the first call and the median of the next `repeats`.
func timeQuery<T>(_ label: String, repeats: Int = 5, _ query: () throws -> [T]) rethrows {
    let (rows, first) = try timed(query)
    var later: [Double] = []
    for _ in 0..<repeats { later.append(try timed(query).1) }
    let name = padded(label)
    print(
        "  \(name) \(rows.count) rows  first \(milliseconds(first)), "
            + "median of \(repeats) \(milliseconds(median(later)))")
}

extension BigDatabase {
    /// The big database at `--big-db PATH` when it holds a complete seed of this size, else seeded afresh there (or
    /// in `directory`); prints which. The caller removes a file it did not keep.
    func prepare(options: Options, directory: String) throws -> String {
        let path = options.bigDatabase ?? "\(directory)/big.sqlite"
        print("")
        print("Big database: \(batches) batches over \(skus) SKUs, \(orderLines) allocated order lines, as many events")
        if options.bigDatabase != nil && isUsable(path) {
            print("  reusing \(path) (schema version \(Schema.currentVersion))")
        } else {
            let ((), seconds) = try timed { try seedInChild(at: path) }
            print("  seeded \(path) in \(fixed(seconds, 1)) s, with plain SQL inserts (recursive CTEs), not the bus")
        }
        return path
    }
}

/// The pages the screens ask for on the big database at `path`, with the process's resident memory.
func runReadBench(big: BigDatabase, path: String) throws {
    print(
        "Read side on the big database (\(big.batches + big.orderLines) events; the file in the OS page cache):")
    let size = ["", "-wal"].map { fileSizeKiB(path + $0) }.filter { $0 > 0 }.reduce(0, +)
    print("  file size \(mebibytes(size))")

    let peakReset = resetPeakRSS()
    print(
        "  before open: VmRSS \(mebibytes(procStatusKiB("VmRSS"))), VmHWM \(mebibytes(procStatusKiB("VmHWM")))"
            + (peakReset ? " (peak reset via /proc/self/clear_refs)" : " (peak could not be reset)"))
    let (db, openSeconds) = try timed { try Database.open(settings: benchSettings(path: path), access: .readWrite) }
    print("  \(padded("open (WAL, pragmas, schema read)")) \(milliseconds(openSeconds))")
    let total = try Views.batchCount(in: db)
    try timeQuery("Views.batchCount") { [try Views.batchCount(in: db)] }
    for (name, offset) in [("start", 0), ("middle", total / 2), ("end", total - 40)] {
        try timeQuery("Views.batches 40 at offset \(offset) (\(name))") {
            try Views.batches(limit: 40, offset: offset, in: db)
        }
    }
    try timeQuery("Views.lines 40, newest") {
        try Views.lines(matching: nil, from: Int64.max, newer: false, limit: 40, in: db)
    }
    try timeQuery("Views.lines 40, oldest") {
        try Views.lines(matching: nil, from: 0, newer: true, limit: 40, in: db)
    }
    let sku = BigDatabase.sku(4321 % big.skus)
    try timeQuery("Views.lines 40 matching \(sku)") {
        try Views.lines(matching: sku, from: Int64.max, newer: false, limit: 40, in: db)
    }
    try timeQuery("Views.events 40, newest") { try Views.events(from: Int64.max, newer: false, limit: 40, in: db) }
    let last = BigDatabase.batch(big.batches - 1)
    try timeQuery("Views.boardPosition of the last batch") {
        [try Views.boardPosition(reference: last, in: db)]
    }
    try timeQuery("Views.nextBatch \"\(last.lowercased())\" after the first") {
        [try Views.nextBatch(containing: last.lowercased(), after: BigDatabase.batch(0), in: db)]
    }
    try timeQuery("Views.nextBatch \"no-such\" (no match)") {
        [try Views.nextBatch(containing: "no-such", after: BigDatabase.batch(0), in: db)]
    }
    // The seed's ETAs run from 2027-01-01 over 90 days: from that day the projection holds its 56 days.
    let seedDay = Day(year: 2027, month: 1, day: 1) ?? Clock.system.today
    try timeQuery("Views.projection of \(sku), 56 days") {
        [try Views.projection(sku: sku, today: seedDay, in: db)]
    }
    print("  after reads: VmRSS \(mebibytes(procStatusKiB("VmRSS"))), VmHWM \(mebibytes(procStatusKiB("VmHWM")))")
    try runListingBench(path: path, rounds: big == .quick ? 1 : 3)
}

/// One listing of issue 21's target 2: a `stock` command and the sqlite3 shell printing the same rows in the same
/// format family (text as `.mode list`, JSON as `-json`, CSV as `-csv`).
struct Listing {
    let label: String
    let stock: [String]
    let shellMode: String?
    let sql: String

    static let all: [Listing] = [
        Listing(label: "stock events", stock: ["events"], shellMode: nil, sql: eventsSQL),
        Listing(label: "stock events --json", stock: ["events", "--json"], shellMode: "-json", sql: eventsSQL),
        Listing(label: "stock export events -", stock: ["export", "events", "-"], shellMode: "-csv", sql: eventsSQL),
        Listing(
            label: "stock export allocations -", stock: ["export", "allocations", "-"], shellMode: "-csv",
            sql: """
                SELECT l.orderid, l.sku, l.qty, CASE WHEN a.batch_id IS NULL THEN 'waiting' ELSE 'allocated' END,
                  b.reference, l.waiting_since, l.shipped_at
                FROM order_lines AS l LEFT JOIN allocations AS a ON a.orderline_id = l.id
                  LEFT JOIN batches AS b ON b.id = a.batch_id ORDER BY l.id
                """),
        Listing(
            label: "stock export batches -", stock: ["export", "batches", "-"], shellMode: "-csv", sql: batchesSQL),
        Listing(label: "stock batches --json", stock: ["batches", "--json"], shellMode: "-json", sql: batchesSQL),
        Listing(
            label: "stock backorders --json", stock: ["backorders", "--json"], shellMode: "-json",
            sql: "SELECT orderid, sku, qty, waiting_since FROM order_lines WHERE waiting_since IS NOT NULL ORDER BY id"),
    ]

    private static let eventsSQL = "SELECT id, at, operator, kind, payload FROM events ORDER BY id"
    private static let batchesSQL = """
        SELECT b.reference, b.sku, b.purchased, b.eta, b.shipped, b.purchased - b.shipped, coalesce(sum(a.qty), 0),
          b.purchased - b.shipped - coalesce(sum(a.qty), 0)
        FROM batches AS b LEFT JOIN allocations AS a ON a.batch_id = b.id GROUP BY b.id ORDER BY b.id
        """
}

/// A child process's wall time and peak resident memory, its standard output sent to `/dev/null`.
struct ChildRun {
    let seconds: Double
    let peakKiB: Int

    /// Runs `arguments` (the program first) and waits for it.
    ///
    /// - Throws: `BenchFailure` when it cannot start or exits with another status than 0.
    static func run(_ arguments: [String]) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw BenchFailure(description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let (whole, attoseconds) = (ContinuousClock.now - start).components
        guard status == 0 else {
            throw BenchFailure(description: "\(arguments.joined(separator: " ")) failed (wait status \(status))")
        }
        return ChildRun(seconds: Double(whole) + Double(attoseconds) / 1e18, peakKiB: usage.ru_maxrss)
    }
}

/// Each listing of issue 21's target 2 timed against the sqlite3 shell printing the same rows (median of
/// `rounds`, output to `/dev/null`), with stock's peak RSS and whether it is within 2× of the shell.
func runListingBench(path: String, rounds: Int) throws {
    print("")
    print("Listings against the sqlite3 shell, same rows and format family, output to /dev/null (median of \(rounds)):")
    guard let stock = stockExecutableBesideBench() else {
        print(
            "  skipped: no stock executable beside stock-bench; build it with `swift build -c release --product stock`")
        return
    }
    let shell = "sqlite3"
    guard (try? ChildRun.run([shell, path, "SELECT 1"])) != nil else {
        print("  skipped: no sqlite3 shell on the PATH")
        return
    }
    let rows = ["events", "order_lines", "batches"].map { table in
        (try? rowCount(table, in: path)).map { "\($0) \(table)" } ?? table
    }
    print("  rows: \(rows.joined(separator: ", "))")
    for listing in Listing.all {
        var stockRuns: [ChildRun] = []
        var shellRuns: [ChildRun] = []
        for round in 0..<rounds {
            let (mine, theirs) = try alternating(
                round: round, { try ChildRun.run([stock, "--db", path] + listing.stock) },
                { try ChildRun.run([shell] + (listing.shellMode.map { [$0] } ?? []) + [path, listing.sql]) })
            stockRuns.append(mine)
            shellRuns.append(theirs)
        }
        let mine = median(stockRuns.map(\.seconds))
        let theirs = median(shellRuns.map(\.seconds))
        let ratio = mine / max(theirs, 1e-6)
        let peak = stockRuns.map(\.peakKiB).max() ?? 0
        print(
            "  \(padded(listing.label)) \(milliseconds(mine)) vs sqlite3 \(listing.shellMode ?? "list") "
                + "\(milliseconds(theirs)): \(fixed(ratio, 2))x, RSS \(mebibytes(peak)); target within 2x: "
                + (ratio <= 2 ? "met" : "not met"))
    }
}

/// The rows of `table`, for the listing section's heading.
private func rowCount(_ table: String, in path: String) throws -> Int {
    let db = try Database.open(settings: benchSettings(path: path), access: .readOnly)
    return try db.queryOne("SELECT count(*) FROM \(table)") { $0.int(0) } ?? 0
}
