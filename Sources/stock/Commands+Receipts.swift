import Allocation

/// The commands that take back what was recorded by mistake: a receipt, a whole batch.
extension Subcommand {
    static let unreceive = Subcommand(
        name: "unreceive", positionals: ["REF"],
        abstract: "take back a batch's receipt while nothing has shipped from it",
        details: """
            Takes back the last receipt of batch REF: it is arriving again with the ETA and quantity it had before
            (read from its events), and prints "unreceived REF: arriving YYYY-MM-DD with xQTY". A rest batch that
            receipt made with --rest-eta is folded back into REF: REF gets the received quantity plus what the rest
            batch holds, the rest batch's lines are placed again by the rules and the rest batch is removed. Lines
            that no longer fit are printed as with change-quantity. Exit 4 when a line was left waiting; exit 1
            when REF is unknown or arriving, when stock shipped from it or its quantity changed since the receipt,
            or when its rest batch was received since (unreceive that first).
            """
    ) { tool in
        try tool.send(.unreceiveBatch(UnreceiveBatch(ref: tool.required("REF"))))
    }

    static let voidBatch = Subcommand(
        name: "void-batch", positionals: ["REF"],
        abstract: "remove a batch made by mistake; its lines are placed again or wait",
        details: """
            Removes batch REF, made by mistake: its lines are placed again by the rules, as if its quantity became
            0, or wait, each printed as with change-quantity; then the batch is gone. Its events stay in the
            history, with a BatchVoided. Prints "voided REF". Exit 4 when a line was left waiting; exit 1, nothing
            changed, when REF is unknown or stock was shipped from it.
            """
    ) { tool in
        try tool.send(.voidBatch(VoidBatch(ref: tool.required("REF"))))
    }
}
