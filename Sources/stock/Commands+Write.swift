import Allocation

extension Subcommand {
    static let addBatch = Subcommand(
        name: "add-batch", positionals: ["REF", "SKU", "QTY"],
        options: [.valued("--eta", "YYYY-MM-DD", "the day the batch arrives; without it, it is in the warehouse")],
        abstract: "add a batch of QTY units of SKU",
        details: "Adds batch REF of QTY units of SKU. Refused (exit 1) when REF already exists."
    ) { tool in
        let eta = try tool.arguments.options["--eta"].map { try Validation.day($0, field: "--eta") }
        let words = tool.arguments.positionals
        return try tool.send(
            .createBatch(CreateBatch(ref: words[0], sku: words[1], qty: try Validation.quantity(words[2]), eta: eta)))
    }

    static let allocate = Subcommand(
        name: "allocate", positionals: ["ORDERID", "SKU", "QTY"],
        abstract: "allocate an order line; prints the batch reference",
        details: """
            Allocates the order line to the preferred batch (in the warehouse first, then the earliest ETA)
            and prints the batch reference. Allocating the same line again changes nothing and prints its batch.
            Exit 1 with "Invalid sku SKU" for an unknown SKU, "Out of stock for SKU" when no batch can take it.
            """
    ) { tool in
        let words = tool.arguments.positionals
        return try tool.send(
            .allocate(Allocate(orderid: words[0], sku: words[1], qty: try Validation.quantity(words[2]))))
    }

    static let deallocate = Subcommand(
        name: "deallocate", positionals: ["ORDERID", "SKU"], abstract: "free an order's line for a SKU",
        details: "Frees the order's line for SKU and drops the line. Exit 1 when the order has no such line."
    ) { tool in
        let words = tool.arguments.positionals
        return try tool.send(.deallocate(Deallocate(orderid: words[0], sku: words[1])))
    }

    static let changeQuantity = Subcommand(
        name: "change-quantity", positionals: ["REF", "QTY"],
        abstract: "set a batch's quantity; lines that no longer fit move",
        details: """
            Sets batch REF's purchased quantity (0 or more). Lines that no longer fit are deallocated,
            oldest order lines staying first, and re-allocated oldest first to other batches where they fit.
            """
    ) { tool in
        let words = tool.arguments.positionals
        return try tool.send(
            .changeBatchQuantity(
                ChangeBatchQuantity(ref: words[0], qty: try Validation.quantity(words[1], allowZero: true))))
    }
}

extension Tool {
    /// Runs one command through the bus and reports its outcome: the answer on standard output, the rest on
    /// standard error.
    func send(_ command: Command) throws -> ExitStatus {
        let database = try openDatabase()
        let outcome = try makeBus(database).handle(command)
        if let backorder = outcome.backorder {
            printError(backorder)
            return .refused
        }
        switch outcome {
        case .batchCreated(let reference, _):
            return printOut(reference)
        case .allocated(let batchReference, let wasAlreadyAllocated):
            if wasAlreadyAllocated { printError("already allocated; nothing changed") }
            return printOut(batchReference)
        case .quantityChanged(_, let moved, _):
            for move in moved {
                printError(
                    "moved \(move.orderid) \(move.sku) x\(move.qty) from \(move.from) "
                        + "to \(move.to ?? "nowhere (out of stock)")"
                )
            }
            return .done
        case .deallocated(let batchReference, _):
            return printOut(batchReference)
        case .cancelled:
            return printOut("(was not allocated)")
        case .waiting, .received, .etaChanged, .shipped, .moved, .allocatedWaiting:
            return .done
        }
    }
}

extension Outcome {
    /// The out-of-stock words of an `Allocate` that left its line waiting, which the command line still reports
    /// as refused (exit 1, `"ok":false`).
    var backorder: String? {
        if case .waiting = self { return notice }
        return nil
    }
}
