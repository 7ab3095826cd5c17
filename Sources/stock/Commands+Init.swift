import Allocation
import Foundation

extension Subcommand {
    static let initialize = Subcommand(
        name: "init",
        options: [
            .flag("--demo", "fill a new, empty database with the demo data set (ETAs relative to today)")
        ],
        abstract: "create the database, or bring its schema up to date",
        details: """
            Creates the database file and its schema, or brings an older file's schema up to date.
            The demo data set is demo/demo.jsonl in the assets folder: $STOCK_ASSETS, else the checkout's
            assets/ when run from its .build folder, else ../share/stock/assets beside the executable's folder
            (PREFIX/share/stock/assets for PREFIX/bin/stock, where stock install puts it). A failed init leaves no
            file or folder it made. A database inside the assets folder is refused: an upgrade replaces it whole.
            """
    ) { try $0.initialize() }
}

extension Tool {
    /// `stock init [--demo]`; a failed one leaves no file or folder it made (``NewDatabaseFiles``).
    func initialize() throws -> ExitStatus {
        guard arguments.flags.contains("--demo") else {
            let (schemaVersion, filled) = try createDatabase { database in
                (try database.schemaVersion, try fillWaitingLines(in: database))
            }
            printError("database ready at \(settings.shownDatabase) (schema version \(schemaVersion))")
            for line in filled { _ = printOut(TerminalText.sanitized(line)) }
            return .done
        }
        let count = try createDemoDatabase()
        printError("database ready at \(settings.shownDatabase) with the demo data set (\(count) commands)")
        return .done
    }

    /// With `autoAllocate` on, gives the stock there is to the waiting lines the placement policy can now place
    /// (an older database's lines that no single batch could take), oldest first, each with its events.
    ///
    /// - Returns: the lines filled, as `allocate-waiting` prints them.
    private func fillWaitingLines(in database: Database) throws -> [String] {
        guard settings.autoAllocate, try !Views.backorders(limit: 1, in: database).isEmpty else { return [] }
        let bus = MessageBus.standard(database: database, settings: settings) { printError($0) }
        let command = Command.allocateWaiting(AllocateWaiting(sku: nil))
        let outcome = try bus.handle(command)
        bus.finishNotifications()
        return outcome.changed ? outcome.lines(for: command) : []
    }

    /// Creates the database (or brings its schema up to date) and fills it with the demo data set.
    ///
    /// The demo file is found, read and every line decoded before the database is touched, so a missing or
    /// malformed one leaves nothing behind.
    ///
    /// - Returns: the number of commands run.
    func createDemoDatabase() throws -> Int {
        let (path, commands) = try demoCommands()
        return try createDatabase { database in
            guard try Views.batchCount(in: database) == 0 else {
                throw UsageError(message: "\(database.path) already has batches; --demo fills only an empty database")
            }
            let bus = MessageBus(
                database: database, clock: settings.clock, autoAllocate: settings.autoAllocate,
                splitLines: settings.splitLines
            ) { printError($0) }
            for (number, command) in commands {
                do {
                    try bus.handle(command)
                } catch {
                    throw InputError(message: "\(path) line \(number): \(Tool.describe(error).1)")
                }
            }
            return commands.count
        }
    }

    /// Opens the database with `.create` and runs `body` on it; when either fails, removes what they made.
    private func createDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        let files = NewDatabaseFiles(settings.databaseLocation)
        do {
            // The connection is closed (when `body` returns or throws) before anything is removed.
            return try body(try openDatabase(access: .create))
        } catch {
            files?.removeCreated()
            throw error
        }
    }

    /// The shipped demo file (`demo/demo.jsonl` in the folder ``Assets`` finds) and its commands with their line
    /// numbers, with ETAs counted from the settings' today.
    private func demoCommands() throws -> (path: String, commands: [(number: Int, command: Command)]) {
        let path = try Assets.folder(environment: environment) + "/" + Assets.marker
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(message: "cannot read \(path)")
        }
        let today = settings.clock.today
        var commands: [(number: Int, command: Command)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            do {
                commands.append((index + 1, try Command(jsonLine: String(line), today: today)))
            } catch {
                throw InputError(message: "\(path) line \(index + 1): \(Tool.describe(error).1)")
            }
        }
        return (path, commands)
    }
}

/// The files and folders that opening a database with `.create` may make at `path`, as they were before: after a
/// failure, ``removeCreated()`` removes exactly those that did not exist.
///
/// The database's side files (``EngineFeatures/sideFileSuffixes``) are removed only with a database file that
/// did not exist: those of an existing database may be another process's.
struct NewDatabaseFiles {
    let path: String
    /// The files the database and its side files would be that did not exist; empty when the database existed.
    private let newFiles: [String]
    /// The folders above `path` that did not exist, deepest first.
    private let newFolders: [String]

    /// The files a failed `init` or `copy` at `location` would leave behind; nil where the engine keeps no files
    /// at the path (a server: a failed init there is one rolled-back transaction).
    init?(_ location: DatabaseLocation) {
        guard let path = location.filePath, let suffixes = location.features.sideFileSuffixes else { return nil }
        self.path = path
        func exists(_ file: String) -> Bool {
            var status = stat()
            return lstat(file, &status) == 0
        }
        newFiles = exists(path) ? [] : ([""] + suffixes).map { path + $0 }.filter { !exists($0) }
        var folders: [String] = []
        var folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        while folder.path != "/", !exists(folder.path) {
            folders.append(folder.path)
            folder.deleteLastPathComponent()
        }
        newFolders = folders
    }

    /// Removes the files and the (then empty) folders that did not exist before.
    func removeCreated() {
        for file in newFiles { unlink(file) }
        // rmdir removes only an empty folder: one where someone else put a file meanwhile stays.
        for folder in newFolders { rmdir(folder) }
    }
}
