import Allocation
import Foundation

/// One numbered input of bulk work: the command it gives, or why it gives none.
struct BulkRow: Sendable {
    /// The row's number in its input (a line's for `apply`), as answers, summaries and `--from-row` name it.
    let number: Int
    /// The command, or why the row gives none; nil for a row with nothing to apply (an order line already
    /// shipped), which is counted as skipped and gets no answer.
    let command: Result<Command, any Error>?
    /// The command the row named, for the answer to a row that gives none; nil when it names none.
    let name: String?
    /// The physical line the row starts on, when it differs from ``number`` (a CSV record's).
    let line: Int?

    init(number: Int, command: Result<Command, any Error>?, name: String? = nil, line: Int? = nil) {
        self.number = number
        self.command = command
        self.name = (try? command?.get().name) ?? name
        self.line = line
    }
}

/// Where bulk work's rows come from, in order. It is read on a thread of its own, so a group can commit while the
/// input is slow (a script waiting for answers, a pipe).
protocol BulkInput {
    /// The next row; nil at the end.
    ///
    /// - Throws: when the input cannot be read further; the rows before it are still run.
    mutating func next() throws -> BulkRow?
}

/// What became of a bulk run's rows, as reported, and up to which row everything was committed.
struct BulkSummary {
    var done = 0
    /// Rows that changed a batch that was there (`import batches --update`).
    var updated = 0
    /// Rows whose command found its work done and changed nothing (``Outcome/changed``).
    var unchanged = 0
    /// Rows whose line waits from now, though the row gave when it started waiting.
    var agesRestarted = 0
    var waiting = 0
    var refused = 0
    var malformed = 0
    /// Rows with nothing to apply (``BulkRow/command`` nil).
    var skipped = 0
    /// Every row up to this number was run (or skipped by `--from-row`) and what it did is committed; 0 when none,
    /// and always in a dry run.
    var committedThrough = 0
    /// The database error that stopped the run: the rows after ``committedThrough`` changed nothing.
    var failure: (any Error)?
    /// Why the input could not be read to its end (``BulkRun/runToEnd(_:)``): the rows before it were run.
    var inputFailure: (any Error)?
    /// The run stopped before the end of its input because ``BulkRun/shouldStop`` said so.
    var stopped = false

    /// The exit status: 3 when stopped by a database error, else 2 if any row was malformed, 1 if any was
    /// refused, 4 if any left a line waiting, else 0. With `malformedIsRefused` (as in `import`, whose malformed
    /// file is refused whole before any row runs, so a row's badly written value is a refusal) a malformed row
    /// counts as refused.
    func status(malformedIsRefused: Bool = false) -> ExitStatus {
        if failure != nil { return .failure }
        if malformed > 0 && !malformedIsRefused { return .usage }
        return refused + malformed > 0 ? .refused : waiting > 0 ? .waiting : .done
    }

    /// The rows answered or skipped so far.
    var rows: Int { done + updated + unchanged + waiting + refused + malformed + skipped }

    /// `committed through line N`, or with a failure `...; re-run with --from-row N+1`.
    func committedLine(unit: String) -> String {
        let through =
            committedThrough == 0 ? "nothing committed" : "committed through \(unit) \(committedThrough)"
        return failure == nil && inputFailure == nil && !stopped
            ? through : "\(through); re-run with --from-row \(committedThrough + 1)"
    }

    fileprivate mutating func count(_ result: Result<Outcome, any Error>?) {
        switch result {
        case nil: skipped += 1
        case .success(let outcome):
            if outcome.leftLinesWaiting {
                waiting += 1
            } else if !outcome.changed {
                unchanged += 1
            } else if outcome.isUpdate {
                updated += 1
            } else {
                done += 1
            }
            if outcome.restartedAge { agesRestarted += 1 }
        case .failure(let error):
            if ExitStatus(for: error) == .usage { malformed += 1 } else { refused += 1 }
        }
    }
}

