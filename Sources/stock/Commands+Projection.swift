import Allocation

/// A SKU's available stock day by day.
extension Subcommand {
    static let projection = Subcommand(
        name: "projection", positionals: ["SKU"],
        options: [
            .flag(
                "--json",
                #"print {"sku","days":[{"date","arriving","onHand","allocated","available","waiting"}],"#
                    + #""late":[{"batchref","qty","eta"}]}"#)
        ],
        abstract: "a SKU's available stock day by day to its last ETA",
        details: """
            Prints SKU's stock from today (by the settings' clock) to its last ETA, at most 56 days: the units
            on hand (in the warehouse or arrived by that day), allocated on them, available (their difference),
            arriving that day, and the units of its waiting lines. The text lists today and each day something
            arrives (the days between are the same as the one before), then the late batches, whose units are
            not counted as arrived, their day being unknown, then a sentence: the first day the waiting lines
            are covered, or that no batch covers them. --json prints one entry a day. Exit 1 for an unknown SKU,
            naming the nearest known one.
            """
    ) { try $0.printProjection() }
}

extension Tool {
    func printProjection() throws -> ExitStatus {
        let sku = Validation.normalized(required("SKU"))
        try Validation.checkIdentifier(sku, field: "SKU")
        let database = try openDatabase(access: .readOnly)
        try database.beginReadSnapshot()
        defer { try? database.endReadSnapshot() }
        guard let projection = try Views.projection(sku: sku, today: settings.clock.today, in: database) else {
            throw try Views.unknownSKU(sku, in: database)
        }
        if arguments.flags.contains("--json") { return printOut(projection.json) }
        var table = TextTable(header: ["DATE", "ARRIVING", "ON HAND", "ALLOCATED", "AVAILABLE", "WAITING"])
        for (index, day) in projection.days.enumerated()
        where index == 0 || day.arriving > 0 || index == projection.days.count - 1 {
            table.add([
                day.date.description + (index == 0 ? " today" : ""), String(day.arriving), String(day.onHand),
                String(day.allocated), String(day.available), String(day.waiting),
            ])
        }
        var text = table.text
        for batch in projection.late {
            text += "\nlate: \(TerminalText.sanitized(batch.batchref)) x\(batch.qty), ETA \(batch.eta), not counted"
        }
        return printOut(text + "\n" + TerminalText.sanitized(projection.summary))
    }
}
