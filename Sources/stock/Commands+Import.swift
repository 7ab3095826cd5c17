import Allocation
import Foundation

extension Subcommand {
    static let importCSV = Subcommand(
        name: "import", positionals: ["batches|orders", "FILE|-"], optional: 1,
        options: [
            .flag("--dry-run", "check every row against the current data and report what would happen; change nothing"),
            .valued("--from-row", "N", "skip the rows before row N (to re-run the rest after a failure)"),
            .flag("--quiet", "no progress bar and no summary: only the refused rows and what stops the import"),
        ],
        abstract: "add batches or allocate order lines from a CSV file",
        details: """
            Reads CSV from FILE, or from standard input when FILE is - (or left out, unless standard input is a
            terminal), and runs one command per row through the same rules as typing it:
              batches  reference,sku,quantity,eta: add-batch for each row (eta empty: in the warehouse)
              orders   orderid,sku,quantity: allocate for each row; a line whose status column is shipped or
                       cancelled (an exported allocations file) is skipped
            The header names the columns, in any order; columns that export adds are ignored. The whole file is
            checked first: a file that is not CSV (an unclosed quote, a row with another number of fields than
            the header, bytes that are not UTF-8), an empty file or a bad header is refused whole, naming the
            line, and nothing is changed (exit 2).
            The rows run in grouped transactions, each row in a savepoint of its own (a refused row changes
            nothing, the rows around it still apply), committed every groupCommands rows or groupMs milliseconds,
            before a row whose SKU another writer holds (on a server), and at the end. Standard output gets one line per refused row, per row left waiting for stock and per
            batch with an ETA in the past, each naming the row and the line it starts on, e.g.
              row 3 (line 4): quantity must be a whole number, got "1,000"
            then a summary: imported N rows: A applied, W waiting, R refused (, S skipped). Standard error ends
            with "committed through row N"; after a database error, "committed through row N; re-run with
            --from-row N+1". While it runs, standard error shows a progress bar when it is a terminal.
            Ctrl-C (or SIGTERM, SIGHUP) stops it after the row running: what ran is committed and standard error
            says "stopped by Ctrl-C; committed through row N; re-run with --from-row N+1" (exit 130).
            --dry-run checks every row against the current data, each seeing the rows before it, reports the
            same, and changes nothing (it holds the write lock until it ends).
            Exit 0 if every row applied, 4 if none was refused but a line was left waiting, 1 if any row was
            refused, 2 if the file was refused whole, 3 on a database error.
            """
    ) { try $0.importCSV() }
}

extension Tool {
    func importCSV() throws -> ExitStatus {
        let kindName = required("batches|orders")
        guard let kind = CSVImport.Kind(rawValue: kindName) else {
            let names = CSVImport.Kind.allCases.map(\.rawValue)
            throw UsageError(
                message: "import reads \(names.joined(separator: " or ")), got " + Validation.shown(kindName)
                    + Suggestion.didYouMean(kindName, among: names))
        }
        let source = positional("FILE|-") ?? "-"
        if source.isEmpty { throw UsageError(message: "import needs a FILE or -, got \"\"") }
        if positional("FILE|-") == nil, isatty(STDIN_FILENO) == 1 {
            throw UsageError(message: "import \(kind.rawValue) needs a FILE, or - to read standard input")
        }
        let fromRow = try fromRowOption()
        let quiet = arguments.flags.contains("--quiet")
        let dryRun = arguments.flags.contains("--dry-run")
        let database = try openDatabase()
        let bus = makeBus(database)
        defer { bus.finishNotifications() }
        let label = TerminalText.sanitized(
            source == "-" ? "standard input" : (source as NSString).lastPathComponent)
        // Someone typing the CSV at the terminal sees no notice over it.
        let typed = source == "-" && isatty(STDIN_FILENO) == 1
        let notice = quiet || typed ? nil : CheckingNotice(label: label, environment: environment)
        let file: CSVFile
        do {
            defer { notice?.end() }
            file = try CSVFile.open(source, kind: kind)
        } catch let error as CSVError {
            let name = source == "-" ? "standard input" : source
            throw InputError(message: "\(name), \(error); nothing was imported")
        }
        let records = try file.records()
        let bar =
            quiet
            ? nil
            : ProgressBar(
                label: label, total: max(0, file.rowCount - fromRow + 1),
                environment: environment)
        let output = ImportReport(bar: bar, today: settings.clock.today, quiet: quiet)
        var run = BulkRun(bus: bus, fromRow: fromRow) { row, result in output.add(row, result) }
        run.group = CommandGroup(bus: bus, settings: settings, dryRun: dryRun)
        run.progress = { summary in
            output.write()
            bar?.update(done: summary.rows)
        }
        run.shouldStop = { Interruption.received != 0 }
        Interruption.catchStopSignals()
        let summary = run.runToEnd(CSVRowsInput(file: file, reader: records, kind: kind))
        output.write()
        bar?.erase()
        if summary.stopped {
            let signal = Interruption.received
            printError(
                "stopped by \(signal == SIGINT ? "Ctrl-C" : signal == SIGTERM ? "SIGTERM" : "SIGHUP"); "
                    + (dryRun ? "dry run: nothing was changed" : summary.committedLine(unit: "row")))
            return ExitStatus(rawValue: 128 + signal)
        }
        if let failure = summary.failure ?? summary.inputFailure {
            reportFailure(failure)
            printError(summary.committedLine(unit: "row"))
            return summary.failure == nil ? .usage : .failure
        }
        if !quiet {
            output.finish(summary.summaryLine(dryRun: dryRun, fromRow: fromRow))
            if !dryRun { printError(summary.committedLine(unit: "row")) }
        }
        return summary.status(malformedIsRefused: true)
    }
}

