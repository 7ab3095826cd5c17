import Foundation

/// `pgbench` running the minimal allocation on the same schema as stock: lock the SKU's batches `FOR UPDATE`,
/// pick the first one with room in preference order, insert the line and its allocation (the schema's trigger
/// counts it on the batch), bump the product's version; one transaction, six statements, prepared.
struct PgbenchAnchor {
    /// The SKUs the script picks from at random: `PGB-000` …, seeded as stock's are.
    static let skuCount = 200
    static func sku(_ index: Int) -> String { "PGB-" + String(1000 + index).dropFirst() }

    /// What the issue's author measured on this machine (PostgreSQL 15, default settings, fsync on).
    static let fixedRate = [1: 1746.0, 4: 4100.0]
    /// The book's reference implementation through its ORM at REPEATABLE READ, measured alike.
    static let referenceRate = 205.0

    /// The minimal allocation, and with `withEvent` also the event row stock records in the same transaction
    /// (whose statement trigger sends the schema's NOTIFY).
    static func script(withEvent: Bool) -> String {
        let event =
            withEvent
            ? """
            INSERT INTO events (at, kind, payload, operator, orderid, ref)
              VALUES ('2026-01-01T00:00:00.000Z', 'Allocated', '{}', 'pgbench', 'pgb-' || :o::text, 'pgbench');

            """ : ""
        return minimalScript.replacingOccurrences(of: "END;\n", with: event + "END;\n")
    }

    private static let minimalScript = """
        \\set n random(0, \(skuCount - 1))
        \\set q random(1, 7)
        \\set o random(1, 1000000000000000)
        BEGIN;
        SELECT id AS bid FROM (SELECT id, purchased - shipped - allocated AS room, eta, reference FROM batches
          WHERE sku = 'PGB-' || lpad(:n::text, 3, '0') FOR UPDATE) AS locked
          WHERE room >= :q ORDER BY eta IS NOT NULL, eta, reference LIMIT 1 \\gset
        INSERT INTO order_lines (orderid, sku, qty) VALUES ('pgb-' || :o::text, 'PGB-' || lpad(:n::text, 3, '0'), :q)
          RETURNING id AS lid \\gset
        INSERT INTO allocations (orderline_id, batch_id, qty) VALUES (:lid, :bid, :q);
        UPDATE products SET version = version + 1 WHERE sku = 'PGB-' || lpad(:n::text, 3, '0');
        END;

        """

    /// What one `pgbench` run measured.
    struct Result {
        let clients: Int
        let tps: Double
        let p50: Double
        let p99: Double
        let transactions: Int
        let failed: Int
    }

    /// `pgbench` on PATH, or nil.
    static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/pgbench" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    let pgbench: String
    let url: String
    let directory: String
    let seconds: Int

    /// Runs the script with `clients` connections for ``seconds``; tps as pgbench prints it (connections not
    /// counted), latencies from its per-transaction log.
    func run(clients: Int, withEvent: Bool = false) throws -> Result {
        let folder = "\(directory)/pgbench-\(clients)\(withEvent ? "-event" : "")"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = "\(folder)/allocate.sql"
        try Data(PgbenchAnchor.script(withEvent: withEvent).utf8).write(to: URL(fileURLWithPath: script))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pgbench)
        process.arguments = [
            "-n", "-M", "prepared", "-f", script, "-c", String(clients), "-j", String(clients), "-T", String(seconds),
            "-l", "--log-prefix=\(folder)/log", url,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let tps = PgbenchAnchor.number(after: "tps = ", in: text) else {
            throw BenchFailure(description: "pgbench failed (status \(process.terminationStatus)): \(text)")
        }
        var latencies: [Double] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasPrefix("log") {
            let log = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8)
            for line in log.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count > 2, let micro = Double(fields[2]) { latencies.append(micro / 1e6) }
            }
        }
        latencies.sort()
        let failed = PgbenchAnchor.number(after: "number of failed transactions: ", in: text).map { Int($0) } ?? 0
        return Result(
            clients: clients, tps: tps, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99),
            transactions: latencies.count, failed: failed)
    }

    /// The number printed right after `label` in pgbench's report.
    static func number(after label: String, in text: String) -> Double? {
        guard let range = text.range(of: label) else { return nil }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }
}
