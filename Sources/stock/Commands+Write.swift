import Allocation

extension Subcommand {
    static let addBatch = Subcommand(
        name: "add-batch", positionals: ["REF", "SKU", "QTY"],
        options: [.valued("--eta", "YYYY-MM-DD", "the day the batch arrives; without it, it is in the warehouse")],
        abstract: "add a batch of QTY units of SKU",
        details: """
            Adds batch REF of QTY units of SKU and prints REF; a SKU no batch had before is created, and
            "new SKU SKU created" follows. An ETA before today (by the settings' clock) is accepted, a late shipment
            being recorded, with a warning on standard error: the batch counts as late and is preferred over
            batches still to come. Refused (exit 1) when REF already exists.
            """
    ) { tool in
        let eta = try tool.arguments.options["--eta"].map { try Validation.day($0, field: "--eta") }
        let batch = CreateBatch(
            ref: tool.required("REF"), sku: tool.required("SKU"), qty: try Validation.quantity(tool.required("QTY")),
            eta: eta)
        return try tool.send(.createBatch(batch), eta: eta)
    }

    static let allocate = Subcommand(
        name: "allocate", positionals: ["ORDERID", "SKU", "QTY"],
        abstract: "allocate an order line; prints the line and its batch",
        details: """
            Allocates the order line to the preferred batch (in the warehouse first, then the earliest ETA)
            and prints "allocated ORDERID SKU xQTY to BATCH". Allocating the same line again changes nothing and
            prints the same, with "... was already allocated to BATCH; nothing changed" on standard error.
            When no batch can take it, the line waits for stock (a backorder): it prints
            "waiting: ORDERID SKU xQTY (out of stock for SKU)" and exits 4; stock that appears later goes to
            waiting lines oldest first. A batch whose ETA has passed is named with how late it is ("to B-1062 (2
            days late)"). When older lines of the SKU wait, a note on standard error says how many, and whether
            any would have fitted in what this line took. Exit 1 with "Invalid sku SKU" for an unknown SKU.
            """
    ) { tool in
        let qty = try Validation.quantity(tool.required("QTY"))
        return try tool.send(
            .allocate(Allocate(orderid: tool.required("ORDERID"), sku: tool.required("SKU"), qty: qty)))
    }

    static let deallocate = Subcommand(
        name: "deallocate", positionals: ["ORDERID", "SKU"], abstract: "free an order's line for a SKU",
        details: """
            Frees the order's line for SKU and cancels it (it stays listed as cancelled; a part already shipped
            stays shipped), printing the batch it left and each waiting line the freed stock filled; a waiting
            line is cancelled ("cancelled ORDERID SKU xQTY"). Exit 1 for an unknown order ("Unknown order"), when
            the order has no such line, or when it was shipped or cancelled.
            """
    ) { tool in
        try tool.send(.deallocate(Deallocate(orderid: tool.required("ORDERID"), sku: tool.required("SKU"))))
    }

    static let changeQuantity = Subcommand(
        name: "change-quantity", positionals: ["REF", "QTY"],
        abstract: "set a batch's quantity; lines that no longer fit move",
        details: """
            Sets batch REF's purchased quantity (0 or more, and not below what has shipped from it; what it
            has on hand is that less what shipped). Lines that no longer fit are deallocated,
            oldest order lines staying first, and re-allocated oldest first to other batches where they fit,
            else they wait for stock. Prints each line that moved and where it went
            ("moved OLD-1 TV x8 from W-1 to W-2", "... to waiting") and each waiting line that grown stock
            filled ("filled NEW-2 TV x3 from W-1"), then each line the change made later or left waiting ("delays
            OLD-1 TV x8: 2026-12-09 → waiting"). Exit 4 when any line was left waiting.
            """
    ) { tool in
        let qty = try Validation.quantity(tool.required("QTY"), allowZero: true)
        return try tool.send(.changeBatchQuantity(ChangeBatchQuantity(ref: tool.required("REF"), qty: qty)))
    }
}

extension Tool {
    /// Runs one command through the bus and reports its outcome: the reference or batch and each line that moved,
    /// waits, was filled, shipped or cancelled on standard output, a remark that nothing changed on standard error.
    ///
    /// References and ids come from the database, so each line is sanitized like the listings: a control character
    /// that reached the database by another way than `stock` shows as `?`, never written to the terminal.
    ///
    /// A new allocation that went past older waiting lines of its SKU says so on standard error (`note: 13 older
    /// lines wait for BLUE-CHAIR; none fits in the 2 units this line took`).
    ///
    /// - Parameter eta: the ETA the command sets: once it is carried out, one before today is warned about on
    ///   standard error (`warning: ETA … is … days ago: …`), the exit status unchanged.
    /// - Returns: ``ExitStatus/waiting`` when a line was left waiting for stock, else ``ExitStatus/done``;
    ///   an unknown SKU is refused naming the known SKU nearest by spelling.
    func send(_ command: Command, eta: Day? = nil) throws -> ExitStatus {
        let database = try openDatabase()
        let bus = makeBus(database)
        defer { bus.finishNotifications() }
        let outcome: Outcome
        do {
            outcome = try bus.handle(command)
        } catch AllocationError.invalidSKU(let sku, _) {
            throw try Views.unknownSKU(sku, in: database)
        }
        if let note = outcome.unchangedNote(for: command) { printError(TerminalText.sanitized(note)) }
        let lines = outcome.lines(for: command).map { TerminalText.sanitized($0) }
        if !lines.isEmpty { print(lines.joined(separator: "\n")) }
        if let warning = eta?.pastETAWarning(today: settings.clock.today) { printError("warning: " + warning) }
        if let note = try overtakingNote(command, outcome, in: database) { printError("note: " + note) }
        return ExitStatus(for: outcome)
    }

    /// The remark on a new allocation that went past older waiting lines of its SKU (``Overtaken/note``); nil for
    /// another command, an allocation that took nothing or changed nothing, or when no older line waits.
    private func overtakingNote(_ command: Command, _ outcome: Outcome, in database: Database) throws -> String? {
        guard case .allocate(let line) = command.normalized, outcome.changed else { return nil }
        let took =
            switch outcome {
            case .allocated: line.qty
            case .allocatedInPieces(_, _, let qty, _, let waiting, _, _, _): qty - waiting
            default: 0
            }
        guard took > 0 else { return nil }
        return try Views.overtaken(orderid: line.orderid, sku: line.sku, took: took, in: database)
            .map { TerminalText.sanitized($0.note) }
    }
}
