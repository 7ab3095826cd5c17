import Foundation

/// Runs many commands through one bus in few transactions: bulk work at the cost of a commit per group, not per
/// command.
///
/// Each command runs in its own `SAVEPOINT` of a shared `BEGIN IMMEDIATE` transaction (``Database/beginGroup()``),
/// through ``MessageBus/handle(_:)`` itself: the same validation, outcomes, errors and stale-write retries as in a
/// transaction of its own. A refused or failing command rolls back to its savepoint, so it changes nothing and the
/// commands around it still apply. The transaction is committed when ``isDue`` (``commandLimit`` commands, or held
/// ``millisecondLimit`` ms: other writers wait for the turn meanwhile) and at ``finish()``; the events of its
/// commands are dispatched after that COMMIT, in order, never for a rolled-back command.
///
/// Two groups never deadlock on a server: a group never waits for a product row while it may hold others. Its
/// first command in a transaction locks its product row (its rows, in SKU order) as any command does, waiting
/// if need be; a later command takes its row `NOWAIT` (``Database/waitsForRowLocks``), and when the row is held
/// elsewhere, its savepoint is rolled back, the commands before it are committed, which releases their rows, and
/// it runs again as the first command of a new transaction. A global lock order cannot do this job, since a
/// group learns its commands (and their SKUs) one at a time from a stream it must not hold back. Should a
/// server still refuse a command for a conflict (a deadlock with some other writer, or a serialization failure
/// at `serializable`), the same happens after a short pause: the victim never runs again inside the transaction
/// that holds the earlier commands' rows and snapshot. The caller hears of such an early COMMIT at once (it may
/// answer the commands before the one run again while that one waits), and no command is ever applied twice, as
/// each one's savepoint was rolled back before it runs again.
///
/// A `DatabaseError` (busy, disk full) rolls the group's uncommitted commands back whole, never part of one; the
/// caller, which knows which inputs they came from, says up to where everything was committed. A dry run
/// (`dryRun`) keeps one transaction for the whole run, so each command sees the ones before it, and rolls it back
/// at ``finish()``: nothing is changed or dispatched, and other writers wait until it ends.
public final class CommandGroup {
    public let bus: MessageBus
    /// The commands after which the open transaction is committed.
    public let commandLimit: Int
    /// The milliseconds after which the open transaction is committed.
    public let millisecondLimit: Int
    public let isDryRun: Bool
    /// Commands run in the open transaction, refused ones included; 0 when none is open.
    public private(set) var uncommitted = 0
    /// When the open transaction began, on ``monotonic``.
    private var openedAt = 0.0
    /// The clock ``millisecondLimit`` is measured on, in seconds: ``monotonicNow()`` but in tests.
    private let monotonic: () -> Double

    public init(
        bus: MessageBus, commandLimit: Int, millisecondLimit: Int, dryRun: Bool = false,
        monotonic: @escaping () -> Double = monotonicNow
    ) {
        self.bus = bus
        self.commandLimit = max(1, commandLimit)
        self.millisecondLimit = max(1, millisecondLimit)
        isDryRun = dryRun
        self.monotonic = monotonic
    }

    /// A group with the settings' limits (``Settings/groupCommands``, ``Settings/groupMilliseconds``).
    public convenience init(bus: MessageBus, settings: Settings, dryRun: Bool = false) {
        self.init(
            bus: bus, commandLimit: settings.groupCommands, millisecondLimit: settings.groupMilliseconds,
            dryRun: dryRun)
    }

    /// Runs one command in its own savepoint, opening a transaction when none is open; commit with ``commit()``
    /// when ``isDue``.
    ///
    /// When the command's product row is held elsewhere, or a server refuses it for a conflict, the commands
    /// before it are committed (or, with none, the transaction rolled back) and it runs again in a new transaction
    /// (see the type's comment) with ``commit()``; a caller that knows the commands before it passes its own COMMIT
    /// (``handle(_:commitBefore:)``), which answers them at once (the command may then still wait for its row)
    /// and can run them again should the COMMIT itself be refused for a conflict. A dry run, which cannot commit,
    /// fails instead.
    ///
    /// - Throws: what ``MessageBus/handle(_:)`` or the COMMIT throws. After a `DatabaseError` the group's
    ///   uncommitted commands are rolled back and the next command opens a new transaction.
    @discardableResult
    public func handle(_ command: Command) throws -> Outcome {
        try handle(command) { try commit() }
    }

