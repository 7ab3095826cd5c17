import Foundation

/// Runs 1, 4 and 8 `stock apply` processes at once (the binary beside stock-bench), `commandsPerWriter` commands
/// each, on five shared SKUs and on SKUs of their own, and prints the total command rate and each command's wait
/// for its turn and the write lock, as `STOCK_LOCK_WAIT_LOG` records it. Targets: no writer gives up; p99 wait
/// under 250 ms with 8 writers; the total rate with 8 writers at least that with 1.
func runWritersBench(directory: String, commandsPerWriter: Int) throws {
    print("")
    print(
        "Concurrent writers: N `stock apply` processes at once, \(commandsPerWriter) commands each (10 CreateBatch, "
            + "then Allocate, Allocate, Deallocate, ChangeBatchQuantity in turn), synchronous=FULL, default busy "
            + "timeout; wait = time to take the writer's turn and BEGIN IMMEDIATE:")
    guard let stock = stockExecutableBesideBench() else {
        print(
            "  skipped: no stock executable beside stock-bench; build it with `swift build -c release --product stock`")
        return
    }
    for shared in [true, false] {
        for writers in [1, 4, 8] {
            let run = try WritersRun(
                stock: stock, writers: writers, commands: commandsPerWriter, sharedSKUs: shared, directory: directory)
            let waits = run.waits.sorted()
            func wait(_ share: Double) -> String { milliseconds(percentile(waits, share)) }
            print(
                "  \(writers) writer\(writers == 1 ? " " : "s") on \(shared ? "5 shared SKUs " : "distinct SKUs "): "
                    + "\(fixed(Double(writers * commandsPerWriter) / run.seconds)) commands/s, wait p50 "
                    + "\(wait(0.5)) p99 \(wait(0.99)) max \(wait(1)); gave up (exit 3): "
                    + "\(run.gaveUp)")
        }
    }
}

/// One measurement: the writers started together on a fresh database, awaited, and their lock waits read back.
private struct WritersRun {
    var seconds = 0.0
    var waits: [Double] = []
    var gaveUp = 0

    init(stock: String, writers: Int, commands: Int, sharedSKUs: Bool, directory: String) throws {
        let path = "\(directory)/writers.sqlite"
        removeDatabase(path)
        try? FileManager.default.removeItem(atPath: path + "-writers")
        let settings = "\(directory)/writers.json"
        try Data("{\"synchronous\":\"full\"}\n".utf8).write(to: URL(fileURLWithPath: settings))
        let common = ["--db", path, "--settings", settings]
        _ = try Self.start(stock, common + ["init"], input: nil, waitLog: nil).waitForExit()
        let inputs = (0..<writers).map { "\(directory)/writer-\($0).jsonl" }
        let logs = (0..<writers).map { "\(directory)/writer-\($0).waits" }
        for writer in 0..<writers {
            try Data(Self.lines(writer: writer, commands: commands, sharedSKUs: sharedSKUs).utf8)
                .write(to: URL(fileURLWithPath: inputs[writer]))
            try? FileManager.default.removeItem(atPath: logs[writer])
        }
        (gaveUp, seconds) = try timed {
            let processes = try (0..<writers).map { writer in
                try Self.start(stock, common + ["apply", "-"], input: inputs[writer], waitLog: logs[writer])
            }
            return processes.filter { $0.waitForExit() == 3 }.count
        }
        for log in logs {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            waits += text.split(separator: "\n").compactMap { Double($0).map { $0 / 1e6 } }
        }
        removeDatabase(path)
    }

    static func lines(writer: Int, commands: Int, sharedSKUs: Bool) -> String {
        let skus = (0..<5).map { sharedSKUs ? "S\($0)" : "W\(writer)-S\($0)" }
        return (0..<commands).map { i in
            let sku = skus[i % skus.count]
            if i < 10 { return #"{"command":"CreateBatch","ref":"W\#(writer)-B\#(i)","sku":"\#(sku)","qty":50}"# }
            switch i % 4 {
            case 0, 1:
                return #"{"command":"Allocate","orderid":"w\#(writer)-o\#(i)","sku":"\#(sku)","qty":\#(1 + i % 4)}"#
            case 2:
                let earlier = skus[(i - 2) % skus.count]
                return #"{"command":"Deallocate","orderid":"w\#(writer)-o\#(i - 2)","sku":"\#(earlier)"}"#
            default:
                return #"{"command":"ChangeBatchQuantity","ref":"W\#(writer)-B\#((i / 4) % 10)","qty":\#(30 + i % 40)}"#
            }
        }.joined(separator: "\n") + "\n"
    }

    /// Starts `stock` with stock's own variables removed, and `STOCK_LOCK_WAIT_LOG` set when `waitLog` is given.
    static func start(_ stock: String, _ arguments: [String], input: String?, waitLog: String?) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stock)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCK_") }
        environment["STOCK_LOCK_WAIT_LOG"] = waitLog
        process.environment = environment
        process.standardInput = input.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }
}

extension Process {
    /// Waits for the exit and returns the status.
    fileprivate func waitForExit() -> Int32 {
        waitUntilExit()
        return terminationStatus
    }
}
