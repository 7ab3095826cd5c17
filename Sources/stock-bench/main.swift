import Allocation
import Foundation

/// stock-bench: prints figures, asserts nothing. Exit 0 on success, 2 on bad arguments, 1 when a run fails.
func runBench(_ options: Options) throws {
    if let path = options.seedOnly {
        try options.big.seed(at: path)
        return
    }
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ((), seconds) = try timed {
        if options.engine == .postgres, let url = options.postgresURL {
            try ServerBench(options: options, serverURL: url, directory: directory).run()
        } else {
            try runSections(options, directory: directory)
        }
    }
    print("")
    let flags = (options.quick ? " --quick" : "") + (options.engine == .postgres ? " --engine postgres" : "")
    print("stock-bench\(flags): every section took \(fixed(seconds, 1)) s in total")
}

func runSections(_ options: Options, directory: String) throws {
    print(
        "stock-bench: \(ProcessInfo.processInfo.activeProcessorCount) cores, SQLite \(sqliteVersion()), "
            + "files under \(directory)")
    #if DEBUG
        print("debug build: the figures show that every section runs, not how fast (measure with -c release)")
    #endif

    let workload = AllocationWorkload(skuCount: 200, count: options.allocations)
    let template = "\(directory)/template.sqlite"
    let ((), seedSeconds) = try timed { try workload.makeTemplate(at: template) }
    print(
        "Seeded \(workload.skus.count) SKUs x 3 batches through the bus in \(fixed(seedSeconds, 2)) s "
            + "(synchronous=OFF, not timed below)")

    print("")
    print(
        "Allocation through the whole bus vs the C baseline (same SQL), \(options.allocations) new order lines "
            + "over \(workload.skus.count) SKUs, one transaction each, synchronous=FULL:")
    let full = try compareRates(
        workload: workload, template: template, directory: directory, synchronous: .full, rounds: options.rounds,
        checkContents: true)
    print("")
    print("Same with synchronous=NORMAL on both (no fsync per commit in WAL mode), to show the fsync share:")
    let normal = try compareRates(
        workload: workload, template: template, directory: directory, synchronous: .normal, rounds: options.rounds,
        checkContents: false)
    let perAllocation = { (seconds: [Double]) in fixed(1e6 * median(seconds) / Double(options.allocations)) + " µs" }
    print(
        "  wall per allocation (medians): Swift \(perAllocation(full.swiftSeconds)) FULL vs "
            + "\(perAllocation(normal.swiftSeconds)) NORMAL; C \(perAllocation(full.cSeconds)) FULL vs "
            + "\(perAllocation(normal.cSeconds)) NORMAL")

    if !options.skipGroup {
        try runGroupBench(options: options, workload: workload, template: template, directory: directory)
    }
    if !options.skipApply {
        try runApplyBench(options: options, directory: directory)
    }
    if !options.skipHistory {
        try HistoryBench.run(directory: directory, allocations: options.historyAllocations)
    }
    if !options.skipWriters {
        try runWritersBench(directory: directory, commandsPerWriter: options.writerCommands)
    }
    if !options.skipBig {
        let path = try options.big.prepare(options: options, directory: directory)
        try runReadBench(big: options.big, path: path)
        try MonitorBench().run(big: options.big, path: path, directory: directory)
        if !options.skipScale {
            try options.scale.run(
                small: workload, template: template, big: options.big, bigPath: path, directory: directory)
        }
        if options.bigDatabase == nil { removeDatabase(path) }
    }
    if !options.skipRender {
        try RenderBench(frames: options.renderFrames).run(path: template)
    }
    if !options.skipStartup {
        try StartupBench(runs: options.quick ? 10 : 100).run(small: template)
    }
}

let exitCode: Int32
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == AllocationWriter.flag {
        try AllocationWriter.run(Array(arguments.dropFirst()))
        exit(0)
    }
    let options = try Options(arguments: arguments)
    if options.help {
        print(Options.usage)
        exitCode = 0
    } else {
        try runBench(options)
        exitCode = 0
    }
} catch let error as Options.Invalid {
    FileHandle.standardError.write(Data("stock-bench: \(error)\n\(Options.usage)\n".utf8))
    exitCode = 2
} catch {
    FileHandle.standardError.write(Data("stock-bench: \(error)\n".utf8))
    exitCode = 1
}
exit(exitCode)
