import Allocation
import Foundation

extension Subcommand {
    static let batches = Subcommand(
        name: "batches",
        options: [
            .valued("--sku", "SKU", "only SKU's batches"),
            .flag(
                "--json",
                #"print [{"reference","sku","eta","purchased","shipped","onHand","allocated","available"}]"#),
        ],
        abstract: "batches in allocation-preference order per SKU",
        details: """
            Lists batches by SKU in allocation-preference order: purchased (the quantity bought), shipped (what
            left the warehouse from it), on hand (purchased less shipped), allocated (what lines hold of that) and
            available (on hand less allocated).
            """
    ) { try $0.listBatches() }

    static let allocations = Subcommand(
        name: "allocations", positionals: ["ORDERID"],
        options: [
            .flag(
                "--json",
                #"print [{"sku","batchref","qty","status"}], with "since" when waiting, "shippedAt" and "#
                    + #""shippedFrom" when shipped"#)
        ],
        abstract: "every line of an order and where it is",
        details: """
            Lists every line of the order, sorted by SKU, with its quantity and status: allocated to BATCH,
            waiting since TIME (a backorder), or shipped at TIME from BATCH. An order with no lines lists nothing.
            """
    ) { try $0.listAllocations() }

    static let events = Subcommand(
        name: "events",
        options: [
            .valued("--since", "ID", "only the events after event ID"),
            .flag("--follow", "keep printing events as they are committed, by this or any other process"),
            .flag("--json", #"print one JSON object a line: {"id","at","operator","kind", ...the event's fields}"#),
        ],
        abstract: "the event log, oldest first",
        details: """
            Prints the event log, oldest first. With --follow it runs until it is interrupted, or until its
            database file is removed or replaced, which it says before exiting with status 3.
            """
    ) { try $0.listEvents() }
}

extension Tool {
    func listBatches() throws -> ExitStatus {
        let (sku, database) = try openReadingSKUOption()
        let rows = try Views.batches(sku: sku, in: database)
        if arguments.flags.contains("--json") {
            var output = OutputBuffer()
            try output.jsonArrayLine(rows.lazy.map(\.json))
            try output.flush()
            return .done
        }
        var table = TextTable(header: [
            "REFERENCE", "SKU", "ETA", "PURCHASED", "SHIPPED", "ON HAND", "ALLOCATED", "AVAILABLE",
        ])
        for row in rows {
            table.add([
                row.reference, row.sku, row.eta?.description ?? "in stock", String(row.purchased),
                String(row.shipped), String(row.onHand), String(row.allocated), String(row.available),
            ])
        }
        return printOut(table.text)
    }

    func listAllocations() throws -> ExitStatus {
        let orderid = Validation.normalized(required("ORDERID"))
        try Validation.checkIdentifier(orderid, field: "order id")
        let database = try openDatabase(access: .readOnly)
        let rows = try Views.orderLines(orderid: orderid, in: database)
        if rows.isEmpty { try Views.requireKnownOrder(orderid, in: database) }
        if arguments.flags.contains("--json") {
            return printOut(jsonArray(rows.map(Tool.allocationJSON)))
        }
        var table = TextTable(header: ["SKU", "QTY", "STATUS"])
        for row in rows {
            let status =
                switch row.status {
                case .allocated(let batchref): "allocated to \(batchref)"
                case .waiting(let since): "waiting since \(EventText.time(since, in: settings.zone))"
                case .shipped(let at, let from): "shipped at \(EventText.time(at, in: settings.zone)) from \(from)"
                case .cancelled(let at): "cancelled at \(EventText.time(at, in: settings.zone))"
                }
            table.add([row.sku, String(row.qty), status])
        }
        return printOut(table.text)
    }

    /// `{"sku","batchref","qty","status"}` (`batchref` null unless allocated) and `since` for a waiting line,
    /// `shippedAt` and `shippedFrom` for a shipped one, `cancelledAt` for a cancelled one.
    static func allocationJSON(_ row: Views.LineRow) -> String {
        var json = JSONObjectWriter()
        json.add("sku", row.sku)
        json.add("batchref", row.batchref)
        json.add("qty", row.qty)
        json.add("status", row.status.name)
        switch row.status {
        case .allocated: break
        case .waiting(let since): json.add("since", since)
        case .shipped(let at, let from):
            json.add("shippedAt", at)
            json.add("shippedFrom", from)
        case .cancelled(let at): json.add("cancelledAt", at)
        }
        return json.text
    }

    func listEvents() throws -> ExitStatus {
        var lastID: Int64 = 0
        if let since = arguments.options["--since"] {
            guard let id = Int64(since), id >= 0 else {
                throw UsageError(
                    message: "--since must be an event id (a whole number, 0 or more), got \(Validation.shown(since))")
            }
            lastID = id
        }
        let json = arguments.flags.contains("--json")
        let database = try openDatabase(access: .readOnly)
        let text = EventText(
            zone: settings.zone, fitting: try Views.events(from: Int64.max, newer: false, limit: 1000, in: database),
            anyKind: true)
        // A listing prints every event committed so far, by id. A follower reads through `EventFollower`,
        // which on a server holds an event back until every older transaction has ended, so that one committed
        // after a higher id was printed still comes, once.
        let following = arguments.flags.contains("--follow")
        var follower = EventFollower(after: lastID)
        var output = OutputBuffer()
        /// Prints an event, in place when it can: the same line as its decoded row's.
        func printEvent(_ event: ListedEvent) throws {
            switch event {
            case .inPlace(let stored):
                let printed = try output.line {
                    json ? stored.appendJSON(to: &$0) : text.appendLine(for: stored, to: &$0)
                }
                if !printed { try printEvent(.decoded(stored.decoded())) }
            case .decoded(let row): try output.line(json ? row.json : text.line(for: row))
            }
        }
        /// Prints what is new in `database`; true when the follower holds committed events back for an older
        /// transaction.
        @discardableResult func printNew(_ database: Database) throws -> Bool {
            var count: Int
            repeat {
                if following {
                    let page = try follower.next(limit: 1000, in: database)
                    for row in page { try printEvent(.decoded(row)) }
                    count = page.count
                } else {
                    let read = try Views.eachEvent(after: lastID, limit: 1000, in: database, printEvent)
                    (count, lastID) = (read.count, read.last)
                }
            } while count >= 1000
            try output.flush()
            return follower.isHoldingBack
        }
        try printNew(database)
        guard following else { return .done }
        try follow(database, onChange: printNew)
    }
}
