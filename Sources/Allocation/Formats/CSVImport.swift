/// What `stock import` reads from CSV: the columns of each kind of file and the command each row becomes.
public enum CSVImport {
    /// A kind of file: batches (an advance shipping notice) or orders (order lines).
    public enum Kind: String, CaseIterable, Sendable {
        case batches
        case orders

        /// The columns read, in the order `stock export` writes them.
        public var columns: [String] {
            switch self {
            case .batches: ["reference", "sku", "quantity", "eta"]
            case .orders: ["orderid", "sku", "quantity"]
            }
        }

        /// The columns every file of the kind must have; an empty `eta` cell means the batch is in the warehouse.
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
            case .batches: ["allocated", "available"]
            case .orders: ["status", "batchref", "waiting_since", "shipped_at"]
            }
        }

        /// Checks a header: every column known (case and surrounding spaces do not matter), none twice, none of
        /// the required ones missing.
        ///
        /// - Throws: ``CSVError`` on the header's line naming the unknown, duplicated or missing column.
        public func checkHeader(_ names: [String], line: Int = 1) throws {
            let keys = names.map(CSVReader.columnKey)
            let known = columns + ignoredColumns
            for (index, key) in keys.enumerated() {
                guard !key.isEmpty else {
                    throw CSVError(line: line, column: index + 1, reason: "the column has no name; \(expected)")
                }
                guard known.contains(key) else {
                    throw CSVError(
                        line: line, column: index + 1,
                        reason: "unknown column \(Validation.shown(names[index])); \(expected)")
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
        }

        /// `a batches file has the columns reference, sku, quantity, eta (allocated, available are ignored)`.
        private var expected: String {
            "\(rawValue) files have the columns \(columns.joined(separator: ", ")) in any order ("
                + ignoredColumns.joined(separator: ", ") + " are ignored)"
        }

        /// The command a data row asks for, its quantity and ETA parsed as the command line parses them (values
        /// shown as typed); nil for an order line whose `status` is `shipped`, which is history and has nothing to
        /// apply. Its identifiers are checked once, by ``MessageBus/handle(_:)``, as every command's are.
        ///
        /// The record's header must have passed ``checkHeader(_:line:)``.
        ///
        /// - Throws: `ContractViolation` naming the column and the value, e.g.
        ///   `quantity must be a whole number, got "1,000"` or `eta "25/12/2026" is not a valid date YYYY-MM-DD`.
        public func command(from record: CSVRecord) throws -> Command? {
            let value = { (name: String) in record.value(of: name) ?? "" }
            switch self {
            case .batches:
                let eta = value("eta")
                return .createBatch(
                    CreateBatch(
                        ref: value("reference"), sku: value("sku"),
                        qty: try Validation.quantity(value("quantity"), field: "quantity"),
                        eta: eta.isEmpty ? nil : try Validation.day(eta)))
            case .orders:
                let status = value("status")
                if !status.isEmpty, ["shipped", "cancelled"].contains(CSVReader.columnKey(status)) { return nil }
                return .allocate(
                    Allocate(
                        orderid: value("orderid"), sku: value("sku"),
                        qty: try Validation.quantity(value("quantity"), field: "quantity")))
            }
        }
    }
}
