import Allocation

extension Subcommand {
    static let promise = Subcommand(
        name: "promise", positionals: ["SKU", "QTY"],
        options: [
            .flag(
                "--json",
                #"print {"sku","qty","date","batches":[{"batchref","qty","eta"}],"available","waitingBefore"}"#)
        ],
        abstract: "when a new line of QTY of SKU would be complete if allocated now",
        details: """
            Says the day a new order line of QTY of SKU would be complete if it were allocated now, under the
            settings in force (splitLines included), by the rule allocate applies, changing nothing: "TV x30: in
            stock now (B-1)", "TV x30: 2027-01-12 (arriving W-7), in 37 days", or "TV x30: cannot be promised:
            12 available in all batches, 40 units waiting before it". Waiting lines keep their place before it: a
            new line takes only room the batches have now. A piece on a late batch (an ETA already past) backs no
            promise, its date being unknown. --json: date is YYYY-MM-DD (today for stock in the warehouse) or
            null, batches are where allocating now would put it (eta null in the warehouse), available is the
            room in all the SKU's batches and waitingBefore the units its waiting lines wait for. Exit 0 when it
            can be promised, 4 when it cannot, 1 for an unknown SKU, 2 for a bad QTY.
            """
    ) { try $0.showPromise() }
}

extension Tool {
    func showPromise() throws -> ExitStatus {
        let sku = Validation.normalized(required("SKU"))
        try Validation.checkIdentifier(sku, field: "sku")
        let qty = try Validation.quantity(required("QTY"))
        let database = try openDatabase(access: .readOnly)
        let promise: Promise
        do {
            promise = try Views.promise(
                sku: sku, qty: qty, policy: settings.splitLines, today: settings.clock.today, in: database)
        } catch AllocationError.invalidSKU(let unknown, _) {
            throw try Views.unknownSKU(unknown, in: database)
        }
        _ = printOut(arguments.flags.contains("--json") ? promise.json : TerminalText.sanitized(promise.line))
        return promise.isPromised ? .done : .waiting
    }
}
