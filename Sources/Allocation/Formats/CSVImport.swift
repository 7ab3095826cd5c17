import Foundation

/// What `stock import` reads from CSV: the columns of each kind of file and the command each row becomes.
public enum CSVImport {
    /// How a file's header is read beyond the kind's own column names (`import --ignore-columns`, `--column`).
    public struct HeaderOptions: Equatable, Sendable {
        /// Columns the kind does not know are accepted and not read, instead of refusing the file.
        public var ignoresUnknownColumns: Bool
        /// The header's name (as ``CSVReader/columnKey(_:)`` compares it) of each column read under another name:
        /// `["orderid": "order"]` reads the file's `Order` column as `orderid`.
        public var renamed: [String: String]

        public init(ignoresUnknownColumns: Bool = false, renamed: [String: String] = [:]) {
            self.ignoresUnknownColumns = ignoresUnknownColumns
            self.renamed = renamed
        }

        /// What ``CSVReader/renamedColumns`` is set to: each header name to the column it is read as.
        public var readerRenaming: [String: String] {
            Dictionary(renamed.map { (CSVReader.columnKey($0.value), $0.key) }, uniquingKeysWith: { first, _ in first })
        }

        /// Parses `--column` values: each `NAME=HEADER`, several in one value separated by commas.
        ///
        /// - Throws: `ContractViolation` for a value without `=`, a NAME `kind` does not read, or a NAME or HEADER
        ///   given twice.
        public static func renaming(_ values: [String], kind: Kind) throws -> [String: String] {
            var renamed: [String: String] = [:]
            for pair in values.flatMap({ $0.split(separator: ",", omittingEmptySubsequences: false) }) {
                let parts = pair.split(separator: "=", maxSplits: 1).map { CSVReader.columnKey(String($0)) }
                try require(
                    parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty,
                    "--column takes NAME=HEADER (e.g. orderid=Order), got \(Validation.shown(String(pair)))")
                let known = kind.columns + kind.ignoredColumns
                try require(
                    known.contains(parts[0]),
                    "--column \(Validation.shown(String(pair))): \(kind.rawValue) files have no column "
                        + "\(Validation.shown(parts[0])); they have \(known.joined(separator: ", "))")
                try require(renamed[parts[0]] == nil, "--column names \(parts[0]) twice")
                try require(!renamed.values.contains(parts[1]), "--column reads \(parts[1]) twice")
                renamed[parts[0]] = parts[1]
            }
            return renamed
        }
    }

    /// A kind of file: batches (an advance shipping notice) or orders (order lines).
    public enum Kind: String, CaseIterable, Sendable {
        case batches
        case orders

        /// The columns read, in the order `stock export` writes them.
        public var columns: [String] {
            switch self {
            case .batches: ["reference", "sku", "quantity", "eta", "shipped"]
            case .orders: ["orderid", "sku", "quantity"]
            }
        }

        /// The columns every file of the kind must have; an empty `eta` cell means the batch is in the warehouse,
        /// an empty or missing `shipped` that nothing of it shipped yet.
        public var requiredColumns: [String] {
            switch self {
            case .batches: ["reference", "sku", "quantity"]
            case .orders: columns
            }
        }

        /// The columns `stock export` adds for information, accepted and not read back: a file exported can be
        /// imported as it is. `status` is read only to skip lines already shipped.
        public var ignoredColumns: [String] {
            switch self {
            case .batches: ["on_hand", "allocated", "available"]
            case .orders: ["status", "batchref", "waiting_since", "shipped_at"]
            }
        }

