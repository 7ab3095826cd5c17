import Allocation
import Foundation

/// The operator console and the read-only monitor: the one loop that reads keys, calls the bus, re-queries the
/// visible rows and draws.
///
/// Live refresh is timed input: a key read that times out after the settings' refresh interval is a tick, and
/// a tick asks the database whether another connection committed (``Database/changedSinceLastCheck()``), and
/// only then are the visible rows queried again. Our own commands re-query explicitly, since our own commits do
/// not count as changes.
///
/// ```swift
/// let app = ConsoleApp(database: db, settings: settings, readOnly: false, databaseLabel: "stock.sqlite")
/// let bus = MessageBus.standard(database: db, settings: settings) { app.log($0) }
/// let end = try app.run(bus: bus)   // .quit, .frames or .signal(SIGTERM)
/// ```
public final class ConsoleApp {
    /// How a run of the console ended.
    public enum End: Equatable, Sendable {
        /// The operator pressed `q`.
        case quit
        /// It drew the `maxFrames` it was asked for (scripted runs).
        case frames
        /// A stop signal arrived (SIGINT, SIGTERM, SIGHUP or SIGQUIT).
        case signal(Int32)
    }

    /// Opens a new session after a lost server connection: the database, and the operator's bus over it
    /// (nil in the monitor) logging through the function given.
    public typealias Reconnection = (@escaping (String) -> Void) throws -> (Database, MessageBus?)

    private var state: ConsoleState
    /// The connection; the monitor swaps it for a new one when its file comes back (``reopenLostFile()``).
    private var database: Database
    /// How the monitor opens the database again after its file was removed or replaced; nil in the operator
    /// console, which refuses commands until it is quit and reopened.
    private let reopen: (() throws -> Database)?
    private let settings: Settings
    private let maxFrames: Int?
    /// Whether each refresh tick is counted in the top-right corner (`tick N`), for tests to wait on.
    private let countTicks: Bool
    /// Refresh ticks since ``run(bus:)`` began, when ``countTicks``.
    private var ticks = 0
    private var databaseTrouble = false
    /// Whether the database path still names the file opened.
    private var watch: FileWatch?
    /// Set once the database path no longer names the opened file: what the status line says and every command
    /// is refused with; for good in the operator console, until the monitor reopens the path.
    private var fileLost: String?
    /// The terminal while ``run(bus:)`` runs: what the waiting hook draws on and reads keys from.
    private var terminal: Terminal?
    /// Messages the core logged during the command being carried out.
    private var logged: [String] = []
    /// The operator's bus while ``run(bus:)`` runs; replaced, over the new session, after a reconnection.
    public private(set) var bus: MessageBus?
    /// How a console on a server opens a new session (and, in the operator console, a bus over it logging
    /// through the function it is given) once its connection was lost; nil on a SQLite file.
    private let reconnect: Reconnection?
    /// Set while the server connection is lost: the message the status line keeps showing until a reconnection.
    private var connectionLost: String?
    /// When the last reconnection was tried, so a server that is down is not asked more than once a second.
    private var lastReconnection = 0.0

    /// Prepares the console over an open database; nothing touches the terminal until ``run(bus:)``.
    ///
    /// - Parameters:
    ///   - readOnly: the monitor: board and event log, and every mutating key refused.
    ///   - databaseLabel: how the status line names the database.
    ///   - maxFrames: end after drawing this many frames (for scripted runs), nil to run until `q`.
    ///   - countTicks: show the number of refresh ticks so far in the top-right corner and draw a frame on each,
    ///     so that a test can wait for the console to have refreshed instead of sleeping.
    ///   - reopen: how the monitor opens the database path again once its file was removed or replaced; each
    ///     tick while the file is lost tries it, quietly, until it gives a database of the current schema.
    ///   - reconnect: on a server, how a new session (with the operator's bus over it, logging through the
    ///     function given, nil in the monitor) is opened once the connection was lost; tried about once a second
    ///     until it succeeds.
    public init(
        database: Database, settings: Settings, readOnly: Bool, databaseLabel: String,
        maxFrames: Int? = nil, countTicks: Bool = false, reopen: (() throws -> Database)? = nil,
        reconnect: Reconnection? = nil
    ) {
        self.database = database
        self.reopen = reopen
        self.reconnect = reconnect
        self.settings = settings
        self.maxFrames = maxFrames
        self.countTicks = countTicks
        let today = settings.clock.today
        state =
            readOnly
            ? .monitor(database: databaseLabel, today: today)
            : .operatorConsole(database: databaseLabel, today: today)
        state.zone = settings.zone
    }

