import Foundation
import Glibc

/// A failure of a spawned process or of a tmux session, with what was on screen.
public struct TmuxError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The result of a finished process.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let output: String
    public let error: String
    /// When the process was seen to exit, on the monotonic clock (seconds).
    public let exitedAt: Double
}

/// Seconds on the monotonic clock.
public func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Runs a program to its end and returns its status and output.
///
/// Output goes through temporary files, not pipes: a tmux server forked at the same moment by another test
/// could inherit a pipe's write end and keep it open forever. The exit is awaited with `terminationHandler`
/// and a semaphore: `waitUntilExit` polls in 50 ms steps on Linux (see swift-notes.md).
public func runProcess(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Double = 30
) throws -> ProcessResult {
    let directory = FileManager.default.temporaryDirectory
    let outURL = directory.appendingPathComponent("proc-\(UUID().uuidString).out")
    let errURL = directory.appendingPathComponent("proc-\(UUID().uuidString).err")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)
    process.standardOutput = out
    process.standardError = err
    let done = DispatchSemaphore(value: 0)
    let exitedAt = ExitTime()
    process.terminationHandler = { _ in
        exitedAt.set(monotonicSeconds())
        done.signal()
    }
    try process.run()
    try? out.close()
    try? err.close()
    guard done.wait(timeout: .now() + timeout) == .success else {
        process.terminate()
        throw TmuxError(message: "\(executable) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
    }
    let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    let error = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    return ProcessResult(status: process.terminationStatus, output: output, error: error, exitedAt: exitedAt.get())
}

/// The exit instant written by the termination handler's thread and read after the semaphore.
private final class ExitTime: @unchecked Sendable {
    // Written once before `done.signal()` and read after `done.wait()`: the semaphore orders the two.
    private var value = 0.0
    func set(_ seconds: Double) { value = seconds }
    func get() -> Double { value }
}

/// The `stock` binary built next to the test bundle (`.build/<triple>/debug/stock`).
public func stockExecutable() -> String {
    let bundle =
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("stock").path
}

/// A detached tmux session of fixed size on its own private server, running one shell command: the terminal an
/// end-to-end test drives and reads.
///
/// Each session has its own `-L` socket and no config file, so tests in parallel never share a server. The
/// server is started with an empty signal mask (Swift Testing blocks SIGINT, SIGTERM, SIGWINCH... in its
/// threads, and children would inherit that), and `new-session` is never waited on: the server it forks
/// inherits Foundation's child-exit socket (see swift-notes.md). ``kill()`` ends the server; call it in a
/// `defer`.
public final class TmuxSession {
    public let socket: String
    private let tmux: String

    /// Starts `command` in a `width` × `height` pane with `LANG=C.UTF-8` and an empty `NO_COLOR`, plus
    /// `environment`.
    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        socket = "stock-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/bin/tmux"
        var arguments = ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
                         "-x", String(width), "-y", String(height)]
        let variables = ["LANG": "C.UTF-8", "NO_COLOR": ""].merging(environment) { $1 }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(name)=\(value)"] }
        // The pane gets the whole window: no tmux status line.
        arguments += [command, ";", "set-option", "-g", "status", "off"]
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: tmux)
        launcher.arguments = arguments
        launcher.standardInput = FileHandle.nullDevice
        launcher.standardOutput = FileHandle.nullDevice
        launcher.standardError = FileHandle.nullDevice
        var empty = sigset_t()
        var old = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        try launcher.run()
        let deadline = monotonicSeconds() + 10
        while try runProcess(tmux, ["-L", socket, "has-session", "-t", "t"]).status != 0 {
            guard monotonicSeconds() < deadline else {
                kill()
                throw TmuxError(message: "tmux session did not start")
            }
            usleep(10_000)
        }
    }

    deinit { kill() }

    /// Runs a tmux command on this session's server.
    @discardableResult
    public func tmuxCommand(_ arguments: [String]) throws -> String {
        let result = try runProcess(tmux, ["-L", socket] + arguments, timeout: 10)
        guard result.status == 0 else {
            throw TmuxError(message: "tmux \(arguments.joined(separator: " ")) failed: \(result.error)")
        }
        return result.output
    }

    /// Sends keys by tmux name (`Up`, `Enter`, `Escape`, `C-c`) or as single characters.
    public func send(_ keys: String...) throws {
        try tmuxCommand(["send-keys", "-t", "t"] + keys)
    }

    /// Types text literally, character by character.
    public func type(_ text: String) throws {
        try tmuxCommand(["send-keys", "-t", "t", "-l", text])
    }

    /// The pane's text, one line per row, trailing spaces trimmed; with `escapes`, also the SGR sequences
    /// of colours and attributes.
    public func capture(escapes: Bool = false) throws -> String {
        try tmuxCommand(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "t"])
    }

    /// A tmux format evaluated for the pane, e.g. `#{alternate_on}`.
    public func display(_ format: String) throws -> String {
        try tmuxCommand(["display-message", "-p", "-t", "t", format]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func resize(width: Int, height: Int) throws {
        try tmuxCommand(["resize-window", "-t", "t", "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen every few milliseconds until `predicate` holds; returns that screen.
    ///
    /// - Throws: `TmuxError` with the last screen when `timeout` seconds pass first.
    @discardableResult
    public func waitUntil(
        _ what: String, timeout: Double = 5, _ predicate: (String) -> Bool
    ) throws -> String {
        let deadline = monotonicSeconds() + timeout
        var screen = ""
        while true {
            screen = try capture()
            if predicate(screen) { return screen }
            guard monotonicSeconds() < deadline else {
                throw TmuxError(message: "timed out after \(timeout) s waiting for \(what); the screen was:\n\(screen)")
            }
            usleep(3_000)
        }
    }

    /// Waits until `text` is on screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: Double = 5) throws -> String {
        try waitUntil("\"\(text)\"", timeout: timeout) { $0.contains(text) }
    }

    /// The process id of the program the pane's shell started, by name.
    public func childPID(named name: String) throws -> Int32? {
        let shell = try display("#{pane_pid}")
        let result = try runProcess("/usr/bin/pgrep", ["-P", shell, "-x", name])
        return result.output.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// Ends the server and everything in it, and removes its socket file.
    public func kill() {
        _ = try? runProcess(tmux, ["-L", socket, "kill-server"], timeout: 5)
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }
}
