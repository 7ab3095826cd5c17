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
    /// When the open transaction began, on the monotonic clock.
    private var openedAt = 0.0

    public init(bus: MessageBus, commandLimit: Int, millisecondLimit: Int, dryRun: Bool = false) {
        self.bus = bus
        self.commandLimit = max(1, commandLimit)
        self.millisecondLimit = max(1, millisecondLimit)
        isDryRun = dryRun
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
    /// - Throws: what ``MessageBus/handle(_:)`` throws. After a `DatabaseError` the group's uncommitted commands
    ///   are rolled back and the next command opens a new transaction.
    @discardableResult
    public func handle(_ command: Command) throws -> Outcome {
        if !bus.database.isGrouped {
            try bus.database.beginGroup()
            openedAt = monotonicNow()
            uncommitted = 0
        }
        uncommitted += 1
        do {
            return try bus.handle(command)
        } catch let error as DatabaseError {
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
        return max(0, openedAt + Double(millisecondLimit) / 1000 - monotonicNow())
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
