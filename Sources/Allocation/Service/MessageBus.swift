import Foundation

/// Routes commands to their one handler and events to their many.
///
/// A command runs in one transaction (``Database/transaction(_:)``) together with the insertion of its events
/// into the `events` table; only after `COMMIT` are the events handed to their handlers, so a rolled-back command
/// leaves no event and notifies nobody. A command's error reaches the caller; an event handler's error is
/// reported through `log` and the remaining handlers still run. Notifications are sent in the background
/// (``notifications``); their failures reach `log` on this bus's thread when ``reportNotificationFailures()`` or
/// ``finishNotifications()`` collects them.
public final class MessageBus {
    public typealias EventHandler = (Event) throws -> Void

    public let database: Database
    public let clock: Clock
    /// Who the events of this bus's commands are recorded as caused by.
    public let `operator`: String
    /// Whether stock that appears is given to waiting lines in the same transaction.
    public let autoAllocate: Bool
    /// How a line may be spread over its SKU's batches (``SplitLines``).
    public let splitLines: SplitLines
    private let log: (String) -> Void
    /// Where the notifications of ``standard(database:settings:log:)`` are sent from, off this bus's thread.
    public let notifications = NotificationQueue()
    private var handlers: [Event.Kind: [(name: String, handle: EventHandler)]] = [:]

    /// A bus over `database` with no event handlers; see ``standard(database:settings:log:)``. `operator` defaults
    /// to the operating system's user.
    public init(
        database: Database, clock: Clock,
        operator: String = Settings.operatingSystemUser(environment: ProcessInfo.processInfo.environment),
        autoAllocate: Bool = true, splitLines: SplitLines = .batches, log: @escaping (String) -> Void
    ) {
        self.database = database
        self.clock = clock
        self.operator = `operator`
        self.autoAllocate = autoAllocate
        self.splitLines = splitLines
        self.log = log
    }

    /// The production wiring: the settings' operator and `autoAllocate`, and an `OutOfStock` or `OrdersDelayed`
    /// event notifies the settings' address through the settings' notifier, in the background (``notifications``).
    public static func standard(database: Database, settings: Settings, log: @escaping (String) -> Void) -> MessageBus {
        let bus = MessageBus(
            database: database, clock: settings.clock, operator: settings.user, autoAllocate: settings.autoAllocate,
            splitLines: settings.splitLines, log: log)
        let notifier = settings.notifier
        let address = settings.notifyAddress
        let name = "notify out of stock"
        bus.subscribe(to: .outOfStock, name: name) { [notifications = bus.notifications] event in
            if case .outOfStock(let sku, let orderid, let qty) = event {
                let message = Outcome.outOfStockMessage(sku: sku, orderid: orderid, qty: qty)
                notifications.send(message, to: address, through: notifier) { error in
                    handlerFailure(name, event, error)
                }
            }
        }
        let delayName = "notify orders delayed"
        bus.subscribe(to: .ordersDelayed, name: delayName) { [notifications = bus.notifications] event in
            if case .ordersDelayed(let ref, let delayed) = event {
                let message = Outcome.delayedMessage(ref: ref, delayed: delayed)
                notifications.send(message, to: address, through: notifier) { error in
                    handlerFailure(delayName, event, error)
                }
            }
        }
        return bus
    }

    /// Hands the notification failures collected since the last call to `log`, oldest first.
    public func reportNotificationFailures() {
        for failure in notifications.takeFailures() { log(failure) }
    }

    /// Waits for the notifications still being sent (``NotificationQueue/waitForPending()``), then reports the
    /// failures: what a command line does before it exits.
    public func finishNotifications() {
        notifications.waitForPending()
        reportNotificationFailures()
    }

    /// Adds a handler for one kind of event; handlers run in the order they were added.
    public func subscribe(to kind: Event.Kind, name: String, handler: @escaping EventHandler) {
        handlers[kind, default: []].append((name, handler))
    }