    /// Fails with ``ConsoleError/notATerminal`` when standard input or output is not a terminal.
    public static func requireTerminal() throws {
        try Terminal.requireTerminal()
    }

    /// Shows a message from the core (e.g. a failed notification) in the status line, never on stderr; it stays
    /// in the messages overlay (`M`).
    public func log(_ message: String) {
        logged.append(message)
        state.status.say(message, style: .error)
    }

    /// Runs until `q`, a stop signal or `maxFrames`; the terminal is restored on every way out.
    ///
    /// - Parameter bus: the bus for the operator's commands; nil in the monitor.
    /// - Returns: how it ended; a front end maps that to its exit status.
    /// - Throws: ``ConsoleError`` when the terminal cannot be used.
    public func run(bus: MessageBus?) throws -> End {
        self.bus = bus
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let terminal = try Terminal(colors: settings.colors && !noColor)
        self.terminal = terminal
        defer {
            self.terminal = nil
            terminal.close()
        }
        state.glyphs = terminal.utf8 ? .unicode : .ascii
        resize(terminal)
        // A server has no file to watch: a lost connection is what a lost file is to SQLite.
        watch = database.engine == .sqlite ? FileWatch(path: database.path) : nil
        _ = try? database.changedSinceLastCheck()
        reload(all: true, follow: false)
        var frames = 0
        var dirty = true
        while true {
            if Signals.received != 0 { return .signal(Signals.received) }
            if let bus = self.bus { dirty = collectNotificationFailures(bus) || dirty }
            // Keys already waiting (a paste, a scanner) are all handled before the next frame, so input is never
            // held up by drawing a frame per key.
            let waiting = dirty ? terminal.readKey(timeout: 0) : nil
            if dirty, waiting == nil {
                draw(on: terminal)
                frames += 1
                dirty = false
                if let maxFrames, frames >= maxFrames { return .frames }
            }
            guard let key = waiting ?? terminal.readKey(timeout: settings.refreshMilliseconds) else {
                dirty = tick() || dirty
                continue
            }
            if key == .resize {
                dirty = true
                resize(terminal)
                reload(all: true, follow: true)
                continue
            }
            let reaction = state.handle(key)
            followPause()
            switch reaction {
            case .none:
                break
            case .redraw, .openForm, .openHistory, .preview, .closeOverlay, .typed, .message:
                // `state.handle` has already carried out all but the first: they change only what is shown (and
                // it turns the history and preview into reloads).
                dirty = true
            case .reload(let all):
                dirty = true
                reload(all: all, follow: false)
            case .send(let command):
                dirty = true
                perform(command)
            case .quit:
                return .quit
            }
        }
    }

    private func draw(on terminal: Terminal) {
        var canvas = Canvas(width: state.width, height: state.height, glyphs: state.glyphs)
        state.render(into: &canvas)
        if countTicks {
            let label = "tick \(ticks)"
            _ = canvas.put(label, x: max(0, state.width - label.count), y: 0)
        }
        terminal.draw(canvas)
    }

    /// Shows the notification failures the bus collected in the background; true when there were some.
    private func collectNotificationFailures(_ bus: MessageBus) -> Bool {
        let before = logged.count
        bus.reportNotificationFailures()
        return logged.count > before
    }

