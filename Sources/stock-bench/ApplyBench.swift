import Allocation
import CBaseline
import CSQLite
import Foundation

/// The bar `stock apply` is held to: this share of the minimal C program's allocation rate, at FULL and NORMAL;
/// `apply --group` is held to the same share of the C program committing every ``groupSize`` commands (issue 21,
/// target 1).
private let applyBar = 0.70
/// Commands per COMMIT on both sides of the grouped comparison, as `bench_apply.py --group 1000` runs it.
private let groupSize = 1000
/// The bar `import` is held to (issue 21, target 3): this multiple of per-command `apply`'s rate.
private let importBar = 20.0

/// Measures `stock apply` (the real binary, one process for the timed Allocate phase) against the minimal C
/// program on the agreed workload, at synchronous=FULL and NORMAL, and prints each round and the median ratios.
func runApplyBench(options: Options, directory: String) throws {
    print("")
    let workload = ApplyWorkload(count: options.allocations)
    print(
        "stock apply (the binary, Allocate lines on standard input, process start included) vs a minimal C program "
            + "(own schema, one transaction per allocation, loop alone timed): \(workload.orders.count) allocations "
            + "over \(ApplyWorkload.skuCount) SKUs x \(ApplyWorkload.batchesPerSKU) batches, SplitMix64 seed 42, "
            + "fresh files each round:")
    guard let stock = StockBinary.besideThisProgram() else {
        print(
            "  skipped: no stock executable beside stock-bench; build it with `swift build -c release --product stock`")
        return
    }
    var medians: [(Synchronous, Double)] = []
    var perCommandRates: [Synchronous: Double] = [:]
    for synchronous in [Synchronous.full, .normal] {
        print("  synchronous=\(synchronous.keyword):")
        var ratios: [Double] = []
        var stockRates: [Double] = []
        var sameQuantity = true
        for round in 1...options.applyRounds {
            let stockPath = "\(directory)/apply-stock-\(synchronous)-\(round).sqlite"
            let cPath = "\(directory)/apply-c-\(synchronous)-\(round).sqlite"
            let runStock = { try stock.allocate(workload, path: stockPath, synchronous: synchronous, in: directory) }
            let runC = { try minimalC(workload, path: cPath, synchronous: synchronous) }
            let stockFirst = firstSideFirst(inRound: round)
            let (stockSeconds, cSeconds) = try alternating(round: round, runStock, runC)
            let stockUnits = try allocatedUnits(in: stockPath)
            let cUnits = try allocatedUnits(in: cPath)
            sameQuantity = sameQuantity && stockUnits == cUnits
            removeDatabase(stockPath)
            removeDatabase(cPath)
            let count = Double(workload.orders.count)
            let ratio = cSeconds / stockSeconds
            ratios.append(ratio)
            stockRates.append(count / stockSeconds)
            print(
                "    round \(round) (\(stockFirst ? "stock first" : "C first")): stock apply "
                    + "\(fixed(count / stockSeconds))/s, minimal C \(fixed(count / cSeconds))/s, "
                    + "ratio \(fixed(ratio, 2)); units allocated: stock \(stockUnits), C \(cUnits)")
        }
        print(
            "    same total quantity allocated on both sides in every round "
                + "(\(workload.orderedQuantity) units ordered): \(sameQuantity ? "yes" : "no")")
        medians.append((synchronous, median(ratios)))
        perCommandRates[synchronous] = median(stockRates)
    }
    for (synchronous, ratio) in medians {
        print("  median ratio \(synchronous.keyword): \(fixed(ratio, 2))")
    }
    let met = medians.allSatisfy { $0.1 >= applyBar }
    print(
        "  bar: stock apply at \(fixed(100 * applyBar))% or more of the minimal C program's rate at both FULL and "
            + "NORMAL: \(met ? "met" : "NOT met")")
    try runGroupedApplyBench(
        options: options, stock: stock, perCommandRates: perCommandRates, directory: directory)
}

