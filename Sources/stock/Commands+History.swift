import Allocation
import Foundation

/// The lifecycle listings: waiting lines, lines at risk on late batches, and an order's or a batch's history.
extension Subcommand {
    static let backorders = Subcommand(
        name: "backorders",
        options: [
            .valued("--sku", "SKU", "only SKU's waiting lines"),
            .flag("--json", #"print [{"orderid","sku","qty","since","ageSeconds"}]"#),
        ],
        abstract: "lines waiting for stock, oldest first",
        details: """
            Lists the lines waiting for stock (backorders), oldest first, the order they will be filled in, with
            the time each started waiting and its age by the settings' clock.
            """
    ) { try $0.listBackorders() }

    static let atRisk = Subcommand(
        name: "at-risk",
        options: [
            .flag(
                "--json",
                #"print [{"orderid","sku","qty","status","batchref","eta","alternative","alternativeEta"}]"#)
        ],
        abstract: "lines on late batches and lines waiting for stock",
        details: """
            Lists the pieces of lines on arriving batches whose ETA is before today (by the settings' clock), by
            ETA, then the lines waiting for stock, oldest first; each with the preferred batch in the warehouse or
            still to come that could take it now, and that batch's ETA ("none" when no batch has room; a late batch
            is never suggested). stock move puts a line there.
            """
    ) { try $0.listAtRisk() }

    static let history = Subcommand(
        name: "history", positionals: ["ORDERID"], optional: 1,
        options: [
            .valued("--batch", "REF", "the batch's history instead of an order's"),
            .flag("--json", #"print [{"id","at","operator","kind", ...the event's fields}]"#),
        ],
        abstract: "every event that touched an order or a batch",
        details: """
            Prints every event that touched order ORDERID, or with --batch batch REF (its own events and its
            lines'), oldest first, with its time and the operator who caused it. Exit 1 for an order or batch
            no event names.
            """
    ) { try $0.listHistory() }
}

extension Tool {
    func listBackorders() throws -> ExitStatus {
        let (sku, database) = try openReadingSKUOption()
        let now = settings.clock.now()
        if arguments.flags.contains("--json") {
            // Streamed page by page in one read snapshot: the memory does not grow with the waiting lines.
            try database.beginReadSnapshot()
            defer { try? database.endReadSnapshot() }
            var output = OutputBuffer()
            var first = true
            try output.raw("[")
            try Views.eachBackorder(sku: sku, in: database) { row in
                let since = if case .waiting(let since) = row.status { since } else { "" }
                var json = JSONObjectWriter()
                json.add("orderid", row.orderid)
                json.add("sku", row.sku)
                json.add("qty", row.qty)
                json.add("since", since)
                json.addRaw("ageSeconds", Age.seconds(since: since, now: now).map(String.init) ?? "null")
                try output.raw((first ? "" : ",") + json.text)
                first = false
            }
            try output.line("]")
            try output.flush()
            return .done
        }
        let rows = try Views.backorders(sku: sku, in: database)
        let waiting = rows.map { row in
            let since = if case .waiting(let since) = row.status { since } else { "" }
            return (row: row, since: since, age: Age.seconds(since: since, now: now))
        }
        var table = TextTable(header: ["ORDER", "SKU", "QTY", "WAITING SINCE", "AGE"])
        for line in waiting {
            table.add([
                line.row.orderid, line.row.sku, String(line.row.qty), EventText.time(line.since, in: settings.zone),
                line.age.map(Age.text) ?? "?",
            ])
        }
        return printOut(table.text)
    }

    func listAtRisk() throws -> ExitStatus {
        let database = try openDatabase(access: .readOnly)
        let rows = try Views.atRisk(today: settings.clock.today, in: database)
        if arguments.flags.contains("--json") {
            return printOut(jsonArray(rows.map(\.json)))
        }
        var table = TextTable(header: ["ORDER", "SKU", "QTY", "STATUS", "BATCH", "ETA", "COULD TAKE IT NOW", "DUE"])
        for row in rows {
            table.add([
                row.line.orderid, row.line.sku, String(row.line.qty), row.status.rawValue, row.batchref ?? "-",
                row.eta?.description ?? "-", row.alternative ?? "none",
                row.alternative == nil ? "-" : row.alternativeEta?.description ?? "in stock",
            ])
        }
        return printOut(table.text)
    }

    func listHistory() throws -> ExitStatus {
        let orderid = positional("ORDERID").map(Validation.normalized)
        let batch = arguments.options["--batch"].map(Validation.normalized)
        let database: Database
        let events: [EventRow]
        switch (orderid, batch) {
        case (let orderid?, nil):
            try Validation.checkIdentifier(orderid, field: "order id")
            database = try openDatabase(access: .readOnly)
            events = try Views.history(orderid: orderid, in: database)
            if events.isEmpty { try Views.requireKnownOrder(orderid, in: database) }
        case (nil, let batch?):
            try Validation.checkIdentifier(batch, field: "--batch")
            database = try openDatabase(access: .readOnly)
            events = try Views.history(batch: batch, in: database)
            if events.isEmpty { throw AllocationError.unknownBatch(batch) }
        default:
            throw UsageError(message: "history needs ORDERID or --batch REF, not both")
        }
        if arguments.flags.contains("--json") {
            return printOut(jsonArray(events.map(\.json)))
        }
        let text = EventText(zone: settings.zone, fitting: events, header: true)
        return printOut(([text.header] + events.map(text.line(for:))).joined(separator: "\n"))
    }
}

/// How long a line has waited, from the ISO 8601 timestamp the service wrote.
enum Age {
    /// Whole seconds from `timestamp` (`YYYY-MM-DDTHH:MM:SS…Z`) to `now`; nil when it is not such a timestamp.
    static func seconds(since timestamp: String, now: Double) -> Int? {
        let text = Array(timestamp.utf8)
        guard text.count >= 19, let day = Day(String(timestamp.prefix(10))) else { return nil }
        func number(_ start: Int) -> Int? {
            Int(String(decoding: text[start..<start + 2], as: UTF8.self))
        }
        guard let hours = number(11), let minutes = number(14), let seconds = number(17) else { return nil }
        let then = day.daysSinceEpoch * 86_400 + hours * 3600 + minutes * 60 + seconds
        return max(0, Int(now.rounded(.down)) - then)
    }

    /// `3d 4h`, `5h 12m` or `7m`.
    static func text(_ seconds: Int) -> String {
        let days = seconds / 86_400
        let hours = seconds / 3600 % 24
        let minutes = seconds / 60 % 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return "\(minutes)m"
    }
}
