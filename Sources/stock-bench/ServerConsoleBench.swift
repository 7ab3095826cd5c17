import Allocation
import Console
import Foundation

/// The console on the big database, on the server and on SQLite: the first frame (connect, load the screen shown
/// as the console does, render one 132x40 frame) and the refresh after another session's commit (the commit
/// noticed through ``Database/changedSinceLastCheck()``: LISTEN/NOTIFY on the server, `data_version` on SQLite;
/// then the reload and a frame).
struct ServerConsoleBench {
    let options: Options
    let serverURL: String
    let directory: String
    /// Commits the refresh is timed after.
    static let refreshes = 20

    var big: BigDatabase { options.bigServer ? .full : .quick }

    func run() throws {
        print("")
        print(
            "Console on the big database: \(big.batches) batches over \(big.skus) SKUs, \(big.orderLines) allocated "
                + "order lines, as many events\(options.bigServer ? "" : " (--big-server for 100,000 and 1,000,000)"):")
        let scratch = try ScratchSchema(serverURL: serverURL, purpose: "console")
        defer { scratch.drop() }
        let ((), serverSeconds) = try timed { try seedServer(scratch.url) }
        print("  seeded schema \(scratch.name) in \(fixed(serverSeconds, 1)) s (INSERT … SELECT generate_series)")
        let file = "\(directory)/console-big.sqlite"
        let ((), fileSeconds) = try timed { try big.seedInChild(at: file) }
        print("  seeded \(file) in \(fixed(fileSeconds, 1)) s (recursive CTEs)")
        defer { removeDatabase(file) }
        // The console sets the locale the terminal uses; cell widths come from it.
        setlocale(LC_CTYPE, "C.UTF-8")
        for (engine, location) in [("PostgreSQL", scratch.url), ("SQLite", file)] {
            try measure(engine: engine, location: location)
        }
    }

    private func measure(engine: String, location: String) throws {
        let settings = benchSettings(path: location)
        let label = engine.padding(toLength: 10, withPad: " ", startingAt: 0)
        for (name, screen) in [("batches board", RenderProbe.Screen.batches), ("monitor", .monitor)] {
            let (frame, seconds) = try timed {
                let db = try Database.open(settings: settings, access: .readWrite)
                return try RenderProbe.render(
                    screen, from: db, settings: settings, width: RenderBench.width, height: RenderBench.height,
                    frames: 1)
            }
            let drawn = frame.lines.filter { !$0.isEmpty }.count
            print(
                "  \(label) first frame, \(name): \(milliseconds(seconds)) (connect, load the screen shown, render "
                    + "\(RenderBench.width)x\(RenderBench.height); \(drawn) rows drawn)")
        }
        let console = try Database.open(settings: settings, access: .readWrite)
        let writer = MessageBus(
            database: try Database.open(settings: settings, access: .readWrite), clock: .system, log: { _ in })
        _ = try console.changedSinceLastCheck()
        var noticed: [Double] = []
        var reloaded: [Double] = []
        for index in 0..<ServerConsoleBench.refreshes {
            let sku = BigDatabase.sku((index * 7919) % big.skus)
            try writer.handle(.allocate(Allocate(orderid: "refresh-\(index)", sku: sku, qty: 1)))
            let ((), waited) = try timed {
                let deadline = monotonicNanoseconds() + 5_000_000_000
                while !(try console.changedSinceLastCheck()) {
                    guard monotonicNanoseconds() < deadline else {
                        throw BenchFailure(description: "\(engine): a commit went unnoticed for 5 s")
                    }
                    usleep(100)
                }
            }
            noticed.append(waited)
            reloaded.append(
                try timed {
                    try RenderProbe.render(
                        .batches, from: console, settings: settings, width: RenderBench.width,
                        height: RenderBench.height, frames: 1)
                }.1)
        }
        func figures(_ values: [Double]) -> String {
            let sorted = values.sorted()
            return "median \(milliseconds(percentile(sorted, 0.5))), max \(milliseconds(percentile(sorted, 1)))"
        }
        let totals = zip(noticed, reloaded).map(+)
        print(
            "  \(label) refresh after another session's commit, \(ServerConsoleBench.refreshes) commits: noticed "
                + "\(figures(noticed)) after the commit returned; reload and frame \(figures(reloaded)); in all "
                + "\(figures(totals)) (plus up to one tick of the console's loop, refreshMilliseconds "
                + "\(Settings().refreshMilliseconds) ms)")
    }

    /// Fills the server schema with the shape ``BigDatabase/seed(at:)`` gives a file, with bulk SQL in one
    /// transaction: the triggers on `allocations` are off while the allocations go in, and `allocated` is set
    /// from them afterwards; the identity sequences then continue after the ids given.
    private func seedServer(_ location: String) throws {
        let db = try Database.open(settings: benchSettings(path: location, synchronous: .off), access: .create)
        let (skus, batches, lines) = (big.skus, big.batches, big.orderLines)
        let sku = { (column: String) in "'SKU-' || lpad((\(column) % \(skus))::text, 5, '0')" }
        let now = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
        let statements = [
            "INSERT INTO products (sku, version) SELECT \(sku("i")), 110 FROM generate_series(0, \(skus - 1)) AS i",
            """
            INSERT INTO batches (id, reference, sku, purchased, eta)
            SELECT i + 1, 'B-' || lpad(i::text, 6, '0'), \(sku("i")), 1000,
              CASE WHEN i % 3 = 0 THEN NULL ELSE to_char(date '2027-01-01' + (i % 90), 'YYYY-MM-DD') END
            FROM generate_series(0, \(batches - 1)) AS i
            """,
            """
            INSERT INTO order_lines (id, orderid, sku, qty)
            SELECT i + 1, 'order-' || lpad(i::text, 7, '0'), \(sku("i")), 1 + i % 5
            FROM generate_series(0, \(lines - 1)) AS i
            """,
            "ALTER TABLE allocations DISABLE TRIGGER USER",
            """
            INSERT INTO allocations (orderline_id, batch_id, qty)
            SELECT id, (id - 1) % \(batches) + 1, qty FROM order_lines
            """,
            "ALTER TABLE allocations ENABLE TRIGGER USER",
            """
            UPDATE batches AS b SET allocated = s.total FROM (
              SELECT batch_id, sum(qty) AS total FROM allocations GROUP BY batch_id) AS s
            WHERE b.id = s.batch_id
            """,
            """
            INSERT INTO events (at, kind, payload)
            SELECT \(now), 'BatchCreated',
              json_build_object('ref', reference, 'sku', sku, 'qty', purchased, 'eta', eta)::text
            FROM batches ORDER BY id
            """,
            """
            INSERT INTO events (at, kind, payload)
            SELECT \(now), 'Allocated',
              json_build_object('orderid', l.orderid, 'sku', l.sku, 'qty', l.qty, 'batchref', b.reference)::text
            FROM order_lines AS l JOIN allocations AS a ON a.orderline_id = l.id JOIN batches AS b ON b.id = a.batch_id
            ORDER BY l.id
            """,
        ]
        try db.transaction { db in
            for sql in statements { try db.execute(sql) }
            for table in ["batches", "order_lines", "events"] {
                try db.execute(
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT max(id) FROM \(table)))")
            }
        }
        try db.execute("ANALYZE")
    }
}