    private func resize(_ terminal: Terminal) {
        let size = terminal.size
        state.resize(width: size.width, height: size.height)
    }

    /// A refresh tick: expire a flashed message, check the database file is still there, and re-query when
    /// another connection committed.
    private func tick() -> Bool {
        if countTicks { ticks += 1 }
        var changed = state.status.expire(now: Clock.system.now()) || countTicks
        changed = checkFile() || changed
        if reopenLostFile() || reconnectLostServer() { return true }
        guard !state.paused else { return changed }
        do {
            if try database.changedSinceLastCheck() || databaseTrouble {
                reload(all: true, follow: true)
                changed = true
            }
        } catch {
            changed = complain(error) || changed
        }
        return changed
    }

    /// Queries the visible rows again and, when `all` (the data changed), the status line's counts; the tabs not
    /// shown are then queried when they are shown (``ConsoleState/reload(from:all:follow:)``).
    ///
    /// - Parameter flash: flash the out-of-stock events found since the last look; false after our own command,
    ///   whose outcome the status line already says.
    private func reload(all: Bool, follow: Bool, flash: Bool = true) {
        state.today = settings.clock.today
        state.now = settings.clock.now()
        do {
            try state.reload(from: database, all: all, follow: follow)
            if all { try refreshStatus(flash: flash) }
            if databaseTrouble {
                databaseTrouble = false
                state.status.say("database readable again", style: .ok)
            }
        } catch {
            _ = complain(error)
        }
    }

    /// Refreshes the status line's counts and flashes the out-of-stock events committed since the last look, read
    /// through an ``EventFollower`` so that on a server one committed after a higher id is not missed; after a
    /// burst of more than a page of events, the rest are skipped (``ConsoleState/refreshStatus(from:)``).
    private func refreshStatus(flash: Bool) throws {
        let fresh = try state.refreshStatus(from: database)
        guard flash else { return }
        for row in fresh {
            if case .outOfStock(let sku, _, _) = row.event {
                state.status.say("OUT OF STOCK: \(sku)", style: .alert, until: Clock.system.now() + 5)
            }
        }
    }

    /// Shows a database problem in the status line and keeps running; true when the message is new. A lost
    /// server connection is remembered, so the next ticks reconnect.
    private func complain(_ error: any Error) -> Bool {
        let message = noticeLostConnection(error)
        let isNew = !databaseTrouble || state.status.message != message
        databaseTrouble = true
        state.status.say(message, style: .error)
        return isNew
    }

    /// Notices the database file removed or replaced under the console (``FileWatch``) and keeps saying so in
    /// the status line; true when the status line changed.
    private func checkFile() -> Bool {
        guard let watch else { return false }
        if fileLost == nil, !watch.isIntact {
            let lost = FileWatch.lostMessage(name: state.status.databaseLabel)
            fileLost = lost + (reopen == nil ? "; quit and reopen" : "; reopening it when it is back")
        }
        guard let fileLost, state.status.message != fileLost else { return false }
        state.status.say(fileLost, style: .error)
        return true
    }

    /// The monitor, while its file is lost: opens the path again, and when that gives a stock database of the
    /// current schema, swaps the connections and reloads everything; true when it did.
    private func reopenLostFile() -> Bool {
        guard fileLost != nil, let reopen, let identity = FileIdentity(path: database.path),
            let fresh = try? reopen(), FileIdentity(path: fresh.path) == identity
        else { return false }
        if database.isInReadSnapshot { try? database.endReadSnapshot() }
        watch = FileWatch(path: fresh.path)
        fileLost = nil
        // Another file's event ids say nothing of this one's.
        state.forgetEvents()
        adopt(fresh, saying: FileWatch.lostMessage(name: state.status.databaseLabel) + "; reopened it", style: .alert)
        return true
    }

