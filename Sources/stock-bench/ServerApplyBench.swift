import Allocation
import Foundation

/// `stock apply` on a PostgreSQL server, one transaction per command against `--group` (each command in a
/// savepoint, committed every `groupCommands` lines): the same Allocate lines on fresh SKUs of the scratch schema,
/// through the binary built beside stock-bench. The bar: grouped at 5 times the per-command rate or more.
struct ServerApplyBench {
    static let targetFactor = 5.0

    let serverLocation: String
    let directory: String
    let commands: Int

    func run() throws {
        guard let stock = stockExecutableBesideBench() else {
            print("\n`stock apply` on the server: no stock binary beside stock-bench; skipped")
            return
        }
        print("")
        print(
            "`stock apply` on the server, \(commands) Allocate lines on 50 SKUs (batches of 1,000,000 in the "
                + "warehouse), one transaction per command against --group:")
        var rates: [Bool: Double] = [:]
        for grouped in [false, true] {
            let tag = grouped ? "grouped" : "single"
            let skus = (0..<50).map { "APPLY-\(tag)-\($0)" }
            try seed(skus: skus)
            let input = "\(directory)/apply-\(tag).jsonl"
            let lines = (0..<commands).map { index in
                #"{"command":"Allocate","orderid":"A-\#(tag)-\#(index)","sku":"\#(skus[index % skus.count])","qty":1}"#
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
            let arguments = ["--db", serverLocation, "apply"] + (grouped ? ["--group"] : [])
            let seconds = try runApply(stock, arguments: arguments, input: input)
            let rate = Double(commands) / seconds
            rates[grouped] = rate
            print("  \(grouped ? "--group" : "one transaction per command"): \(fixed(rate)) commands/s")
        }
        let factor = (rates[true] ?? 0) / max(1, rates[false] ?? 1)
        print(
            "  target: --group at \(fixed(ServerApplyBench.targetFactor))x per-command or more: \(fixed(factor, 1))x, "
                + (factor >= ServerApplyBench.targetFactor ? "met" : "not met"))
    }

    private func seed(skus: [String]) throws {
        let settings = benchSettings(path: serverLocation, synchronous: .off)
        let bus = MessageBus(
            database: try Database.open(settings: settings, access: .readWrite), clock: .system, log: { _ in })
        for sku in skus {
            try bus.handle(.createBatch(CreateBatch(ref: sku + "-W", sku: sku, qty: 1_000_000, eta: nil)))
        }
    }

    /// Runs `stock ARGUMENTS < input` with its answers discarded and returns its wall time.
    private func runApply(_ stock: String, arguments: [String], input: String) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stock)
        process.arguments = arguments
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let (_, seconds) = try timed {
            try process.run()
            process.waitUntilExit()
        }
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw BenchFailure(description: "stock \(arguments.joined(separator: " ")) failed: \(said)")
        }
        return seconds
    }
}
