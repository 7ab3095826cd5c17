import Allocation

/// The commands of a batch's and a line's life after allocation: receiving, re-dating, shipping, moving, and
/// filling waiting lines on demand.
extension Subcommand {
    static let receive = Subcommand(
        name: "receive", positionals: ["REF", "QTY"], optional: 1,
        options: [
            .valued(
                "--rest-eta", "YYYY-MM-DD",
                "the units missing from QTY arrive as a new batch REF-REST that day instead of being cancelled")
        ],
        abstract: "an arriving batch is now in the warehouse",
        details: """
            Records that arriving batch REF is in the warehouse: its ETA is cleared. With QTY (0 or more) different
            from the quantity ordered, QTY applies with the rules of change-quantity. Prints "received REF xQTY",
            each line that moved and where it went, each waiting line the stock filled, and each line a short
            receipt made later or left waiting ("delays ORDERID SKU xQTY: FROM → TO", "→ waiting"). Exit 4 when
            any line was left waiting; exit 1 when REF is unknown or already in the warehouse.

            With --rest-eta and a QTY below the quantity ordered, the rest is not cancelled: it becomes a new
            arriving batch REF-REST (or the next free REF-REST-2, ...) due that day, printed as "rest REF-REST xN
            arriving YYYY-MM-DD", and the lines that no longer fit on REF are placed by the rules, that batch among
            the others. A QTY at or above the quantity ordered, or no QTY, is refused (exit 2). stock unreceive
            REF takes the receipt back.
            """
    ) { tool in
        let qty = try tool.positional("QTY").map { try Validation.quantity($0, allowZero: true) }
        let restEta = try tool.arguments.options["--rest-eta"].map { try Validation.day($0, field: "--rest-eta") }
        return try tool.send(
            .receiveBatch(ReceiveBatch(ref: tool.required("REF"), qty: qty, restEta: restEta)), eta: restEta)
    }

    static let changeEta = Subcommand(
        name: "change-eta", positionals: ["REF", "YYYY-MM-DD"],
        abstract: "re-date an arriving batch; no line moves",
        details: """
            Changes arriving batch REF's ETA (a slip or an earlier arrival) and prints "REF due YYYY-MM-DD".
            Lines allocated to it stay where they are; only later choices change. A later date prints each line
            it delays ("delays ORDERID SKU xQTY: FROM → TO", the days each is expected complete); an earlier one
            delays nothing. A date before today (by the settings' clock) is accepted with a warning on standard
            error: the batch counts as late. Exit 1 when REF is unknown or already in the warehouse.
            """
    ) { tool in
        let eta = try Validation.day(tool.required("YYYY-MM-DD"), field: "date")
        return try tool.send(.changeBatchEta(ChangeBatchEta(ref: tool.required("REF"), eta: eta)), eta: eta)
    }

    static let ship = Subcommand(
        name: "ship", positionals: ["ORDERID", "SKU"], optional: 1,
        options: [
            .flag(
                "--partial",
                "ship what is in the warehouse now; pieces still arriving and waiting parts stay open")
        ],
        abstract: "ship an order's allocated lines (or one)",
        details: """
            Ships the order's allocated lines, or only its line for SKU, from batches in the warehouse: the
            quantity leaves the batch and the line is kept as shipped. Prints "shipped ORDERID SKU xQTY from
            BATCH" for each piece. Refused (exit 1, nothing shipped) when a line to ship waits for stock or has a
            piece on an arriving batch, naming each, or when nothing is left to ship.

            With --partial, each line ships its pieces in the warehouse and stays open for the rest, the same line
            ("ORDERID SKU xQTY stays open: ..." says what is left); a later ship sends the rest. Lines of the
            order with nothing in the warehouse are left as they are; refused only when nothing can ship.
            """
    ) { tool in
        try tool.send(
            .ship(
                Ship(
                    orderid: tool.required("ORDERID"), sku: tool.positional("SKU"),
                    partial: tool.arguments.flags.contains("--partial"))))
    }

    static let move = Subcommand(
        name: "move", positionals: ["ORDERID", "SKU", "BATCHREF"],
        abstract: "move a line to another batch of its SKU",
        details: """
            Moves the order's allocated or waiting line for SKU to batch BATCHREF, which must be of the same SKU
            and have room for it, e.g. off a late batch onto one just received. Prints "moved ORDERID SKU from
            FROM to BATCHREF" (FROM is "waiting" for a waiting line), then each waiting line the freed stock
            filled. Exit 1 when the batch has no room, is of another SKU or already holds the line.
            """
    ) { tool in
        try tool.send(
            .moveLine(
                MoveLine(
                    orderid: tool.required("ORDERID"), sku: tool.required("SKU"), batchref: tool.required("BATCHREF"))))
    }

    static let allocateWaiting = Subcommand(
        name: "allocate-waiting", positionals: ["SKU"], optional: 1,
        abstract: "give stock to waiting lines, oldest first",
        details: """
            Allocates waiting lines (backorders) of SKU, or of every SKU, oldest first, each to the preferred
            batch that can take it; a line that fits nowhere is skipped and keeps waiting. Prints
            "filled ORDERID SKU xQTY from BATCH" for each. Needed only when the autoAllocate setting is off;
            otherwise stock that appears goes to waiting lines by itself. Exit 0 even when lines still wait
            (stock backorders lists them).
            """
    ) { tool in
        try tool.send(.allocateWaiting(AllocateWaiting(sku: tool.positional("SKU"))))
    }
}