    /// Goes on over a new connection to the same database: reloads every screen from it, holds the pause's
    /// snapshot on it, and says `message`.
    private func adopt(_ fresh: Database, saying message: String, style: Style) {
        database = fresh
        databaseTrouble = false
        _ = try? database.changedSinceLastCheck()
        reload(all: true, follow: true)
        followPause()
        state.status.say(message, style: style)
    }

    /// The operator's words for `error`; when it is a lost server connection, remembers it (``connectionLost``)
    /// and says the console is reconnecting.
    private func noticeLostConnection(_ error: any Error) -> String {
        let message = operatorMessage(for: error)
        guard let failure = error as? DatabaseError, failure.lostConnection, reconnect != nil else {
            return message
        }
        connectionLost = message + "; reconnecting"
        return message + "; reconnecting"
    }

    /// A console whose server connection was lost: opens a new session (at most once a second), swaps it and
    /// the bus in, and reloads everything; true when it did. Events committed meanwhile are flashed as usual.
    private func reconnectLostServer(atOnce: Bool = false) -> Bool {
        let now = monotonicNow()
        guard connectionLost != nil, let reconnect, atOnce || now - lastReconnection >= 1 else { return false }
        lastReconnection = now
        guard let (fresh, freshBus) = try? reconnect({ [unowned self] in log($0) }) else { return false }
        if let old = bus {
            // Notifications the old bus still sends are delivered before it goes.
            old.notifications.waitForPending()
            for failure in old.notifications.takeFailures() { log(failure) }
        }
        bus = freshBus ?? bus
        connectionLost = nil
        adopt(fresh, saying: "reconnected to the database server", style: .ok)
        return true
    }

    /// Called while a command waits for another process's write lock: says so with the seconds waited, keeps
    /// the frame drawn (and resized), and reads the keys: Esc gives up (the command is refused, nothing changed);
    /// other keys are dropped, since they would act on a screen the command's outcome is about to change.
    ///
    /// - Returns: false to give up.
    private func whileWaiting(_ seconds: Double) -> Bool {
        guard let terminal, Signals.received == 0 else { return Signals.received == 0 }
        var giveUp = false
        while let key = terminal.readKey(timeout: 0) {
            switch key {
            case .resize: resize(terminal)
            case .escape: giveUp = true
            default: break
            }
        }
        guard !giveUp else { return false }
        let waited = String(format: "%.1f", seconds)
        state.status.say("waiting for the database… \(waited) s (Esc gives up)", style: .alert, remember: false)
        draw(on: terminal)
        return true
    }

    /// Holds a read snapshot while the operator has paused, so paging and moving show the frozen data.
    private func followPause() {
        guard state.paused != database.isInReadSnapshot else { return }
        do {
            if state.paused {
                try database.beginReadSnapshot()
            } else {
                try database.endReadSnapshot()
            }
        } catch {
            state.paused = database.isInReadSnapshot
            _ = complain(error)
        }
    }

    private func perform(_ command: Command) {
        guard self.bus != nil else {
            state.commandRefused("read-only monitor")
            return
        }
        _ = checkFile()
        if let fileLost {
            // Writing to a file nobody can open again would lose the command after acknowledging it.
            state.commandRefused(fileLost)
            return
        }
        // A command is worth a reconnection attempt at once.
        _ = reconnectLostServer(atOnce: true)
        if let connectionLost {
            state.commandRefused(connectionLost)
            return
        }
        guard let bus = self.bus else { return }
        if state.paused {
            state.paused = false
            followPause()
        }
        logged = []
        database.whileWaiting = { [unowned self] in whileWaiting($0) }
        defer {
            database.whileWaiting = nil
            if !logged.isEmpty {
                // The core's trouble first: the outcome after it may be cut at the status line's end.
                let said = state.status.message.map { [$0] } ?? []
                state.status.say((logged + said).joined(separator: "; "), style: .error)
            }
        }
        do {
            let outcome = try bus.handle(command)
            if case .batchCreated(let reference, _, _, _, _) = outcome { state.select(batch: reference) }
            state.commandDone(
                ConsoleApp.describe(outcome, of: command), style: outcome.leftLinesWaiting ? .alert : .ok)
        } catch AllocationError.changedMeanwhile(let sku, _, _) {
            if case .changeBatchQuantity(let change) = command {
                state.previewOutdated(change, sku: sku)
            }
        } catch {
            state.commandRefused(noticeLostConnection(error))
        }
        reload(all: true, follow: true, flash: false)
    }

