import Foundation
import Glibc

/// A failure of a spawned process or of a tmux session, with what was on screen.
public struct TmuxError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A detached tmux session of fixed size on its own private server, running one shell command: the terminal an
/// end-to-end test drives and reads.
///
/// Each session has its own `-L` socket and no config file, so tests in parallel never share a server. The
/// server is started with an empty signal mask (Swift Testing blocks SIGINT, SIGTERM, SIGWINCH... in its
/// threads, and children would inherit that), and `new-session` is never waited on: the server it forks
/// inherits Foundation's child-exit socket, so waiting for the launcher would hang for as long as the server
/// lives. ``kill()`` ends the server; call it in a `defer`.
public final class TmuxSession {
    public let socket: String
    private let tmux: String

    /// Starts `command` in a `width` × `height` pane with `LANG=C.UTF-8` and an empty `NO_COLOR`, plus
    /// `environment`.
    public init(command: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        socket = "stock-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        tmux =
            ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            } ?? "/usr/bin/tmux"
        var arguments = [
            "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
            "-x", String(width), "-y", String(height),
        ]
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
        try withNoSignalsBlocked { try launcher.run() }
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
            throw TmuxError(message: "tmux \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout
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
    /// tmux may be captured while a frame is half drawn, so by default the screen is returned only once a second
    /// capture a few milliseconds later shows the same text (`settled`); a test that times how soon something
    /// appears passes `settled: false`.
    ///
    /// - Throws: `TmuxError` with the last screen when `timeout` seconds pass first.
    @discardableResult
    public func waitUntil(
        _ what: String, timeout: Double = 5, settled: Bool = true, _ predicate: (String) -> Bool
    ) throws -> String {
        let deadline = monotonicSeconds() + timeout
        var screen = ""
        while true {
            screen = try capture()
            if predicate(screen) {
                guard settled else { return screen }
                usleep(5_000)
                let again = try capture()
                if again == screen { return screen }
                continue
            }
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
        return result.stdout.split(separator: "\n").first.flatMap { Int32($0) }
    }

    /// Ends the server and everything in it, and removes its socket file.
    public func kill() {
        _ = try? runProcess(tmux, ["-L", socket, "kill-server"], timeout: 5)
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }
}
