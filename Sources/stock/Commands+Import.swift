import Allocation
import Foundation

extension Subcommand {
    static let importCSV = Subcommand(
        name: "import", positionals: ["batches|orders", "FILE|-"], optional: 1,
        options: [
            .flag("--dry-run", "check every row against the current data and report what would happen; change nothing"),
            .valued("--from-row", "N", "skip the rows before row N (to re-run the rest after a failure)"),
            .flag("--quiet", "no progress bar and no summary: only the refused rows and what stops the import"),
            .flag("--update", "import batches: a reference that is there gets the row's quantity and ETA"),
            .flag("--ignore-columns", "accept columns the kind does not read, and name them in the summary").outOfUsage,
            .valued("--column", "NAME=HEADER", "read the file's column HEADER as NAME (repeat it, or NAME=HEADER,...)")
                .outOfUsage,
        ],
        abstract: "add batches or allocate order lines from a CSV file",
        details: """
            Reads CSV from FILE, or from standard input when FILE is - (or left out, unless standard input is a
            terminal), and runs one command per row through the same rules as typing it:
              batches  reference,sku,quantity,eta,shipped: add-batch for each row (eta empty: in the
                       warehouse; shipped, when given, the units of it already shipped: a new batch holds
                       quantity less shipped, one that is there must have shipped as many)
              orders   orderid,sku,quantity: allocate for each row; a line whose status column is shipped or
                       cancelled (an exported allocations file) is skipped
            Fields are separated by commas, or by semicolons or tabs as spreadsheets save them in some locales:
            the one the header holds (a header holding two is refused). The header names the columns, in any
            order; columns that export adds are ignored. Another column refuses the file, unless --ignore-columns
            (the summary says "ignored columns: X, Y") or --column NAME=HEADER reads it as one of the kind's
            columns (--column orderid=Order). An exported waiting line keeps its waiting_since when no waiting
            line of its SKU started waiting later (else it waits from now, and the summary says "backorder ages
            restarted for N lines"). The whole file is checked first: a file that is not CSV (an unclosed quote, a
            row with another number of fields than the header, bytes that are not UTF-8), an empty file or a bad
            header is refused whole, naming the line, and nothing is changed (exit 2).
            With --update, import batches sets the quantity and ETA of a batch whose reference is there (an
            updated advance shipping notice) as change-quantity and change-eta do, with their rules, both or
            neither, one line per updated row; other references are added as usual.
            The rows run in grouped transactions, each row in a savepoint of its own (a refused row changes
            nothing, the rows around it still apply), committed every groupCommands rows or groupMs milliseconds,
            before a row whose SKU another writer holds (on a server), and at the end. Standard output gets one line per refused row, per row left waiting for stock and per
            batch with an ETA in the past, each naming the row and the line it starts on, e.g.
              row 3 (line 4): quantity must be a whole number, got "1,000"
            then a summary: imported N rows: A applied (, U updated, C unchanged), W waiting, R refused (, S
            skipped); a row that changed nothing (a line already allocated so, a batch already there) is
            unchanged. Standard error ends with "committed through row N"; after a database error, "committed through row N; re-run with
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
        let updating = arguments.flags.contains("--update")
        if updating, kind != .batches {
            throw UsageError(message: "--update is for import batches: it updates batches that are there")
        }
        let headerOptions: CSVImport.HeaderOptions
        do {
            headerOptions = CSVImport.HeaderOptions(
                ignoresUnknownColumns: arguments.flags.contains("--ignore-columns"),
                renamed: try CSVImport.HeaderOptions.renaming(arguments.repeatedOptions["--column"] ?? [], kind: kind))
        } catch let error as ContractViolation {
            throw UsageError(message: error.message)
        }
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
            file = try CSVFile.open(source, kind: kind, options: headerOptions)
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
        let output = ImportReport(bar: bar, today: settings.clock.today, quiet: quiet, updating: updating)
        var run = BulkRun(bus: bus, fromRow: fromRow) { row, result in output.add(row, result) }
        run.group = CommandGroup(bus: bus, settings: settings, dryRun: dryRun)
        run.progress = { summary in
            output.write()
            bar?.update(done: summary.rows)
        }
        run.shouldStop = { Interruption.received != 0 }
        Interruption.catchStopSignals()
        let summary = run.runToEnd(CSVRowsInput(file: file, reader: records, kind: kind, updating: updating))
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
            output.finish(
                summary.summaryLine(dryRun: dryRun, fromRow: fromRow, ignoredColumns: file.ignoredColumns))
            if !dryRun { printError(summary.committedLine(unit: "row")) }
        }
        return summary.status(malformedIsRefused: true)
    }
}

extension BulkSummary {
    /// `imported 6 rows: 4 applied, 1 waiting, 1 refused`, with `, 2 updated` and `, 1 unchanged` after applied
    /// when there are such rows, `, 2 skipped (shipped or cancelled)` when rows were skipped, then
    /// `; backorder ages restarted for N lines` and `; ignored columns: X, Y` when that happened; a dry run's
    /// begins `checked 6 rows (dry run, nothing was changed)`, a run from row N says `(from row N)`.
    func summaryLine(dryRun: Bool, fromRow: Int, ignoredColumns: [String] = []) -> String {
        let noun = rows == 1 ? "row" : "rows"
        var line = dryRun ? "checked \(rows) \(noun)" : "imported \(rows) \(noun)"
        var notes: [String] = []
        if fromRow > 1 { notes.append("from row \(fromRow)") }
        if dryRun { notes.append("dry run, nothing was changed") }
        if !notes.isEmpty { line += " (" + notes.joined(separator: "; ") + ")" }
        line += ": \(done) applied"
        if updated > 0 { line += ", \(updated) updated" }
        if unchanged > 0 { line += ", \(unchanged) unchanged" }
        line += ", \(waiting) waiting, \(refused + malformed) refused"
        if skipped > 0 { line += ", \(skipped) skipped (shipped or cancelled)" }
        if agesRestarted > 0 {
            line +=
                "; backorder ages restarted for \(agesRestarted) \(agesRestarted == 1 ? "line" : "lines")"
                + " (a line of the SKU was waiting since later)"
        }
        if !ignoredColumns.isEmpty {
            line += "; ignored columns: " + ignoredColumns.map { TerminalText.sanitized($0) }.joined(separator: ", ")
        }
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
    /// `--update`: an updated batch gets a line.
    private let updating: Bool
    private let sharesTerminal = isatty(STDOUT_FILENO) == 1
    private var pending = false

    init(bar: ProgressBar?, today: Day, quiet: Bool, updating: Bool) {
        self.bar = bar
        self.today = today
        self.quiet = quiet
        self.updating = updating
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
            if updating, case .createBatch(let batch) = command, outcome.changed, outcome.isUpdate {
                line(
                    "\(place): updated \(TerminalText.sanitized(batch.ref)): quantity \(batch.qty), "
                        + (batch.eta.map { "due \($0)" } ?? "in the warehouse"))
                for text in outcome.lines(for: command) { line("\(place): \(TerminalText.sanitized(text))") }
            } else if outcome.leftLinesWaiting {
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
    let updating: Bool
    private var last = 0

    init(file: CSVFile, reader: CSVReader, kind: CSVImport.Kind, updating: Bool) {
        self.file = file
        self.reader = reader
        self.kind = kind
        self.updating = updating
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
            let command = try kind.command(from: record, updatingBatches: updating)
            return BulkRow(number: record.row, command: command.map { .success($0) }, line: record.line)
        } catch {
            return BulkRow(number: record.row, command: .failure(error), line: record.line)
        }
    }
}