    /// ``handle(_:)`` with the caller's own COMMIT of the commands before the command, should it run again.
    @discardableResult
    public func handle(_ command: Command, commitBefore: () throws -> Void) throws -> Outcome {
        let started = monotonicNow()
        let conflictSeconds = Double(bus.database.busyTimeoutMilliseconds) / 1000
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try runInGroup(command)
            } catch let error as RowLockUnavailable where !isDryRun {
                try endBeforeRunningAgain(after: error, commitBefore: commitBefore)
            } catch let error as DatabaseError
                where error.kind == .conflict && !isDryRun
                && MessageBus.mayRunAgain(
                    after: error, attempt: attempt, waited: monotonicNow() - started, conflictSeconds: conflictSeconds)
            {
                try endBeforeRunningAgain(after: error, commitBefore: commitBefore)
                MessageBus.pauseBeforeRetry(attempt: attempt)
            } catch let error as DatabaseError {
                abandon()
                throw error
            }
        }
    }

    /// Runs the command in a savepoint of the open transaction, opening one if none is; a command after others
    /// in the transaction does not wait for its product row (``Database/waitsForRowLocks``).
    private func runInGroup(_ command: Command) throws -> Outcome {
        let database = bus.database
        if !database.isGrouped {
            try database.beginGroup()
            openedAt = monotonic()
            uncommitted = 0
        }
        uncommitted += 1
        database.waitsForRowLocks = isDryRun || uncommitted == 1
        defer { database.waitsForRowLocks = true }
        return try bus.handle(command)
    }

    /// Ends the open transaction before a command that failed with `error` runs again: its savepoint is rolled
    /// back, so the commands before it are committed, releasing their rows; with none, the transaction is rolled
    /// back (its snapshot may be what the server refused).
    ///
    /// - Throws: `DatabaseError` from COMMIT (the commands before it are then lost), what `commitBefore` throws,
    ///   or `error` when the engine ended the transaction with the command.
    private func endBeforeRunningAgain(after error: any Error, commitBefore: () throws -> Void) throws {
        uncommitted -= 1
        guard bus.database.isGrouped else {
            defer { uncommitted = 0 }
            guard uncommitted == 0 else {
                throw error as? DatabaseError ?? .misuse("the group's transaction ended with its command: \(error)")
            }
            return
        }
        guard uncommitted > 0 else { return abandon() }
        do {
            try commitBefore()
        } catch {
            abandon()
            throw error
        }
    }

    /// Whether the open transaction should be committed now: it ran ``commandLimit`` commands or has held the write
    /// lock for ``millisecondLimit`` ms. Never for a dry run.
    public var isDue: Bool {
        guard !isDryRun, uncommitted > 0 else { return false }
        return uncommitted >= commandLimit || secondsLeft <= 0
    }

    /// Seconds until the open transaction is due by time; 0 when it is due, infinity when none is open or in a dry
    /// run. A caller waiting for its next command waits no longer than this before it commits.
    public var secondsLeft: Double {
        guard !isDryRun, uncommitted > 0 else { return .infinity }
        return max(0, openedAt + Double(millisecondLimit) / 1000 - monotonic())
    }

    /// Commits the open transaction and dispatches its events; does nothing when none is open, or in a dry run.
    ///
    /// - Throws: `DatabaseError` from COMMIT: the uncommitted commands are then lost (rolled back).
    public func commit() throws {
        guard !isDryRun, bus.database.isGrouped else { return }
        defer { uncommitted = 0 }
        try bus.database.commitGroup()
    }

    /// Ends the run: commits what is open, or for a dry run rolls everything back.
    public func finish() throws {
        if isDryRun { abandon() } else { try commit() }
    }

    /// Rolls the open transaction back: its commands change nothing and dispatch nothing.
    public func abandon() {
        bus.database.rollbackGroup()
        uncommitted = 0
    }
}