    /// The status line's words for what a command did, e.g. `waiting: o-1 TV x8 (out of stock)`.
    static func describe(_ outcome: Outcome, of command: Command) -> String {
        func line(_ orderid: String, _ sku: String, _ qty: Int) -> String { "\(orderid) \(sku) x\(qty)" }
        func filled(_ placements: [LineOnBatch]) -> String {
            placements.isEmpty
                ? ""
                : "; filled "
                    + placements.map { "\(line($0.orderid, $0.sku, $0.qty)) to \($0.batchref)" }
                    .joined(separator: ", ")
        }
        func moved(_ moves: [Move]) -> String {
            moves.isEmpty
                ? ""
                : "; moved "
                    + moves.map { move in
                        line(move.orderid, move.sku, move.qty) + " " + (move.to.map { "to \($0)" } ?? "to waiting")
                    }.joined(separator: ", ")
        }
        switch outcome {
        case .allocated(let batch, true):
            guard case .allocate(let c) = command else { return "already allocated to \(batch); nothing changed" }
            return "\(c.orderid) \(c.sku) was already allocated to \(batch); nothing changed"
        case .allocated(let batch, false):
            guard case .allocate(let c) = command else { return "allocated to \(batch)" }
            return "allocated \(line(c.orderid, c.sku, c.qty)) to \(batch)"
        case .waiting(let orderid, let sku, let qty, let isNew):
            return "waiting: \(line(orderid, sku, qty)) (out of stock)" + (isNew ? "" : "; nothing changed")
        case .batchCreated(let reference, _, _, _, true):
            return "batch \(reference) was already there; nothing changed"
        case .batchCreated(let reference, let sku, let skuIsNew, let placements, false):
            return "batch \(reference) created" + (skuIsNew ? " (new SKU \(sku))" : "") + filled(placements)
        case .quantityChanged(let reference, _, _, false):
            return "\(reference) already had that quantity; nothing changed"
        case .quantityChanged(let reference, let moves, let placements, true):
            return "\(reference) quantity changed" + moved(moves) + filled(placements)
        case .deallocated(let batch, let placements):
            guard case .deallocate(let c) = command else { return "deallocated from \(batch)" + filled(placements) }
            return "deallocated \(c.orderid) \(c.sku) from \(batch)" + filled(placements)
        case .cancelled(let orderid, let sku, let qty):
            return "cancelled waiting line \(line(orderid, sku, qty))"
        case .received(let reference, let qty, let moves, let placements):
            return "received \(reference) (\(qty)) into the warehouse" + moved(moves) + filled(placements)
        case .etaChanged(let reference, let eta, let changed):
            return changed ? "\(reference) now due \(eta)" : "\(reference) was already due \(eta); nothing changed"
        case .shipped(let lines):
            return "shipped "
                + lines.map { "\(line($0.orderid, $0.sku, $0.qty)) from \($0.batchref)" }
                .joined(separator: ", ")
        case .moved(let orderid, let sku, let from, let to, let placements):
            return "moved \(orderid) \(sku) " + (from.map { "from \($0) " } ?? "from waiting ") + "to \(to)"
                + filled(placements)
        case .allocatedWaiting(let placements):
            guard !placements.isEmpty else { return "no waiting line fits a batch; nothing changed" }
            return "allocated \(placements.count) waiting "
                + (placements.count == 1 ? "line: " : "lines: ")
                + placements.map { "\(line($0.orderid, $0.sku, $0.qty)) to \($0.batchref)" }.joined(separator: ", ")
        }
    }
}
