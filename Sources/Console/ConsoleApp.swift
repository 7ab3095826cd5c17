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

    var state: ConsoleState
    /// The connection; the monitor swaps it for a new one when its file comes back (``reopenLostFile()``).
    var database: Database
    /// How the monitor opens the database again after its file was removed or replaced; nil in the operator
    /// console, which refuses commands until it is quit and reopened.
    let reopen: (() throws -> Database)?
    let settings: Settings
    private let maxFrames: Int?
    /// Whether each refresh tick is counted in the top-right corner (`tick N`), for tests to wait on.
    private let countTicks: Bool
    /// Refresh ticks since ``run(bus:)`` began, when ``countTicks``.
    private var ticks = 0
    var databaseTrouble = false
    /// Whether the database path still names the file opened.
    var watch: FileWatch?
    /// Set once the database path no longer names the opened file: what the status line says and every command
    /// is refused with; for good in the operator console, until the monitor reopens the path.
    var fileLost: String?
    /// The terminal while ``run(bus:)`` runs: what the waiting hook draws on and reads keys from.
    var terminal: Terminal?
    /// Messages the core logged during the command being carried out.
    var logged: [String] = []
    /// The operator's bus while ``run(bus:)`` runs; replaced, over the new session, after a reconnection.
    public internal(set) var bus: MessageBus?
    /// How a console on a server opens a new session (and, in the operator console, a bus over it logging
    /// through the function it is given) once its connection was lost; nil on a SQLite file.
    let reconnect: Reconnection?
    /// Set while the server connection is lost: the message the status line keeps showing until a reconnection.
    var connectionLost: String?
    /// When the last reconnection was tried, so a server that is down is not asked more than once a second.
    var lastReconnection = 0.0
    /// When a standby's replication was last looked at (``checkReplica()``), and what it warned of.
    var lastReplicaCheck = -Double.infinity
    var replicaWarning: String?
    /// When the data shown was last read, by the settings' clock: the time the stale marker names.
    var lastFresh: Double?
    /// Keys typed in the filter prompt asked for a query, made once the keys already waiting are handled: a paste
    /// or fast typing costs one query, not one a key.
    private var filterQueryPending = false

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
        state.splitLines = settings.splitLines
        labelDatabase()
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
        let terminal = try Terminal(colors: settings.colors)
        self.terminal = terminal
        defer {
            self.terminal = nil
            terminal.close()
        }
        state.glyphs = terminal.utf8 ? .unicode : .ascii
        resize(terminal)
        // A server has no file to watch: a lost connection is what a lost file is to SQLite.
        watch = FileWatch.watching(database)
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
            if dirty, waiting == nil, filterQueryPending {
                filterQueryPending = false
                reload(all: false, follow: false)
            }
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
            switch take(key) {
            case .none: break
            case .quit: return .quit
            default: dirty = true
            }
        }
    }

    /// Carries out a key as the loop does: the state takes it, then the database is queried or the command sent
    /// as its answer asks. Returns the answer, for the loop to draw or quit.
    @discardableResult
    func take(_ key: Key) -> Reaction {
        let reaction = state.handle(key)
        followPause()
        switch reaction {
        case .reload(let all):
            if case .filter = state.overlay, terminal != nil {
                filterQueryPending = true
            } else {
                reload(all: all, follow: false)
            }
        case .send(let command):
            perform(command)
        case .none, .redraw, .openForm, .openHistory, .openProjection, .preview, .closeOverlay, .openFilter, .typed,
            .message, .quit:
            // `state.handle` has already carried out the ones that change only what is shown (and turned the
            // history and preview into reloads).
            break
        }
        return reaction
    }

    func draw(on terminal: Terminal) {
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

    func resize(_ terminal: Terminal) {
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
        changed = checkReplica() || changed
        guard !state.paused else { return changed }
        do {
            if try database.changedSinceLastCheck() || databaseTrouble {
                reload(all: true, follow: true)
                changed = true
            } else if state.formAwaitsPlacement {
                reload(all: false, follow: false)
                changed = true
            } else if state.alerts?.isHoldingBack == true {
                try refreshStatus(flash: true)
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
    func reload(all: Bool, follow: Bool, flash: Bool = true) {
        state.today = settings.clock.today
        state.now = settings.clock.now()
        do {
            try state.reload(from: database, all: all, follow: follow)
            if all { try refreshStatus(flash: flash) }
            noteFresh()
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

    /// Holds a read snapshot while the operator has paused, so paging and moving show the frozen data.
    func followPause() {
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
}
