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

    /// Runs the command with `input` on its standard input, read from an unlinked temporary file rather than a
    /// pipe, so a command that exits without reading cannot kill us with SIGPIPE.
    private static func run(_ command: String, input: String, address: String) throws {
        let inputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("stock-notify-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: inputPath, contents: Data(input.utf8)),
            let inputFile = FileHandle(forReadingAtPath: inputPath)
        else { throw NotificationFailure(message: "cannot write the notification for \(command)") }
        unlink(inputPath)
        defer { try? inputFile.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        var environment = ProcessInfo.processInfo.environment
        environment["STOCK_NOTIFY_TO"] = address
        process.environment = environment
        process.standardInput = inputFile
        process.standardOutput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw NotificationFailure(message: "cannot run notifier command \(command): \(error)")
        }
        finished.wait()
        guard process.terminationStatus == 0 else {
            throw NotificationFailure(
                message: "notifier command \(command) exited with status \(process.terminationStatus)")
        }
    }
}

public struct NotificationFailure: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
