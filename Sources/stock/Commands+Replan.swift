import Allocation

/// Re-planning allocated lines after the supply changed.
extension Subcommand {
    static let replan = Subcommand(
        name: "replan", positionals: ["SKU"], optional: 1,
        options: [.flag("--dry-run", "say which lines would move; change nothing")],
        abstract: "move allocated lines, oldest first, to where they complete sooner",
        details: """
            Moves the allocated lines of SKU (or of every SKU) with a piece on an arriving batch, oldest first,
            to where the placement rule in force (splitLines) would put them now, when they complete sooner there:
            in the warehouse rather than arriving, on an earlier ETA, or on time rather than on a late batch. A
            line never moves to complete later, and never to wait. Prints "moved ORDERID SKU xQTY from BATCH to
            BATCH: complete DAY instead of DAY" for each (pieces as "B-1 x10 + B-2 x20"); with --dry-run "would
            move ..." and nothing changes. Exit 1 for an unknown SKU.
            """
    ) { tool in
        try tool.send(
            .replan(Replan(sku: tool.positional("SKU"), dryRun: tool.arguments.flags.contains("--dry-run"))))
    }
}
