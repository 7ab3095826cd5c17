import Foundation

/// What a finished process left: its exit status, its output, and when it was seen to exit.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    /// When the process was seen to exit, on the monotonic clock (seconds).
    public let exitedAt: Double
}

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Runs `body` (which starts a child) with this thread's signal mask emptied, so the child inherits no blocked
/// signals: Swift Testing runs tests with SIGINT, SIGTERM, SIGWINCH… blocked, and a child that inherits that mask
/// never sees Ctrl-C, SIGTERM or a resize.
public func withNoSignalsBlocked<T>(_ body: () throws -> T) rethrows -> T {
    var empty = sigset_t()
    var previous = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    return try body()
}

/// A failure to run or finish a child process.
public struct ProcessFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A started child process.
///
/// Standard input, output and error are temporary files, never pipes: a tmux server forked at the same moment by
/// a parallel test could inherit a pipe's end and keep it open forever, so that reading to the end hangs. The
/// child starts with no signals blocked, since Swift Testing runs tests with a blocked mask that children would
/// inherit. The exit is awaited with `terminationHandler` and a semaphore, because `waitUntilExit` polls in 50 ms
/// steps.
public final class RunningProcess: @unchecked Sendable {
    // @unchecked: `exit.seconds` is written once by the termination handler before `exited.signal()` and read only
    // after `exited.wait()`; everything else is set in `init` and then only read.
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    /// When the process was seen to exit; the termination handler holds it (and the semaphore) itself, so it
    /// may run after this object is gone, as when a test stops early.
    private let exit = ExitTime()
    private let folder: TemporaryFolder
    private let description: String

    /// Starts `executable`; `directory` is its working folder, the test's own when nil.
    public init(
        executable: String, arguments: [String], input: String? = nil, environment: [String: String]? = nil,
        in directory: String? = nil
    ) throws {
        description = ([executable] + arguments).joined(separator: " ")
        folder = try TemporaryFolder()
        process.executableURL = URL(fileURLWithPath: executable)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        if let environment { process.environment = environment }
        let inputPath = folder.appendingPathComponent("stdin").path
        _ = FileManager.default.createFile(atPath: inputPath, contents: Data((input ?? "").utf8))
        let outputs = ["stdout", "stderr"].map { folder.appendingPathComponent($0).path }
        for path in outputs { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let files = [
            FileHandle(forReadingAtPath: inputPath), FileHandle(forWritingAtPath: outputs[0]),
            FileHandle(forWritingAtPath: outputs[1]),
        ].compactMap { $0 }
        guard files.count == 3 else { throw ProcessFailure(message: "cannot make the files for \(description)") }
        process.standardInput = input == nil ? FileHandle.nullDevice : files[0]
        process.standardOutput = files[1]
        process.standardError = files[2]
        process.terminationHandler = { [exit, exited] _ in
            exit.seconds = monotonicSeconds()
            exited.signal()
        }
        try withNoSignalsBlocked { try process.run() }
        for file in files { try? file.close() }
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// What the process has written to standard output so far.
    public var outputSoFar: String {
        (try? String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)) ?? ""
    }

    /// What the process has written to standard error so far.
    public var errorsSoFar: String {
        (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? ""
    }

    /// Polls standard output every 10 ms until `condition` holds, for a process that runs until it is stopped.
    ///
    /// - Throws: `ProcessFailure` with what was written when it does not hold within `timeout` seconds.
    public func waitForOutput(timeout: Double = 10, until condition: (String) -> Bool) throws {
        let deadline = monotonicSeconds() + timeout
        while !condition(outputSoFar) {
            guard monotonicSeconds() < deadline else {
                throw ProcessFailure(
                    message: "\(description) did not print what was awaited in \(timeout) s: \(outputSoFar)")
            }
            usleep(10_000)
        }
    }

    /// Waits for the exit, then reads the output.
    ///
    /// - Throws: `ProcessFailure` when it has not exited within `timeout` seconds (it is then killed).
    public func wait(timeout: Double = 120) throws -> ProcessResult {
        guard exited.wait(timeout: .now() + timeout) == .success else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessFailure(message: "\(description) did not finish in \(timeout) s")
        }
        exited.signal()
        func read(_ name: String) -> String {
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }
        return ProcessResult(
            status: process.terminationStatus, stdout: read("stdout"), stderr: read("stderr"), exitedAt: exit.seconds)
    }
}

/// Runs a program to its end.
public func runProcess(
    _ executable: String, _ arguments: [String], input: String? = nil, environment: [String: String]? = nil,
    timeout: Double = 120
) throws -> ProcessResult {
    try RunningProcess(executable: executable, arguments: arguments, input: input, environment: environment)
        .wait(timeout: timeout)
}

/// Runs the `stock` binary built next to the test bundle.
public enum StockProcess {
    /// `.build/<triple>/debug/stock`, beside the `.xctest` bundle this test runs from.
    public static let executable: String = {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("stock")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        return "stock"
    }()

    /// The test's environment without `STOCK_*` variables, plus `extra`.
    public static func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("STOCK_") }.merging(extra) { $1 }
    }

    /// Runs `stock` with `arguments`, feeding `input` on standard input, in `directory` (the test's working
    /// folder when nil), and waits for it.
    public static func run(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], in directory: String? = nil
    ) throws -> ProcessResult {
        try start(arguments, input: input, environment: environment, in: directory).wait()
    }

    public static func start(
        _ arguments: [String], input: String? = nil, environment: [String: String] = [:], in directory: String? = nil
    ) throws -> RunningProcess {
        try RunningProcess(
            executable: executable, arguments: arguments, input: input, environment: Self.environment(environment),
            in: directory)
    }
}

/// The moment a child was seen to exit, written by its termination handler.
private final class ExitTime: @unchecked Sendable {
    // @unchecked: written once before the exit semaphore is signalled, read only after it is waited on.
    var seconds = 0.0
}
