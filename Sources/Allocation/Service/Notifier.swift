import Foundation

/// Where notifications (e.g. `Out of stock for LAMP`) go, chosen by the settings.
public enum Notifier: Equatable, Sendable {
    /// The event log is the record; nothing else is sent.
    case log
    /// Appends `to <address>: <message>` as a line to a file.
    case file(path: String)
    /// Runs a shell command with the message on its standard input and the address in `$STOCK_NOTIFY_TO`.
    case command(String)

    /// Parses the settings form: `log`, `file:PATH` or `command:CMD`.
    public init?(setting: String) {
        if setting == "log" {
            self = .log
        } else if setting.hasPrefix("file:"), setting.count > 5 {
            self = .file(path: String(setting.dropFirst(5)))
        } else if setting.hasPrefix("command:"), setting.count > 8 {
            self = .command(String(setting.dropFirst(8)))
        } else {
            return nil
        }
    }

    /// Sends the message.
    ///
    /// - Throws: `NotificationFailure` when the file cannot be written or the command fails.
    public func send(_ message: String, to address: String) throws {
        switch self {
        case .log:
            return
        case .file(let path):
            let line = "to \(address): \(message)\n"
            guard let handle = fopen(path, "a") else {
                throw NotificationFailure(message: "cannot append to \(path): \(String(cString: strerror(errno)))")
            }
            defer { fclose(handle) }
            guard fputs(line, handle) >= 0, fflush(handle) == 0 else {
                throw NotificationFailure(message: "cannot write to \(path): \(String(cString: strerror(errno)))")
            }
        case .command(let command):
            try Notifier.run(command, input: message + "\n", address: address)
        }
    }

    /// How long a notifier command may run: the operator console waits for it, so a hung mailer must not hang
    /// the console.
    static let commandTimeoutSeconds = 10.0

    /// Runs the command with `input` on its standard input, read from a temporary file rather than a pipe, so a
    /// command that exits without reading cannot kill us with SIGPIPE. Its output is kept off the terminal (the
    /// console may be drawing there); the first line of its standard error goes into the failure message.
    private static func run(_ command: String, input: String, address: String) throws {
        let folder = FileManager.default.temporaryDirectory
        let inputPath = folder.appendingPathComponent("stock-notify-\(UUID().uuidString)").path
        let errorPath = inputPath + ".err"
        defer {
            unlink(inputPath)
            unlink(errorPath)
        }
        guard FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8)),
            FileManager.default.createFile(atPath: errorPath, contents: nil),
            let inputFile = FileHandle(forReadingAtPath: inputPath),
            let errorFile = FileHandle(forWritingAtPath: errorPath)
        else { throw NotificationFailure(message: "cannot write the notification for \(command)") }
        defer {
            try? inputFile.close()
            try? errorFile.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["STOCK_NOTIFY_TO"] = address
        process.environment = environment
        process.standardInput = inputFile
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorFile
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw NotificationFailure(message: "cannot run notifier command \(command): \(error)")
        }
        guard finished.wait(timeout: .now() + commandTimeoutSeconds) == .success else {
            process.terminate()
            throw NotificationFailure(
                message: "notifier command \(command) did not finish in \(Int(commandTimeoutSeconds)) s; stopped it")
        }
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            let reason = stderr.split(separator: "\n").first.map { ": \($0)" } ?? ""
            throw NotificationFailure(
                message: "notifier command \(command) exited with status \(process.terminationStatus)\(reason)")
        }
    }
}

public struct NotificationFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
