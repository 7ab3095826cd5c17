import Allocation
import Foundation

extension Subcommand {
    static let export = Subcommand(
        name: "export", positionals: ["batches|allocations|backorders|events", "FILE|-"], optional: 1,
        abstract: "write batches, order lines, backorders or events as CSV",
        details: """
            Writes CSV with a header row to FILE, or to standard output when FILE is - or left out: UTF-8, no
            byte-order mark, LF line endings, a field quoted only when it holds a comma, a quote, a line break or
            a leading or trailing space. Text is written as stored.
              batches      reference,sku,quantity,eta,shipped,on_hand,allocated,available (by when each was
                           added; quantity is what was bought, on_hand that less what shipped; eta empty for
                           a batch in the warehouse)
              allocations  orderid,sku,quantity,status,batchref,waiting_since,shipped_at: every order line
                           oldest first, status allocated, waiting or shipped (batchref is then the batch it
                           left from)
              backorders   orderid,sku,quantity,waiting_since: the waiting lines oldest first
              events       id,at,operator,kind,payload: the event log oldest first, times in UTC (ISO 8601),
                           payload the event's fields as JSON
            import batches reads an exported batches file and import orders an allocations or backorders file
            as they are (the columns after quantity are ignored, but a batch's eta and shipped and a waiting
            line's waiting_since, which are kept; shipped lines are skipped).
            FILE is replaced whole, like > does, but only once everything is written: it is written beside
            FILE under a temporary name, then renamed, so a reader never sees half a file and a failed export
            leaves FILE as it was. The rows are read in one snapshot, whatever other processes commit meanwhile.
            """
    ) { try $0.export() }
}

/// What `stock export` can write, with its header and its rows.
enum ExportTable: String, CaseIterable {
    case batches
    case allocations
    case backorders
    case events

    /// The header: for batches and order lines, the columns `import` reads, then the ones it ignores.
    var header: [String] {
        switch self {
        case .batches: CSVImport.Kind.batches.columns + CSVImport.Kind.batches.ignoredColumns
        case .allocations: CSVImport.Kind.orders.columns + CSVImport.Kind.orders.ignoredColumns
        case .backorders: CSVImport.Kind.orders.columns + ["waiting_since"]
        case .events: ["id", "at", "operator", "kind", "payload"]
        }
    }

    /// Writes the header and every row, streamed from `database`.
    func write(from database: Database, to writer: inout CSVWriter) throws {
        try writer.write(header)
        switch self {
        case .batches:
            try Views.eachBatch(in: database) { batch in
                try writer.write([
                    batch.reference, batch.sku, String(batch.purchased), batch.eta?.description ?? "",
                    String(batch.shipped), String(batch.onHand), String(batch.allocated), String(batch.available),
                ])
            }
        case .allocations:
            try Views.eachListedLine(in: database) { listed in
                switch listed {
                case .inPlace(let piece):
                    // CSV writes text as it is: the piece's ASCII bytes are its cells, as `exportFields` gives them.
                    writer.append(field: piece.orderid)
                    writer.append(field: piece.sku)
                    writer.append(field: String(piece.qty))
                    writer.append(field: LineStatus.allocated(batchref: "").name)
                    writer.append(field: piece.batchref)
                    writer.append(field: "")
                    writer.append(field: "")
                case .decoded(let line):
                    for field in line.exportFields { writer.append(field: field) }
                }
                try writer.endRecord()
            }
        case .backorders:
            try Views.eachBackorder(in: database) { line in
                let since = if case .waiting(let since) = line.status { since } else { "" }
                try writer.write([line.orderid, line.sku, String(line.qty), since])
            }
        case .events:
            func write(_ row: EventRow) throws {
                try writer.write([String(row.id), row.at, row.operator, row.kind, row.payload])
            }
            // CSV writes text as it is, so a row's stored bytes are its cells when they are ASCII, which decoding
            // leaves unchanged; other rows are decoded, with their checks.
            try Views.eachListedEvent(in: database) { event in
                switch event {
                case .inPlace(let stored)
                where stored.at.allSatisfy({ $0 < 0x80 }) && stored.operator.allSatisfy({ $0 < 0x80 }):
                    writer.append(field: String(stored.id))
                    writer.append(field: stored.at)
                    writer.append(field: stored.operator)
                    writer.append(field: stored.kind.rawValue)
                    writer.append(field: stored.payload)
                    try writer.endRecord()
                case .inPlace(let stored): try write(stored.decoded())
                case .decoded(let row): try write(row)
                }
            }
        }
        try writer.flush()
    }
}

extension Tool {
    func export() throws -> ExitStatus {
        let tableName = required("batches|allocations|backorders|events")
        guard let table = ExportTable(rawValue: tableName) else {
            let names = ExportTable.allCases.map(\.rawValue)
            throw UsageError(
                message: "export writes \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""), got "
                    + Validation.shown(tableName) + Suggestion.didYouMean(tableName, among: names))
        }
        let target = positional("FILE|-").flatMap { $0 == "-" ? nil : $0 }
        if target == "" { throw UsageError(message: "export needs a FILE or -, got \"\"") }
        if let target { try AssetsFolder.refuseData(at: target) }
        let database = try openDatabase(access: .readOnly)
        try database.beginReadSnapshot()
        defer { try? database.endReadSnapshot() }
        guard let target else {
            var writer = CSVWriter { try OutputFile.writeAll($0, to: STDOUT_FILENO, name: "standard output") }
            try table.write(from: database, to: &writer)
            return .done
        }
        try OutputFile.replace(target, sparing: database.path) { descriptor in
            var writer = CSVWriter { try OutputFile.writeAll($0, to: descriptor, name: target) }
            try table.write(from: database, to: &writer)
        }
        return .done
    }
}
