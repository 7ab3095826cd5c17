import Allocation
import Foundation

extension Subcommand {
    static let apply = Subcommand(
        name: "apply", positionals: ["FILE|-"], optional: 1,
        abstract: "run JSON-lines commands from a file or standard input",
        details: """
            Runs one command per JSON line, from FILE or standard input, e.g.
              {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}
              {"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":100,"eta":"2026-12-01"}
              {"command":"ChangeBatchQuantity","ref":"b1","qty":50}
              {"command":"Deallocate","orderid":"o1","sku":"LAMP"}
              {"command":"ReceiveBatch","ref":"b1","qty":48}
              {"command":"ChangeBatchEta","ref":"b2","eta":"2026-12-08"}
              {"command":"Ship","orderid":"o1","sku":"LAMP"}
              {"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"b2"}
              {"command":"AllocateWaiting","sku":"LAMP"}
            Prints one result line each, with the line's number and the command it named:
            {"ok":true,"line":N,"command":"...","status":...} or {"ok":false,"line":N,"command":"...","error":"..."}
            ("command" is left out only when the line names none); status is "allocated", "waiting" (accepted, but a
            line waits for stock), "cancelled" or "done". Each line is its own transaction; a bad line is reported
            and the rest still run.
            Exit 0 if all succeeded, 4 if all were accepted but a line was left waiting, 1 if any was refused,
            2 if any was malformed.
            """
    ) { try $0.apply() }
}

extension Tool {
    func apply() throws -> ExitStatus {
        let source = arguments.positionals.first ?? "-"
        guard !source.isEmpty else { throw UsageError(message: "apply needs a FILE or -, got \"\"") }
        let handle: UnsafeMutablePointer<FILE>
        if source == "-" {
            guard let input = fdopen(STDIN_FILENO, "r") else {
                throw UsageError(message: "cannot read standard input")
            }
            handle = input
        } else {
            guard let opened = fopen(source, "r") else {
                throw UsageError(message: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            handle = opened
        }
        defer { fclose(handle) }
        let database = try openDatabase()
        let bus = makeBus(database)
        defer { bus.finishNotifications() }
        var refused = false
        var malformed = false
        var waiting = false
        var number = 0
        while let input = readLine(from: handle) {
            number += 1
            if case .text(let line) = input, line.allSatisfy(\.isWhitespace) { continue }
            var result = JSONObjectWriter()
            do {
                let command: Command
                switch input {
                case .text(let line): command = try Command(jsonLine: line)
                case .notText(let reason): throw InputError(message: reason)
                }
                let outcome = try bus.handle(command)
                result.add("ok", true)
                result.add("line", number)
                result.add("command", command.name)
                result.add("status", outcome.status)
                outcome.describe(command, into: &result)
                if outcome.leftLinesWaiting { waiting = true }
            } catch {
                let (status, message) = Tool.describe(error)
                if status == .usage { malformed = true } else { refused = true }
                result.add("ok", false)
                result.add("line", number)
                // Every refusal names the command its line named, so a script matches answers the same way.
                if case .text(let line) = input, let name = Command.name(inJSONLine: line) {
                    result.add("command", name)
                }
                result.add("error", message)
                if status == .failure, error is DatabaseError {
                    print(result.text)
                    throw error
                }
            }
            print(result.text)
            // A script may wait for each result before it sends the next line.
            fflush(nil)
        }
        if ferror(handle) != 0 {
            throw UsageError(message: "cannot read \(source): \(String(cString: strerror(errno)))")
        }
        return malformed ? .usage : refused ? .refused : waiting ? .waiting : .done
    }
}

/// One line of input without its newline: its text, or why it is not text.
enum InputLine {
    case text(String)
    case notText(String)
}

/// Reads one line; nil at the end of the input or on a read error (check `ferror`).
///
/// The bytes are checked, not repaired: a NUL byte or invalid UTF-8 makes the line malformed rather than
/// silently cut short or changed to U+FFFD.
func readLine(from file: UnsafeMutablePointer<FILE>) -> InputLine? {
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(buffer) }
    let count = getline(&buffer, &capacity, file)
    guard count >= 0, let buffer else { return nil }
    var bytes = UnsafeRawBufferPointer(start: buffer, count: count)
    if bytes.last == UInt8(ascii: "\n") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
    if bytes.contains(0) { return .notText("the line contains a NUL byte") }
    guard let text = String(validating: bytes, as: UTF8.self) else { return .notText("the line is not valid UTF-8") }
    return .text(text)
}
