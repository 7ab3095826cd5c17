extension DatabaseCopy {
    /// Rows per table, as copied or as held.
    public struct Counts: Equatable, Sendable {
        public var products = 0
        public var batches = 0
        public var orderLines = 0
        public var allocations = 0
        public var events = 0

        public init() {}

        /// The rows of every table together.
        public var total: Int { products + batches + orderLines + allocations + events }

        /// `12 batches, 40 order lines, 31 allocations, 97 events`; products, which batches and lines name, are
        /// left out.
        public var summary: String {
            [
                (batches, "batch", "batches"), (orderLines, "order line", "order lines"),
                (allocations, "allocation", "allocations"), (events, "event", "events"),
            ]
            .map { "\($0.0) \($0.0 == 1 ? $0.1 : $0.2)" }.joined(separator: ", ")
        }

        /// `3 products, 12 batches, …`: every table.
        var fullSummary: String {
            "\(products) \(products == 1 ? "product" : "products"), " + summary
        }

        subscript(table: CopiedTable) -> Int {
            get {
                switch table.name {
                case "products": products
                case "batches": batches
                case "order_lines": orderLines
                case "allocations": allocations
                default: events
                }
            }
            set {
                switch table.name {
                case "products": products = newValue
                case "batches": batches = newValue
                case "order_lines": orderLines = newValue
                case "allocations": allocations = newValue
                default: events = newValue
                }
            }
        }
    }
}
