import Allocation
import Foundation

extension Subcommand {
    static let apply = Subcommand(
        name: "apply", positionals: ["FILE|-"], optional: 1,
        options: [
            .flag(
                "--group",
                "run the lines in grouped transactions, committed every few ms (settings groupCommands, groupMs)"),
            .valued("--from-row", "N", "skip the lines before line N (to re-run the rest after a failure)"),
            .flag("--dry-run", "run every line and answer what it would do, then roll everything back"),
        ],
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
            With --group, lines share transactions, each line in a savepoint of its own (a refused line still
            changes nothing), committed every groupCommands lines or groupMs milliseconds, before a line whose
            SKU another writer holds (on a server), and at the end; a line is answered once it is committed, and standard error ends with "committed through line N". A crash loses
            at most the uncommitted group, never part of a command; after a database error, standard error says
            "committed through line N; re-run with --from-row N+1".
            --dry-run answers every line against the current data, each seeing the lines before it, and changes
            nothing (it holds the write lock until it ends).
            Exit 0 if all succeeded, 4 if all were accepted but a line was left waiting, 1 if any was refused,
            2 if any was malformed, 3 on a database error.
            """
    ) { try $0.apply() }
}

extension Tool {
    func apply() throws -> ExitStatus {
        let source = positional("FILE|-") ?? "-"
        guard !source.isEmpty else { throw UsageError(message: "apply needs a FILE or -, got \"\"") }
        let fromRow = try fromRowOption()
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
        let database = try openDatabase()
        let bus = makeBus(database)
        defer { bus.finishNotifications() }
        let dryRun = arguments.flags.contains("--dry-run")
        let grouped = arguments.flags.contains("--group")
        let answers = AnswerBuffer()
        var run = BulkRun(bus: bus, fromRow: fromRow) { row, result in answers.add(row, result) }
        if grouped || dryRun { run.group = CommandGroup(bus: bus, settings: settings, dryRun: dryRun) }
        // A script may wait for each result before it sends the next line.
        run.progress = { _ in answers.write() }
        let summary = try run.run(JSONLinesInput(handle: handle, source: source))
        if let failure = summary.failure {
            reportFailure(failure)
            printError(summary.committedLine(unit: "line"))
            return .failure
        }
        fclose(handle)
        if dryRun {
            printError("dry run: nothing was changed")
        } else if grouped {
            printError(summary.committedLine(unit: "line"))
        }
        return summary.status()
    }

    /// `--from-row N`: the first row to run, 1 when not given.
    func fromRowOption() throws -> Int {
        guard let text = arguments.options["--from-row"] else { return 1 }
        guard let number = Int(text), number >= 1 else {
            throw UsageError(message: "--from-row needs a row number from 1, got \(text)")
        }
        return number
    }

    /// Says on standard error what stopped a bulk run, as ``main(words:environment:)`` says an error.
    func reportFailure(_ failure: any Error) {
        printError(Tool.describe(failure).1)
        if let database = failure as? DatabaseError, database.kind == .commitUnknown {
            printError(Tool.commitUnknownAdvice)
        }
        if let database = failure as? DatabaseError, environment["STOCK_DEBUG"]?.isEmpty == false {
            printError(database.debugDetails)
        }
    }

    /// `apply`'s answer to one line: `{"ok":true,"line":N,"command":...}` or `{"ok":false,...,"error":...}`.
    static func answer(_ row: BulkRow, _ result: Result<Outcome, any Error>) -> JSONObjectWriter {
        var answer = JSONObjectWriter()
        switch result {
        case .success(let outcome):
            answer.add("ok", true)
            answer.add("line", row.number)
            if let name = row.name { answer.add("command", name) }
            answer.add("status", outcome.status)
            if case .success(let command) = row.command { outcome.describe(command, into: &answer) }
            answer.add("changed", outcome.changed)
        case .failure(let error):
            answer.add("ok", false)
            answer.add("line", row.number)
            // Every refusal names the command its line named, so a script matches answers the same way.
            if let name = row.name { answer.add("command", name) }
            answer.add("error", describe(error).1)
            // A refused line's savepoint or transaction is rolled back: it changed nothing.
            answer.add("changed", false)
        }
        return answer
    }
}

/// Answer lines collected between writes, written to standard output's descriptor in one call: not through C's
/// `stdout`, whose flush by `fflush(nil)` would wait for standard input's lock, held by the reader thread while
/// it waits for a line.
final class AnswerBuffer {
    private var bytes: [UInt8] = []

    /// Adds the answer to `row` (``Tool/answer(_:_:)``; the most common one written straight in its bytes,
    /// ``AllocatedAnswer``).
    func add(_ row: BulkRow, _ result: Result<Outcome, any Error>) {
        if !AllocatedAnswer.write(row, result, into: &bytes) {
            bytes.append(contentsOf: Tool.answer(row, result).text.utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Adds a line of text.
    func add(line text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Writes the lines collected since the last call; a standard output that cannot be written (a closed pipe)
    /// loses them, as a process killed by the pipe would.
    func write() {
        guard !bytes.isEmpty else { return }
        try? OutputFile.writeAll(bytes, to: STDOUT_FILENO, name: "standard output")
        bytes.removeAll(keepingCapacity: true)
    }
}

/// The JSON lines of `apply`'s input as numbered rows; blank lines are skipped but counted.
struct JSONLinesInput: BulkInput {
    let handle: UnsafeMutablePointer<FILE>
    let source: String
    private var number = 0

    init(handle: UnsafeMutablePointer<FILE>, source: String) {
        self.handle = handle
        self.source = source
    }

    mutating func next() throws -> BulkRow? {
        while let input = readLine(from: handle) {
            number += 1
            switch input {
            case .text(let line) where line.allSatisfy(\.isWhitespace): continue
            case .text(let line):
                let decoded = Command.decode(jsonLine: line)
                switch decoded.command {
                case .success: return BulkRow(number: number, command: decoded.command)
                case .failure: return BulkRow(number: number, command: decoded.command, name: decoded.name)
                }
            case .notText(let reason):
                return BulkRow(number: number, command: .failure(InputError(message: reason)))
            }
        }
        if ferror(handle) != 0 {
            throw UsageError(message: "cannot read \(source): \(String(cString: strerror(errno)))")
        }
        return nil
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
