import Allocation
import Foundation

extension Subcommand {
    static let copy = Subcommand(
        name: "copy",
        options: [
            .valued("--from", "DB", "the database to copy (a SQLite file, or a postgresql:// URL or host=… string)"),
            .valued(
                "--to", "DB", "the new or empty database to copy into (a file, or a postgresql:// URL or host=… string)"
            ),
        ],
        abstract: "copy a whole database into a new or empty one, on either engine, and check the copy",
        details: """
            Copies every product, batch, order line (allocated, waiting and shipped), allocation and event, with
            their ids, times, operators and payloads, from the database --from names to the one --to names: a
            SQLite file or a postgresql:// URL each, so a warehouse moves from a file to a server or back. The
            one left out is the database --db (or $STOCK_DB, or the settings) names.
            --to is created, or its schema brought up to date, as stock init does, and must hold no stock data:
            one that does is refused, naming what it holds, and nothing is changed (exit 2).
            The source is read in one snapshot, whatever other processes commit meanwhile, page by page; the
            destination is written in one transaction, then compared with the source row by row before it
            commits, so a failed or mismatched copy leaves it as it was. While it runs, standard error shows a
            progress bar when it is a terminal. Prints
              copied 12 batches, 40 order lines, 31 allocations, 97 events from A to B; checked: identical
            Exit 0 when copied and identical, 2 for a destination holding data, 3 for a database error, a missing
            source or a copy the check found different (which is not kept). Passwords in URLs are never shown.
            """
    ) { try $0.copyDatabase() }
}

/// A copy that failed after its destination was opened: nothing of it was kept.
private struct CopyFailed: Error, CustomStringConvertible {
    let cause: DatabaseError
    let destination: String

    var description: String {
        "\(cause.description); nothing was copied into \(destination)"
    }
}

extension Tool {
    /// `stock copy --from A --to B`: see ``Subcommand/copy``.
    func copyDatabase() throws -> ExitStatus {
        var source = settings
        var destination = settings
        let (from, to) = (arguments.options["--from"], arguments.options["--to"])
        for (option, value) in [("--from", from), ("--to", to)] where value?.isEmpty == true {
            throw UsageError(message: "\(option) needs a path or a postgresql:// URL")
        }
        switch (from, to) {
        case (nil, nil):
            throw UsageError(
                message: "copy needs --from DB, --to DB or both (the one left out is --db or the default database)")
        case (.some, .some) where arguments.options["--db"] != nil:
            throw UsageError(message: "copy takes --db in place of --from or --to, not with both")
        default:
            source.database = from ?? databasePath
            destination.database = to ?? databasePath
        }
        guard !source.databaseLocation.isSameDatabase(as: destination.databaseLocation) else {
            throw UsageError(message: "--from and --to both name \(source.shownDatabase)")
        }
        let sourceDatabase = try DatabaseCopy.openSource(settings: source)
        try DatabaseCopy.requireNoStockData(settings: destination)
        let files = NewDatabaseFiles(destination.databaseLocation)
        let counts: DatabaseCopy.Counts
        var bar: ProgressBar?
        var barTried = false
        do {
            // The destination's connection is closed before anything is removed.
            counts = try DatabaseCopy.copy(
                from: sourceDatabase, to: Database.open(settings: destination, access: .create)
            ) { done, total in
                if !barTried {
                    barTried = true
                    bar = ProgressBar(label: "copy", total: total, environment: environment)
                }
                bar?.update(done: done)
            }
            bar?.erase()
        } catch {
            bar?.erase()
            files?.removeCreated()
            if let failure = error as? DatabaseError {
                throw CopyFailed(cause: failure, destination: destination.shownDatabase)
            }
            throw error
        }
        return printOut(
            TerminalText.sanitized(
                "copied \(counts.summary) from \(source.shownDatabase) to \(destination.shownDatabase); "
                    + "checked: identical"))
    }
}