/// Issue 21, targets 1 and 3: `stock apply --group` (a COMMIT every ``groupSize`` lines) against the minimal C
/// program committing as often with a SAVEPOINT per command, and `stock import orders` on the same commands as CSV
/// against per-command `apply` (`perCommandRates`, by setting) and `apply --group`; prints each round, the medians
/// and whether each target is met.
private func runGroupedApplyBench(
    options: Options, stock: StockBinary, perCommandRates: [Synchronous: Double], directory: String
) throws {
    let workload = ApplyWorkload(count: options.allocations * 10)
    let count = Double(workload.orders.count)
    print("")
    print(
        "stock apply --group and stock import orders (the binary, COMMIT every \(groupSize) lines) vs the minimal C "
            + "program committing every \(groupSize) commands with a SAVEPOINT each and `allocated` kept in a column: "
            + "\(workload.orders.count) allocations, same workload, fresh files each round:")
    var groupRatios: [(Synchronous, Double)] = []
    var importTimes: [(Synchronous, Double)] = []
    var importPerGroup: [Double] = []
    for synchronous in [Synchronous.full, .normal] {
        print("  synchronous=\(synchronous.keyword):")
        var ratios: [Double] = []
        var importRates: [Double] = []
        for round in 1...options.applyRounds {
            let stockPath = "\(directory)/group-stock-\(synchronous)-\(round).sqlite"
            let importPath = "\(directory)/group-import-\(synchronous)-\(round).sqlite"
            let cPath = "\(directory)/group-c-\(synchronous)-\(round).sqlite"
            let runStock = {
                (
                    try stock.allocate(
                        workload, path: stockPath, synchronous: synchronous, in: directory, mode: .grouped),
                    try stock.allocate(
                        workload, path: importPath, synchronous: synchronous, in: directory, mode: .importCSV)
                )
            }
            let runC = { try minimalC(workload, path: cPath, synchronous: synchronous, group: groupSize) }
            let ((groupSeconds, importSeconds), cSeconds) = try alternating(round: round, runStock, runC)
            let units = try [stockPath, importPath, cPath].map(allocatedUnits(in:))
            for path in [stockPath, importPath, cPath] { removeDatabase(path) }
            ratios.append(cSeconds / groupSeconds)
            importRates.append(count / importSeconds)
            importPerGroup.append(groupSeconds / importSeconds)
            print(
                "    round \(round): stock apply --group \(fixed(count / groupSeconds))/s, minimal C "
                    + "\(fixed(count / cSeconds))/s, ratio \(fixed(cSeconds / groupSeconds, 2)); stock import "
                    + "\(fixed(count / importSeconds))/s; units allocated: apply \(units[0]), import \(units[1]), "
                    + "C \(units[2])")
        }
        groupRatios.append((synchronous, median(ratios)))
        importTimes.append((synchronous, median(importRates)))
    }
    for (synchronous, ratio) in groupRatios {
        print("  median ratio apply --group / minimal C \(synchronous.keyword): \(fixed(ratio, 2))")
    }
    let groupMet = groupRatios.allSatisfy { $0.1 >= applyBar }
    print(
        "  target 1: stock apply --group at \(fixed(100 * applyBar))% or more of the minimal C program's grouped rate "
            + "at both FULL and NORMAL: \(groupMet ? "met" : "NOT met")")
    var importMet = true
    for (synchronous, rate) in importTimes {
        let perCommand = perCommandRates[synchronous] ?? 0
        let multiple = perCommand > 0 ? rate / perCommand : 0
        importMet = importMet && multiple >= importBar
        print(
            "  import \(synchronous.keyword): \(fixed(rate))/s, \(fixed(multiple, 1))x per-command apply "
                + "(\(fixed(perCommand))/s)")
    }
    print(
        "  import per row at \(fixed(median(importPerGroup), 2)) of apply --group's rate (median over rounds and "
            + "settings)")
    print(
        "  target 3: stock import at \(fixed(importBar))x or more of per-command apply at both FULL and NORMAL: "
            + "\(importMet ? "met" : "NOT met")")
}

/// The `stock` executable built beside stock-bench, driven as an operator's script drives it.
private struct StockBinary {
    let path: String

    /// How the timed phase gives the orders: `apply -` (a transaction each), `apply --group -`, or
    /// `import orders FILE` (CSV, grouped).
    enum Mode {
        case perCommand
        case grouped
        case importCSV
    }

    /// The `stock` file in the folder of this process's own executable, if there is one.
    static func besideThisProgram() -> StockBinary? {
        stockExecutableBesideBench().map(StockBinary.init(path:))
    }