extension BulkSummary {
    /// `imported 6 rows: 4 applied, 1 waiting, 1 refused`, with `, 2 skipped (shipped or cancelled)` when rows were
    /// skipped; a dry run's begins `checked 6 rows (dry run, nothing was changed)`, a run from row N says
    /// `(from row N)`.
    func summaryLine(dryRun: Bool, fromRow: Int) -> String {
        let noun = rows == 1 ? "row" : "rows"
        var line = dryRun ? "checked \(rows) \(noun)" : "imported \(rows) \(noun)"
        var notes: [String] = []
        if fromRow > 1 { notes.append("from row \(fromRow)") }
        if dryRun { notes.append("dry run, nothing was changed") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: "; ") + ")" }
        line += ": \(done) applied, \(waiting) waiting, \(refused + malformed) refused"
        if skipped > 0 { line += ", \(skipped) skipped (shipped or cancelled)" }
        return line
    }
}

/// The import's report on standard output: a line per refused row, per row left waiting and per past ETA, kept
/// until ``write()`` and then written in one call, the progress bar erased first when both share a terminal.
private final class ImportReport {
    private let answers = AnswerBuffer()
    private let bar: ProgressBar?
    private let today: Day
    private let quiet: Bool
    private let sharesTerminal = isatty(STDOUT_FILENO) == 1
    private var pending = false

    init(bar: ProgressBar?, today: Day, quiet: Bool) {
        self.bar = bar
        self.today = today
        self.quiet = quiet
    }

    /// Keeps the row's report line, if it gets one.
    func add(_ row: BulkRow, _ result: Result<Outcome, any Error>) {
        // Named only for a row that gets a line: most get none.
        var place: String { "row \(row.number)" + (row.line.map { " (line \($0))" } ?? "") }
        switch result {
        case .failure(let error):
            line("\(place): \(Tool.describe(error).1)")
        case .success(let outcome):
            guard !quiet, case .success(let command)? = row.command else { return }
            if outcome.leftLinesWaiting {
                for text in outcome.lines(for: command) where text.hasPrefix("waiting") {
                    line("\(place): \(TerminalText.sanitized(text))")
                }
            }
            if case .createBatch(let batch) = command, let warning = batch.eta?.pastETAWarning(today: today) {
                line("\(place): warning: \(warning)")
            }
        }
    }

    private func line(_ text: String) {
        answers.add(line: text)
        pending = true
    }

    /// Writes the lines kept since the last call.
    func write() {
        guard pending else { return }
        if sharesTerminal { bar?.erase() }
        answers.write()
        pending = false
    }

    /// Writes the summary after the last lines.
    func finish(_ summary: String) {
        line(summary)
        write()
    }
}

/// The records of a checked CSV file as numbered rows, each the command its values give or why they give none.
private struct CSVRowsInput: BulkInput {
    let file: CSVFile
    let reader: CSVReader
    let kind: CSVImport.Kind
    private var last = 0

    init(file: CSVFile, reader: CSVReader, kind: CSVImport.Kind) {
        self.file = file
        self.reader = reader
        self.kind = kind
    }

    mutating func next() throws -> BulkRow? {
        guard let record = try reader.next() else {
            guard last == file.rowCount else {
                throw InputError(
                    message: "\(file.name) changed while it was imported: it ends after row \(last) of "
                        + "\(file.rowCount)")
            }
            return nil
        }
        last = record.row
        do {
            let command = try kind.command(from: record)
            return BulkRow(number: record.row, command: command.map { .success($0) }, line: record.line)
        } catch {
            return BulkRow(number: record.row, command: .failure(error), line: record.line)
        }
    }
}