/// The one driver of bulk work (`apply`, `import`): numbered rows in, each row's command through the bus, each
/// row's answer out in row order, and a summary saying up to which row everything was committed.
///
/// Without a group each command is its own transaction and is answered at once. With one (``CommandGroup``) the
/// commands share transactions; a row is answered only once the COMMIT holding it succeeded, so an answer never
/// speaks of a change a crash could still lose; a dry run's rows are answered at once, since nothing is ever
/// committed. Rows numbered below `fromRow` are skipped unread by the bus. A database error stops the run: the
/// failing row is answered, the group's uncommitted rows are not (they changed nothing), and the summary's
/// ``BulkSummary/failure`` is set. A row's own refusal or malformed input is answered and the run goes on.
struct BulkRun {
    let bus: MessageBus
    /// Groups the commands; nil runs one transaction per command.
    var group: CommandGroup?
    var fromRow = 1
    /// Called for each row run, in row order, once what it did is committed (or at once in a dry run).
    var report: (BulkRow, Result<Outcome, any Error>) -> Void
    /// Called after each batch of answers (after each commit, or each row without a group), with the summary so
    /// far: where a progress display updates.
    var progress: (BulkSummary) -> Void = { _ in }
    /// Asked between rows: true stops the run there, what ran being committed (or rolled back in a dry run) as at
    /// the end of the input.
    var shouldStop: () -> Bool = { false }

    /// Runs every row of `input`.
    ///
    /// - Throws: what `input` threw, after the rows before it were run and committed.
    func run(_ input: any BulkInput) throws -> BulkSummary {
        let summary = runToEnd(input)
        if let error = summary.inputFailure { throw error }
        return summary
    }

    /// Runs every row of `input`; what `input` threw, after the rows before it were run and committed, is the
    /// summary's ``BulkSummary/inputFailure``.
    func runToEnd(_ input: any BulkInput) -> BulkSummary {
        let queue = RowQueue()
        let box = UncheckedBox(input)
        let reader = Thread {
            do {
                while let row = try box.value.next() {
                    guard queue.push(row) else { return }
                }
                queue.close(error: nil)
            } catch {
                queue.close(error: error)
            }
        }
        reader.start()
        defer { queue.cancel() }
        var state = RunState(summary: BulkSummary())
        while true {
            switch queue.take(waitingAtMost: group?.secondsLeft ?? .infinity) {
            case .timedOut:
                endGroup(&state, finishing: false)
            case .rows(let rows):
                for row in rows {
                    run(row, &state)
                    if state.summary.failure != nil { return state.summary }
                    if shouldStop() {
                        endGroup(&state, finishing: true)
                        state.summary.stopped = state.summary.failure == nil
                        return state.summary
                    }
                }
            case .end(let error):
                endGroup(&state, finishing: true)
                if state.summary.failure == nil { state.summary.inputFailure = error }
                return state.summary
            }
        }
    }

    /// How many times a group's rows run again when a server keeps refusing their COMMIT for a conflict.
    static let commitAttempts = 10

    /// Commits the open group (or, `finishing` a dry run, rolls everything back) and answers its rows; a failed
    /// COMMIT loses them (``RunState/lose(_:)``).
    ///
    /// A COMMIT a server refused for a conflict (a serialization failure at `serializable`) changed nothing: the
    /// group's rows run again, in order, in a new transaction, after a short pause, and are answered as that run
    /// decided, up to ``commitAttempts`` times.
    private func endGroup(_ state: inout RunState, finishing: Bool) {
        guard let group else { return }
        var attempt = 0
        while true {
            do {
                if finishing { try group.finish() } else { try group.commit() }
                if !group.isDryRun { state.processedGroupEnd() }
            } catch let error as DatabaseError
                where error.kind == .conflict && !group.isDryRun && attempt < Self.commitAttempts
            {
                attempt += 1
                MessageBus.pauseBeforeRetry(attempt: attempt)
                let rows = state.pending
                state.pending.removeAll()
                state.processed = state.summary.committedThrough
                for (row, _) in rows {
                    run(row, &state, mayCommit: false)
                    if state.summary.failure != nil { return }
                }
                continue
            } catch {
                state.lose(error)
            }
            break
        }
        deliver(&state)
    }