    /// Normalizes its text (NFC), validates and runs a command in one transaction, then dispatches its events.
    ///
    /// A write refused as stale (``ConcurrentUpdate``), or a transaction a server refused for a conflict
    /// (``DatabaseError/Kind/conflict``), runs again from a fresh read after a short random pause, a bounded
    /// number of times (``mayRunAgain(after:attempt:waited:conflictSeconds:)``).
    ///
    /// Between processes on SQLite the retry cannot fire: the command's `BEGIN IMMEDIATE` takes the write lock
    /// before its first read, so no other connection commits between the read of a product's version and the
    /// write that checks it. It is the defence a server engine relies on, where transactions run side by side
    /// and the version check (or a unique key) is what notices that another one got there first.
    ///
    /// A command in a group (``Database/isGrouped``) that a server refused for a conflict is not run again here:
    /// its savepoint is rolled back, but the group's transaction still holds its earlier commands' rows and
    /// snapshot, so ``CommandGroup`` runs it again in a new transaction.
    ///
    /// - Throws: `ContractViolation` for bad input, `AllocationError` for a business refusal, `DatabaseError`,
    ///   or `ConcurrentUpdate` (or the conflict's `DatabaseError`) when the attempts ran out.
    @discardableResult
    public func handle(_ command: Command) throws -> Outcome {
        let command = command.normalized
        try Validation.check(command)
        let started = monotonicNow()
        let conflictSeconds = Double(database.busyTimeoutMilliseconds) / 1000
        let sideBySide = database.features.writersRunSideBySide
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try run(command)
            } catch let error as DatabaseError where error.kind == .conflict && database.isGrouped {
                throw error
            } catch let error
                where MessageBus.mayRunAgain(
                    after: error, attempt: attempt, waited: monotonicNow() - started, conflictSeconds: conflictSeconds,
                    sideBySide: sideBySide)
            {
                MessageBus.pauseBeforeRetry(attempt: attempt)
            }
        }
    }

    /// How many times a command runs at most when concurrent transactions keep refusing it.
    static let attempts = 10
    /// How many times a command whose contract or constraint failed on a server runs at most.
    static let contractAttempts = 3
    /// How many times a command a server keeps refusing for conflicts runs at most, within the busy timeout.
    static let conflictAttempts = 100

    /// Whether a command that failed with `error` on its `attempt`-th run, `waited` seconds after it started, runs
    /// again: a stale read (``ConcurrentUpdate``) up to ``attempts`` times; a server's conflict (serialization
    /// failure or deadlock, SQLSTATE 40001 or 40P01, all of the transaction rolled back) at least that often and
    /// then as long as the busy timeout has not passed, up to ``conflictAttempts``.
    ///
    /// At `repeatable read` or `serializable`, a command that waited for the product row another one held is
    /// refused once it gets the row, since its snapshot is older than that commit; on a busy SKU it can lose
    /// several times in a row, and the busy timeout is how long an operator agreed to wait.
    ///
    /// With transactions running `sideBySide` (a server), a broken contract of the rules or a constraint the
    /// schema refused (a CHECK, a foreign key) also runs again, up to ``contractAttempts`` times: every command
    /// reads what it decides on after it holds its product row, so it should not happen, but should a concurrent
    /// change still cause one, it is not reported as the operator's bad input; one that a fresh read repeats is.
    static func mayRunAgain(
        after error: any Error, attempt: Int, waited: Double, conflictSeconds: Double, sideBySide: Bool = false
    ) -> Bool {
        switch error {
        case is ConcurrentUpdate:
            attempt < attempts
        case is ContractViolation:
            sideBySide && attempt < contractAttempts
        case let database as DatabaseError where database.kind == .constraintViolation:
            sideBySide && attempt < contractAttempts
        case let database as DatabaseError where database.kind == .conflict:
            attempt < attempts || (attempt < conflictAttempts && waited < conflictSeconds)
        default:
            false
        }
    }

    /// Sleeps a random time, growing with the attempt (up to 1, 2, 4 … ms, at most 50), so transactions that
    /// conflicted once do not meet again at once.
    public static func pauseBeforeRetry(attempt: Int) {
        let ceiling = min(50_000, 1000 << min(attempt - 1, 6))
        usleep(UInt32.random(in: 0...UInt32(ceiling)))
    }

    private func run(_ command: Command) throws -> Outcome {
        try database.transaction { db in
            let at = clock.timestamp()
            let context = Services.Context(
                now: at, today: clock.today, autoAllocate: autoAllocate, splitLines: splitLines)
            let (outcome, events) = try Services.route(command, context: context, in: db)
            for event in events {
                try db.execute(
                    MessageBus.insertEventSQL, at, event.kind.rawValue, event.payload, self.operator, event.orderid,
                    event.batchReference)
            }
            db.afterCommit { [self] in
                for event in events { dispatch(event) }
            }
            return outcome
        }
    }

    private static let insertEventSQL = SQL(
        "INSERT INTO events (at, kind, payload, operator, orderid, ref) VALUES (?, ?, ?, ?, ?, ?)")

    private func dispatch(_ event: Event) {
        for handler in handlers[event.kind] ?? [] {
            do {
                try handler.handle(event)
            } catch {
                log(handlerFailure(handler.name, event, error))
            }
        }
    }
}

/// How `log` names an event handler's failure.
private func handlerFailure(_ name: String, _ event: Event, _ error: any Error) -> String {
    "event handler \"\(name)\" failed on \(event.kind.rawValue): \(error)"
}

extension Services {
    /// The one handler of each command; the switch is exhaustive, so a new command cannot go unhandled.
    static func route(_ command: Command, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        switch command {
        case .createBatch(let c): try createBatch(c, context: context, in: db)
        case .allocate(let c): try allocate(c, context: context, in: db)
        case .changeBatchQuantity(let c): try changeBatchQuantity(c, context: context, in: db)
        case .deallocate(let c): try deallocate(c, context: context, in: db)
        case .receiveBatch(let c): try receiveBatch(c, context: context, in: db)
        case .changeBatchEta(let c): try changeBatchEta(c, context: context, in: db)
        case .ship(let c): try ship(c, context: context, in: db)
        case .moveLine(let c): try moveLine(c, context: context, in: db)
        case .allocateWaiting(let c): try allocateWaiting(c, context: context, in: db)
        case .cancelOrder(let c): try cancelOrder(c, context: context, in: db)
        case .changeLine(let c): try changeLine(c, context: context, in: db)
        case .unreceiveBatch(let c): try unreceiveBatch(c, context: context, in: db)
        case .voidBatch(let c): try voidBatch(c, context: context, in: db)
        case .replan(let c): try replan(c, context: context, in: db)
        }
    }
}
