import Allocation
import Console
import Foundation

extension Tool {
    /// Opens the operator console, or the read-only monitor, on the database.
    ///
    /// - Throws: `ConsoleError` when not on a terminal (checked before anything else), `DatabaseError` naming
    ///   `stock init` when the database is missing, `UsageError` for a bad `--max-frames`.
    func openConsole(readOnly: Bool) throws -> Int32 {
        var maxFrames: Int?
        if let text = arguments.options["--max-frames"] {
            guard let frames = Int(text), frames > 0 else {
                throw UsageError(message: "--max-frames must be a whole number of 1 or more, got \(text)")
            }
            maxFrames = frames
        }
        try ConsoleApp.requireTerminal()
        let database = try openDatabase(access: readOnly ? .readOnly : .readWrite)
        let app = ConsoleApp(
            database: database, settings: settings, readOnly: readOnly,
            databaseLabel: URL(fileURLWithPath: databasePath).lastPathComponent, maxFrames: maxFrames)
        let bus = readOnly ? nil : MessageBus.standard(database: database, settings: settings) { app.log($0) }
        return try app.run(bus: bus)
    }
}
