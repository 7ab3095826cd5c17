import Allocation
import Console
import Foundation

extension Subcommand {
    private static let maxFrames = Option.valued("--max-frames", "N", "draw N frames, then exit")

    /// What runs with no subcommand: the operator console.
    static let console = Subcommand(
        name: "", options: [maxFrames], abstract: "opens the operator console",
        details: "Opens the operator console on the database."
    ) { try $0.openConsole(readOnly: false) }

    static let monitor = Subcommand(
        name: "monitor", options: [maxFrames], abstract: "the read-only monitoring screen",
        details: """
            Opens the read-only monitoring screen: the batches board and the event log, refreshed live.
            The database is opened read-only, so nothing can be changed from it.
            """
    ) { try $0.openConsole(readOnly: true) }

    static let demo = Subcommand(
        name: "demo",
        options: [.flag("--reset", "delete the demo database and make it afresh"), maxFrames],
        abstract: "the console on the demo database (made on first use)",
        details: """
            Opens the operator console on the demo database ($XDG_DATA_HOME/stock/demo.sqlite, or --db),
            creating it and loading assets/demo/demo.jsonl the first time.
            """
    ) { try $0.openDemo() }
}

extension Tool {
    /// Opens the operator console, or the read-only monitor, on the database.
    ///
    /// - Throws: `ConsoleError` when not on a terminal (checked before anything else), `DatabaseError` naming
    ///   `stock init` when the database is missing, `UsageError` for a bad `--max-frames`.
    func openConsole(readOnly: Bool) throws -> ExitStatus {
        var maxFrames: Int?
        if let text = arguments.options["--max-frames"] {
            guard let frames = Int(text), frames > 0 else {
                throw UsageError(
                    message: "--max-frames must be a whole number of 1 or more, got \(Validation.shown(text))")
            }
            maxFrames = frames
        }
        try ConsoleApp.requireTerminal()
        let database = try openDatabase(access: readOnly ? .readOnly : .readWrite)
        // The monitor reopens its file by itself once a stock database is there again; the operator console
        // refuses commands until it is quit and reopened, so no command lands in a database the operator did not
        // choose to look at. On a server, either screen opens a new session by itself after its connection was
        // lost: the URL still names the database the operator chose.
        let settings = settings
        let access: Database.Access = readOnly ? .readOnly : .readWrite
        let reconnect: ConsoleApp.Reconnection = { log in
            let fresh = try Database.open(settings: settings, access: access)
            return (fresh, readOnly ? nil : MessageBus.standard(database: fresh, settings: settings, log: log))
        }
        let app = ConsoleApp(
            database: database, settings: settings, readOnly: readOnly,
            databaseLabel: settings.databaseLabel(environment: environment), maxFrames: maxFrames,
            countTicks: !(environment["STOCK_TEST_TICKS"] ?? "").isEmpty,
            reopen: readOnly ? { try Database.open(settings: settings, access: access) } : nil,
            reconnect: settings.databaseLocation.features.lossDetection == .reconnect ? reconnect : nil)
        let bus = readOnly ? nil : MessageBus.standard(database: database, settings: settings) { app.log($0) }
        let status = ExitStatus(for: try app.run(bus: bus))
        // Notifications still being sent are delivered before the process ends; the screen is gone, so their
        // failures go to standard error.
        app.bus?.notifications.waitForPending()
        for failure in app.bus?.notifications.takeFailures() ?? [] { printError(failure) }
        return status
    }

    /// `stock demo`: the console on the demo database, made and filled on first use.
    ///
    /// `--reset` deletes and remakes only the demo database at its own path, never a file named by `--db`; the
    /// terminal is checked before anything is touched.
    func openDemo() throws -> ExitStatus {
        try ConsoleApp.requireTerminal()
        var demo = self
        let demoPath = URL(fileURLWithPath: Settings.defaultDatabasePath(environment: environment))
            .deletingLastPathComponent().appendingPathComponent("demo.sqlite").path
        if arguments.options["--db"] == nil { demo.settings.database = demoPath }
        let path = demo.databasePath
        if arguments.flags.contains("--reset") {
            guard path == demoPath else {
                throw UsageError(
                    message: "--reset only remakes the demo database at \(demoPath); it never deletes \(path)")
            }
            for suffix in [""] + (demo.settings.databaseLocation.features.sideFileSuffixes ?? []) {
                try? FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        // A server schema is there once made, so it is filled while it has no batch, as a missing file is.
        let isNew =
            if let file = demo.settings.databaseLocation.filePath {
                !FileManager.default.fileExists(atPath: file)
            } else {
                try Views.batchCount(in: demo.openDatabase(access: .create)) == 0
            }
        if isNew {
            _ = try demo.createDemoDatabase()
        }
        return try demo.openConsole(readOnly: false)
    }
}

extension ConsoleError: TerminalProblem {}

extension ExitStatus {
    /// The status for the console's end: 0 after `q` or the frames asked for, 128 + the signal after a stop
    /// signal, as a shell reports a process a signal ended.
    init(for end: ConsoleApp.End) {
        switch end {
        case .quit, .frames: self = .done
        case .signal(let signal): self.init(rawValue: 128 + signal)
        }
    }
}