        /// Checks a header: every column known (case and surrounding spaces do not matter) or, with `options`,
        /// read under another name or ignored; none twice, none of the required ones missing. Returns the
        /// columns ignored, as written.
        ///
        /// - Throws: ``CSVError`` on the header's line naming the unknown, duplicated or missing column, or the
        ///   header name a `--column` gives that the header does not have.
        @discardableResult
        public func checkHeader(_ names: [String], line: Int = 1, options: HeaderOptions = HeaderOptions()) throws
            -> [String]
        {
            let renaming = options.readerRenaming
            let written = names.map(CSVReader.columnKey)
            for (column, header) in options.renamed.sorted(by: { $0.key < $1.key }) where !written.contains(header) {
                throw CSVError(
                    line: line,
                    reason:
                        "--column \(column)=\(header): the header has no column \(Validation.shown(header)); it has "
                        + names.joined(separator: ", "))
            }
            let keys = written.map { renaming[$0] ?? $0 }
            let known = columns + ignoredColumns
            var ignored: [String] = []
            for (index, key) in keys.enumerated() {
                guard !key.isEmpty else {
                    if options.ignoresUnknownColumns {
                        ignored.append("column \(index + 1) (no name)")
                        continue
                    }
                    throw CSVError(
                        line: line, column: index + 1,
                        reason: "the column has no name; \(expected); --ignore-columns imports the file without it")
                }
                guard known.contains(key) else {
                    if options.ignoresUnknownColumns {
                        ignored.append(names[index])
                        continue
                    }
                    throw CSVError(
                        line: line, column: index + 1,
                        reason: "unknown column \(Validation.shown(names[index])); \(expected); --ignore-columns "
                            + "imports the file without it, --column NAME=\(names[index]) reads it as column NAME")
                }
                if let first = keys.firstIndex(of: key), first < index {
                    throw CSVError(
                        line: line, column: index + 1,
                        reason: "column \(key) appears twice (columns \(first + 1) and \(index + 1))")
                }
            }
            let missing = requiredColumns.filter { !keys.contains($0) }
            guard missing.isEmpty else {
                let plural = missing.count > 1 ? "columns" : "column"
                throw CSVError(
                    line: line, reason: "missing \(plural) \(missing.joined(separator: ", ")); \(expected)")
            }
            return ignored
        }

        /// `batches files have the columns reference, sku, quantity, eta, shipped in any order (on_hand, allocated,
        /// available are ignored)`.
        private var expected: String {
            "\(rawValue) files have the columns \(columns.joined(separator: ", ")) in any order ("
                + ignoredColumns.joined(separator: ", ") + " are ignored)"
        }

        /// The command a data row asks for, its quantity and ETA parsed as the command line parses them (values
        /// shown as typed); nil for an order line whose `status` is `shipped`, which is history and has nothing to
        /// apply. Its identifiers are checked once, by ``MessageBus/handle(_:)``, as every command's are.
        ///
        /// A batch row with `updatingBatches` updates a batch of that reference that is there
        /// (``CreateBatch/updatesExisting``). An order line whose `status` is `waiting` keeps its `waiting_since`
        /// (``Allocate/waitingSince``).
        ///
        /// The record's header must have passed ``checkHeader(_:line:options:)``.
        ///
        /// - Throws: `ContractViolation` naming the column and the value, e.g.
        ///   `quantity must be a whole number, got "1,000"` or `eta "25/12/2026" is not a valid date YYYY-MM-DD`.
        public func command(from record: CSVRecord, updatingBatches: Bool = false) throws -> Command? {
            let value = { (name: String) in record.value(of: name) ?? "" }
            switch self {
            case .batches:
                let eta = value("eta")
                let qty = try Validation.quantity(value("quantity"), field: "quantity")
                let shippedCell = value("shipped").trimmingCharacters(in: .whitespaces)
                let shipped =
                    shippedCell.isEmpty ? nil : try Validation.quantity(shippedCell, field: "shipped", allowZero: true)
                return .createBatch(
                    CreateBatch(
                        ref: value("reference"), sku: value("sku"), qty: qty,
                        eta: eta.isEmpty ? nil : try Validation.day(eta), updatesExisting: updatingBatches,
                        shipped: shipped))
            case .orders:
                let status = value("status")
                if !status.isEmpty, ["shipped", "cancelled"].contains(CSVReader.columnKey(status)) { return nil }
                let since = value("waiting_since").trimmingCharacters(in: .whitespaces)
                let waits = status.isEmpty || CSVReader.columnKey(status) == "waiting"
                return .allocate(
                    Allocate(
                        orderid: value("orderid"), sku: value("sku"),
                        qty: try Validation.quantity(value("quantity"), field: "quantity"),
                        waitingSince: waits && !since.isEmpty ? since : nil))
            }
        }
    }
}
