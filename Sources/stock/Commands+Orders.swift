import Allocation

extension Subcommand {
    static let order = Subcommand(
        name: "order", positionals: ["ORDERID"],
        options: [
            .flag(
                "--json",
                #"print {"orderid","status","lines":[{"sku","qty","status","pieces":[{"batchref","qty","eta","#
                    + #""late"}],"waiting","expected","since","shipped","shippedAt","cancelledAt"}]}"#)
        ],
        abstract: "an order as a whole: its status and each line",
        details: """
            Prints the order's status (open, partly shipped, shipped or cancelled) and each of its lines, by SKU:
            its quantity and status, its pieces with their batches' ETAs (late when the ETA is past), the day it
            is expected complete (none while any part waits), how long it has waited, what shipped, and
            cancelled lines too. Exit 1 with "Unknown order ORDERID" for an order no line ever had.
            """
    ) { try $0.showOrder() }

    static let cancel = Subcommand(
        name: "cancel", positionals: ["ORDERID"],
        abstract: "cancel every open line of an order",
        details: """
            Cancels every open line of the order in one transaction: pieces are freed (the stock goes to waiting
            lines, oldest first), waiting parts are cancelled, the lines stay listed as cancelled, and a part
            already shipped stays shipped. Prints "cancelled ORDERID SKU xQTY: ..." for each line, then each
            waiting line the freed stock filled. An order with no open line changes nothing (exit 0).
            """
    ) { tool in
        try tool.send(.cancelOrder(CancelOrder(orderid: tool.required("ORDERID"))))
    }

    static let changeLine = Subcommand(
        name: "change-line", positionals: ["ORDERID", "SKU", "QTY"],
        abstract: "change a line's quantity, keeping its place in the queue",
        details: """
            Sets the quantity of the order's line for SKU (what the customer ordered, a part already shipped
            included). The line keeps its place in the waiting queue: a smaller quantity frees stock to waiting
            lines, oldest first; a larger one is placed by the splitLines policy in force. Prints "changed
            ORDERID SKU from xOLD to xNEW: ..." with where it is now. Exit 4 when any part of it waits; exit 1
            for a shipped or cancelled line, or a quantity at or below what already shipped.
            """
    ) { tool in
        try tool.send(
            .changeLine(
                ChangeLine(
                    orderid: tool.required("ORDERID"), sku: tool.required("SKU"),
                    qty: try Validation.quantity(tool.required("QTY")))))
    }
}

extension Tool {
    func showOrder() throws -> ExitStatus {
        let orderid = Validation.normalized(required("ORDERID"))
        try Validation.checkIdentifier(orderid, field: "order id")
        let database = try openDatabase(access: .readOnly)
        guard let order = try Views.order(orderid, today: settings.clock.today, in: database) else {
            // Lines deallocated before cancelled lines were kept left only their events.
            try Views.requireKnownOrder(orderid, in: database)
            var none = JSONObjectWriter()
            none.add("orderid", orderid)
            none.add("status", "cancelled")
            none.addRaw("lines", "[]")
            return printOut(arguments.flags.contains("--json") ? none.text : "order \(orderid): cancelled, no lines")
        }
        if arguments.flags.contains("--json") { return printOut(order.json) }
        let now = settings.clock.now()
        var table = TextTable(header: ["SKU", "QTY", "STATUS", "EXPECTED", "WHERE"])
        for line in order.lines {
            var whereabouts = line.pieces.map { piece in
                let when =
                    piece.eta.map { "eta \($0)\(piece.late ? ", late" : "")" } ?? "in the warehouse"
                return "x\(piece.qty) on \(piece.batchref) (\(when))"
            }
            if let since = line.since {
                whereabouts.append(
                    "x\(line.waiting) waiting since \(EventText.time(since, in: settings.zone)) "
                        + "(\(Age.seconds(since: since, now: now).map(Age.text) ?? "?"))")
            }
            if line.shipped > 0, let at = line.shippedAt {
                whereabouts.insert("x\(line.shipped) shipped at \(EventText.time(at, in: settings.zone))", at: 0)
            }
            if let at = line.cancelledAt { whereabouts.append("cancelled at \(EventText.time(at, in: settings.zone))") }
            table.add([
                line.sku, String(line.qty), line.status, line.expected?.description ?? "-",
                whereabouts.joined(separator: ", "),
            ])
        }
        return printOut("order \(orderid): \(order.status)\n" + table.text)
    }
}