    /// Runs one row; with `mayCommit`, commits the group when it is due.
    private func run(_ row: BulkRow, _ state: inout RunState, mayCommit: Bool = true) {
        guard row.number >= fromRow else {
            state.processed = row.number
            if group == nil { state.summary.committedThrough = row.number }
            return
        }
        let result: Result<Outcome, any Error>?
        switch row.command {
        case nil: result = nil
        case .failure(let error): result = .failure(error)
        case .success(let command):
            do {
                if let group {
                    // The group may commit the rows before this one so that this one runs again in a new
                    // transaction (``CommandGroup/handle(_:commitBefore:)``): as at any COMMIT, they are answered
                    // then (while this one may still wait), or run again if the server refused the COMMIT.
                    result = .success(
                        try group.handle(command) {
                            endGroup(&state, finishing: false)
                            if let failure = state.summary.failure { throw failure }
                        })
                } else {
                    result = .success(try bus.handle(command))
                }
            } catch {
                result = .failure(error)
            }
            // The rows before this one were lost at their COMMIT: like them, this one changed nothing and is not
            // answered.
            if state.summary.failure != nil { return }
        }
        if case .failure(let error) = result, error is DatabaseError {
            state.lose(error)
            report(row, .failure(error))
            state.summary.count(result)
            progress(state.summary)
            return
        }
        state.processed = row.number
        state.pending.append((row, result))
        guard let group, !group.isDryRun else {
            if group == nil { state.summary.committedThrough = row.number }
            deliver(&state)
            return
        }
        if mayCommit && group.isDue { endGroup(&state, finishing: false) }
    }

    private func deliver(_ state: inout RunState) {
        guard !state.pending.isEmpty else { return }
        for (row, result) in state.pending {
            if let result { report(row, result) }
            state.summary.count(result)
        }
        state.pending.removeAll(keepingCapacity: true)
        progress(state.summary)
    }
}

/// The driver's bookkeeping between rows.
private struct RunState {
    var summary: BulkSummary
    /// The rows run but not yet answered: in the open group; a nil result for a skipped row.
    var pending: [(BulkRow, Result<Outcome, any Error>?)] = []
    /// The last row run or skipped.
    var processed = 0

    /// The open group committed: everything run so far is durable.
    mutating func processedGroupEnd() {
        summary.committedThrough = processed
    }

    /// A database error: the open group's rows changed nothing and get no answer.
    mutating func lose(_ error: any Error) {
        pending.removeAll()
        summary.failure = error
    }
}

/// Moves a value to the reader thread, which alone uses it from then on.
private final class UncheckedBox<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// Rows handed from the reader thread to the driver, at most ``capacity`` waiting, so a huge input is not held in
/// memory whole.
private final class RowQueue: @unchecked Sendable {
    // @unchecked: every stored property is read and written only while `condition` is locked.
    enum Taken {
        case rows([BulkRow])
        case timedOut
        /// The input ended, or could not be read further.
        case end((any Error)?)
    }

    private let condition = NSCondition()
    private var rows: [BulkRow] = []
    private var ended = false
    private var endError: (any Error)?
    private var cancelled = false
    private let capacity = 4096

    /// Adds a row, waiting while the queue is full; false once the driver stopped taking rows.
    func push(_ row: BulkRow) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while rows.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        rows.append(row)
        if rows.count == 1 { condition.broadcast() }
        return true
    }

    func close(error: (any Error)?) {
        condition.lock()
        ended = true
        endError = error
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the reader's waits: the driver takes no more rows.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Every row waiting, else the end, after waiting for one at most `seconds`.
    func take(waitingAtMost seconds: Double) -> Taken {
        condition.lock()
        defer { condition.unlock() }
        let deadline = seconds.isFinite ? Date(timeIntervalSinceNow: seconds) : nil
        while rows.isEmpty && !ended {
            if let deadline {
                guard condition.wait(until: deadline) else { return rows.isEmpty && !ended ? .timedOut : take() }
            } else {
                condition.wait()
            }
        }
        return take()
    }

    /// The rows waiting (called with the lock held), or the end when none is.
    private func take() -> Taken {
        guard !rows.isEmpty else { return .end(endError) }
        let taken = rows
        rows.removeAll(keepingCapacity: true)
        condition.broadcast()
        return .rows(taken)
    }
}

extension Outcome {
    /// Whether a line waits from now though its command gave when it started waiting.
    var restartedAge: Bool {
        switch self {
        case .waiting(_, _, _, _, _, let restarted), .allocatedInPieces(_, _, _, _, _, _, _, let restarted): restarted
        default: false
        }
    }

    /// Whether the outcome is a batch's quantity or ETA changed: what `import batches --update` makes of a batch
    /// that was there.
    var isUpdate: Bool {
        switch self {
        case .quantityChanged, .etaChanged: true
        default: false
        }
    }
}