    /// Makes a fresh file with `stock init`, seeds the batches with one `stock apply` (untimed), then times a
    /// second process given the orders as `mode` says, reading all its answers; returns that process's wall
    /// seconds. Grouped modes commit every ``groupSize`` lines or second.
    func allocate(
        _ workload: ApplyWorkload, path: String, synchronous: Synchronous, in directory: String,
        mode: Mode = .perCommand
    ) throws -> Double {
        removeDatabase(path)
        let settings = "\(directory)/apply-\(synchronous).json"
        let group = mode == .perCommand ? "" : ",\"groupCommands\":\(groupSize),\"groupMs\":1000"
        try Data("{\"synchronous\":\"\(synchronous)\"\(group)}\n".utf8).write(to: URL(fileURLWithPath: settings))
        let common = ["--db", path, "--settings", settings]
        _ = try run(common + ["init"], input: nil, expecting: 0, directory: directory)
        let seedLines = "\(directory)/apply-batches.jsonl"
        try Data(workload.createBatchLines.utf8).write(to: URL(fileURLWithPath: seedLines))
        _ = try run(common + ["apply", "-"], input: seedLines, expecting: 0, directory: directory)
        if mode == .importCSV {
            let orders = "\(directory)/apply-orders.csv"
            try Data(workload.ordersCSV.utf8).write(to: URL(fileURLWithPath: orders))
            let (output, seconds) = try timed {
                try run(
                    common + ["import", "orders", orders, "--quiet"], input: nil, expecting: 0, directory: directory)
            }
            guard output.isEmpty else {
                throw BenchFailure(
                    description: "stock import reported rows: \(String(decoding: output, as: UTF8.self))")
            }
            return seconds
        }
        let allocateLines = "\(directory)/apply-allocations.jsonl"
        try Data(workload.allocateLines.utf8).write(to: URL(fileURLWithPath: allocateLines))
        let arguments = common + ["apply"] + (mode == .grouped ? ["--group"] : []) + ["-"]
        let (output, seconds) = try timed {
            try run(arguments, input: allocateLines, expecting: 0, directory: directory)
        }
        let answers = output.split(separator: UInt8(ascii: "\n"))
        let accepted = answers.filter { $0.starts(with: Array("{\"ok\":true".utf8)) }.count
        guard answers.count == workload.orders.count, accepted == answers.count else {
            throw BenchFailure(
                description: "stock apply answered \(answers.count) lines (\(accepted) ok) "
                    + "for \(workload.orders.count) Allocate commands")
        }
        return seconds
    }

    /// Runs `stock` with `arguments`, standard input from the file `input` (else nothing) and a clean environment
    /// as far as stock's own variables go; returns everything it printed on standard output.
    private func run(_ arguments: [String], input: String?, expecting status: Int32, directory: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCK_") }
        process.standardInput = input.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        let errors = "\(directory)/apply-stderr.txt"
        guard FileManager.default.createFile(atPath: errors, contents: nil) else {
            throw BenchFailure(description: "cannot create \(errors)")
        }
        process.standardError = FileHandle(forWritingAtPath: errors)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == status else {
            let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw BenchFailure(
                description: "stock \(arguments.joined(separator: " ")) exited with \(process.terminationStatus), "
                    + "expected \(status): \(message)")
        }
        return data
    }
}

/// Runs the minimal C program on a fresh file at `path`, committing every `group` commands (each in a savepoint)
/// when `group` > 1; returns the seconds of its allocation loop.
private func minimalC(_ workload: ApplyWorkload, path: String, synchronous: Synchronous, group: Int = 1) throws
    -> Double
{
    removeDatabase(path)
    var strings: [UnsafeMutablePointer<CChar>?] = []
    defer { for string in strings { free(string) } }
    func copy(_ text: String) -> UnsafePointer<CChar>? {
        strings.append(strdup(text))
        return strings.last.flatMap { $0.map { UnsafePointer($0) } }
    }
    let batches = workload.batches.map { batch in
        minimal_batch(
            reference: copy(batch.reference), sku: copy(batch.sku), qty: Int32(batch.qty),
            eta: batch.eta.flatMap { copy($0.description) })
    }
    let orders = workload.orders.map { order in
        minimal_order(orderid: copy(order.orderid), sku: copy(order.sku), qty: Int32(order.qty))
    }
    var result = minimal_result()
    let rc = minimal_allocate_grouped_run(
        path, synchronous.keyword, batches, Int32(batches.count), orders, Int32(orders.count), Int32(group), &result)
    guard rc == 0 else {
        let message = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        throw BenchFailure(description: "minimal C program failed with code \(rc): \(message)")
    }
    return result.seconds
}

/// Units held by allocated order lines in the file at `path`; the query reads the same in both schemas.
private func allocatedUnits(in path: String) throws -> Int {
    var db: OpaquePointer?
    defer { sqlite3_close_v2(db) }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    let sql = "SELECT coalesce(sum(l.qty), 0) FROM allocations AS a JOIN order_lines AS l ON l.id = a.orderline_id"
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK,
        sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK,
        sqlite3_step(statement) == SQLITE_ROW
    else {
        throw BenchFailure(
            description: "cannot count allocated units in \(path): \(String(cString: sqlite3_errmsg(db)))")
    }
    return Int(sqlite3_column_int64(statement, 0))
}

extension ApplyWorkload {
    /// The orders as the CSV `stock import orders` reads, a header and one row per order.
    fileprivate var ordersCSV: String {
        "orderid,sku,quantity\n" + orders.map { "\($0.orderid),\($0.sku),\($0.qty)\n" }.joined()
    }
}
