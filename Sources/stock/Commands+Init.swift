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
            The demo data set is assets/demo/demo.jsonl.
            """
    ) { try $0.initialize() }
}

extension Tool {
    func initialize() throws -> ExitStatus {
        let database = try openDatabase(access: .create)
        guard arguments.flags.contains("--demo") else {
            printError("database ready at \(databasePath) (schema version \(Schema.currentVersion))")
            return .done
        }
        let count = try loadDemo(into: database)
        printError("database ready at \(databasePath) with the demo data set (\(count) commands)")
        return .done
    }

    /// Runs the shipped demo commands through the bus, with ETAs counted from the settings' today.
    ///
    /// - Returns: the number of commands run.
    func loadDemo(into database: Database) throws -> Int {
        guard try Views.batchCount(in: database) == 0 else {
            throw UsageError(message: "\(database.path) already has batches; --demo fills only an empty database")
        }
        guard let assets = Assets.folder(environment: environment) else {
            throw UsageError(message: "cannot find the assets folder with demo/demo.jsonl; set $STOCK_ASSETS")
        }
        let demoPath = assets + "/demo/demo.jsonl"
        guard let text = try? String(contentsOfFile: demoPath, encoding: .utf8) else {
            throw UsageError(message: "cannot read \(demoPath)")
        }
        let bus = MessageBus(database: database, clock: settings.clock) { printError($0) }
        let today = settings.clock.today
        var count = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            do {
                try bus.handle(try Command(jsonLine: String(line), today: today))
                count += 1
            } catch {
                throw InputError(message: "\(demoPath) line \(number + 1): \(Tool.describe(error).1)")
            }
        }
        return count
    }
}
