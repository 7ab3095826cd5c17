import Foundation

/// What a finished `stock` process left: its exit status and its output.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the `stock` binary built next to the test bundle.
public enum StockProcess {
    /// `.build/<triple>/debug/stock`, beside the `.xctest` bundle this test runs from.
    public static let executable: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("stock")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return "stock"
    }()

    /// Runs `stock` with `arguments`, feeding `input` on standard input, and waits for it.
    ///
    /// The environment is the test's with `STOCK_*` variables removed, plus `environment`.
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
    ) throws -> ProcessResult {
        let process = try start(arguments, input: input, environment: environment)
        return process.wait()
    }

    public static func start(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:]
    ) throws -> RunningProcess {
        try RunningProcess(executable: executable, arguments: arguments, input: input, environment: environment)
    }
}

/// A started child process whose output is collected as it comes, so a full pipe never blocks it.
public final class RunningProcess: @unchecked Sendable {
    // @unchecked: `output` and `errors` are written by their reader threads before `collected` is signalled and
    // read only after waiting on it; `process` is only touched by the thread that owns this object.
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let collected = DispatchGroup()
    private var output = Data()
    private var errors = Data()

    init(executable: String, arguments: [String], input: String?, environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCK_") }
        merged.merge(environment) { $1 }
        process.environment = merged
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.terminationHandler = { [exited] _ in exited.signal() }
        // Swift Testing runs tests with signals blocked, and a child inherits the mask: start it with none.
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        collected.enter()
        Thread.detachNewThread { [self] in
            output = stdout.fileHandleForReading.readDataToEndOfFile()
            collected.leave()
        }
        collected.enter()
        Thread.detachNewThread { [self] in
            errors = stderr.fileHandleForReading.readDataToEndOfFile()
            collected.leave()
        }
        if let input {
            // Written from its own thread: a long input must not wait for the child to read it all.
            // A child killed before reading it all must not take the test process down with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
            Thread.detachNewThread {
                try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
            }
        }
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Waits for the exit and the end of both outputs.
    public func wait() -> ProcessResult {
        exited.wait()
        exited.signal()
        collected.wait()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }
}
