/// The allocation rules, as pure functions on record values: no database here.

extension Batch {
    /// A line fits a batch of the same SKU with at least its quantity available.
    func canAllocate(_ line: OrderLine) -> Bool {
        sku == line.sku && available >= line.qty
    }
}

/// One key of an order on `batches` rows: a SQL expression over the row's columns (unqualified, so it reads the
/// same in `FROM batches` and `FROM batches AS b`) and the same comparison on `Batch`.
struct BatchOrderKey: Sendable {
    /// The expression, e.g. `eta IS NOT NULL`.
    let sql: String
    /// Whether the expression can be NULL; row-value comparisons read it through `coalesce(…, '')`.
    let isNullable: Bool
    /// Whether `a` comes before `b` on this key, as SQLite orders the expression ascending (NULL first, text by
    /// its bytes).
    let precedes: @Sendable (Batch, Batch) -> Bool

    /// The expression as a row-value comparison reads it: never NULL, so `(…) > (…)` is never unknown.
    var comparable: String { isNullable ? "coalesce(\(sql), '')" : sql }
}

/// An order on `batches` rows, as ascending keys: the SQL `ORDER BY` (either way), the row value keyset paging
/// compares, and the Swift comparison all come from these keys, so they cannot disagree.
struct BatchOrder: Sendable {
    let keys: [BatchOrderKey]

    /// The `ORDER BY` list, ascending or (for paging backwards) descending on every key.
    func sql(descending: Bool = false) -> String {
        keys.map { descending ? "\($0.sql) DESC" : $0.sql }.joined(separator: ", ")
    }

    /// The keys' never-NULL expressions as a column list, e.g. `sku, eta IS NOT NULL, coalesce(eta, ''), reference`.
    var comparables: String { keys.map(\.comparable).joined(separator: ", ") }

    /// Whether `a` comes before `b`: the first key that tells them apart decides.
    func precedes(_ a: Batch, _ b: Batch) -> Bool {
        for key in keys {
            if key.precedes(a, b) { return true }
            if key.precedes(b, a) { return false }
        }
        return false
    }

    /// This order within groups of `key`: `key` first, then these keys.
    func within(_ key: BatchOrderKey) -> BatchOrder { BatchOrder(keys: [key] + keys) }
}

extension BatchOrderKey {
    /// A text column that is never NULL, compared by its bytes as SQLite's BINARY collation does.
    static func text(_ column: String, _ value: @escaping @Sendable (Batch) -> String) -> BatchOrderKey {
        BatchOrderKey(sql: column, isNullable: false) { value($0).utf8.lexicographicallyPrecedes(value($1).utf8) }
    }
}

extension BatchOrder {
    /// Allocation preference, the one definition: batches in the warehouse (no ETA) first, then the earliest
    /// ETA, ties by reference. The index `batches_by_preference` holds `sku` and then these keys.
    static let preference = BatchOrder(keys: [
        BatchOrderKey(sql: "eta IS NOT NULL", isNullable: false) { $0.eta == nil && $1.eta != nil },
        BatchOrderKey(sql: "eta", isNullable: true) { a, b in
            switch (a.eta, b.eta) {
            case (nil, .some): true
            case (let x?, let y?): x < y
            default: false
            }
        },
        .text("reference", \.reference),
    ])

    /// The board's order: by SKU, each SKU's batches in allocation preference.
    static let board = preference.within(.text("sku", \.sku))
}

/// Allocation preference (``BatchOrder/preference``): whether `a` is taken before `b`.
func isPreferred(_ a: Batch, over b: Batch) -> Bool {
    BatchOrder.preference.precedes(a, b)
}

/// A business rule refused the command; nothing was changed.
public enum AllocationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// No product has the SKU; `suggestion` is the known SKU nearest by spelling (``Views/skuNearest(to:in:)``),
    /// when the caller looked it up.
    case invalidSKU(String, suggestion: String? = nil)
    case unknownBatch(String)
    case duplicateBatch(String)
    case conflictingLine(orderid: String, sku: String, existingQty: Int, requestedQty: Int)
    case unknownLine(orderid: String, sku: String)
    /// No line or event ever named the order; `suggestion` is a known order differing only in case.
    case unknownOrder(String, suggestion: String? = nil)
    /// The line was cancelled: it can no longer be shipped, moved, changed or cancelled again.
    case cancelledLine(orderid: String, sku: String)
    /// A line's quantity cannot go down to what already shipped, or below.
    case belowShipped(orderid: String, sku: String, shipped: Int, requested: Int)
    /// A batch's purchased quantity cannot go below what already shipped from it.
    case batchBelowShipped(batch: String, shipped: Int, requested: Int)
    /// A file gives a batch that is there another count of shipped units than its shipments made.
    case shippedDiffers(batch: String, here: Int, given: Int)
    /// The line left the warehouse: it can no longer be allocated, moved or deallocated.
    case shippedLine(orderid: String, sku: String)
    /// Receiving or re-dating a batch that is already in the warehouse.
    case alreadyInWarehouse(String)
    /// Lines that cannot ship, each described, e.g. `o1 TV is waiting for stock`.
    case notShippable([String])
    case nothingToShip(orderid: String)
    case noRoom(batch: String, available: Int, needed: Int)
    case wrongSKU(batch: String, batchSKU: String, lineSKU: String)
    case alreadyOnBatch(orderid: String, sku: String, batch: String)
    /// The product changed since the version a confirmed preview was computed at.
    case changedMeanwhile(sku: String, expectedVersion: Int, version: Int)
    /// The batch's receipt cannot be taken back, for the reason `why`.
    case cannotUnreceive(batch: String, why: String)
    /// The batch cannot be voided, for the reason `why`.
    case cannotVoid(batch: String, why: String)

    public var description: String {
        switch self {
        case .invalidSKU(let sku, let suggestion):
            "Invalid sku \(sku)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .unknownBatch(let ref): "Unknown batch \(ref)"
        case .duplicateBatch(let ref): "batch reference \(ref) already exists"
        case .conflictingLine(let orderid, let sku, let existing, let requested):
            "order \(orderid) already has a line for \(sku) with qty \(existing); refusing qty \(requested)"
        case .unknownLine(let orderid, let sku): "order \(orderid) has no line for \(sku)"
        case .unknownOrder(let orderid, let suggestion):
            "Unknown order \(orderid)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        case .cancelledLine(let orderid, let sku): "\(orderid) \(sku) was cancelled"
        case .belowShipped(let orderid, let sku, let shipped, let requested):
            "\(orderid) \(sku) has shipped x\(shipped) already; its quantity must stay above that, got \(requested)"
        case .batchBelowShipped(let batch, let shipped, let requested):
            "batch \(batch) has shipped \(shipped) already; its purchased quantity cannot go below that, got "
                + "\(requested); nothing was changed"
        case .shippedDiffers(let batch, let here, let given):
            "batch \(batch) has shipped \(here) here, not \(given): shipped counts the shipments made from it and "
                + "is not imported onto a batch that is there"
        case .shippedLine(let orderid, let sku): "\(orderid) \(sku) was shipped"
        case .alreadyInWarehouse(let ref): "batch \(ref) is already in the warehouse"
        case .notShippable(let problems): "nothing was shipped: " + problems.joined(separator: "; ")
        case .nothingToShip(let orderid): "order \(orderid) has nothing left to ship"
        case .noRoom(let batch, let available, let needed):
            "batch \(batch) has \(available) available, line needs \(needed)"
        case .wrongSKU(let batch, let batchSKU, let lineSKU): "batch \(batch) holds \(batchSKU), not \(lineSKU)"
        case .alreadyOnBatch(let orderid, let sku, let batch): "\(orderid) \(sku) is already on batch \(batch)"
        case .changedMeanwhile(let sku, let expected, let version):
            "\(sku) was changed meanwhile (version \(version), expected \(expected)); nothing was changed"
        case .cannotUnreceive(let batch, let why): "cannot unreceive \(batch): \(why); nothing was changed"
        case .cannotVoid(let batch, let why): "cannot void \(batch): \(why); nothing was changed"
        }
    }
}

extension Product {
    /// Allocates `line` to the preferred batch that can take it, records `Allocated`, and bumps the version.
    ///
    /// When `line` is already placed (its `batchReference` is set) nothing changes and that batch is returned:
    /// allocation is idempotent. When no batch can take it, it waits: a line that was not waiting yet records
    /// `OutOfStock` (with its order and quantity) and bumps the version; a waiting line tried again changes
    /// nothing. Returns nil then.
    ///
    /// - Throws: `AllocationError.shippedLine` for a shipped line; `ContractViolation` when the line is for another
    ///   SKU or its quantity is not positive.
    mutating func allocate(_ line: OrderLine) throws -> String? {
        if let current = line.batchReference { return current }
        guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
        let placed = try place(line)
        if let placed {
            events.append(.allocated(orderid: line.orderid, sku: sku, qty: line.qty, batchref: placed))
            bumpVersion()
        } else if line.waitingSince == nil {
            events.append(.outOfStock(sku: sku, orderid: line.orderid, qty: line.qty))
            bumpVersion()
        }
        return placed
    }

    /// Puts a line on the first batch in preference order that can take it; records no event and leaves the
    /// version alone.
    mutating func place(_ line: OrderLine) throws -> String? {
        try require(line.sku == sku, "line \(line.orderid) is for \(line.sku), not \(sku)")
        try require(line.qty > 0, "line \(line.orderid) has quantity \(line.qty)")
        guard let index = preferredBatchIndex(for: line) else { return nil }
        batches[index].allocated += line.qty
        let batch = batches[index]
        try ensure(batch.allocated <= batch.onHand, "batch \(batch.reference) over-allocated")
        return batch.reference
    }

    /// The index of the batch the rules choose for `line`, or nil when none can take it.
    func preferredBatchIndex(for line: OrderLine, excluding excluded: String? = nil) -> Int? {
        var best: Int?
        for (index, batch) in batches.enumerated() where batch.canAllocate(line) && batch.reference != excluded {
            if let current = best, !isPreferred(batch, over: batches[current]) { continue }
            best = index
        }
        return best
    }

    /// The loaded batch `reference` of this product; nil for nil (a line that waits) or a batch not loaded.
    func batch(_ reference: String?) -> Batch? {
        batches.first { $0.reference == reference }
    }

    /// The index of the batch `reference` of this product.
    ///
    /// - Throws: `AllocationError.unknownBatch` when the product has no such batch.
    func batchIndex(_ reference: String) throws -> Int {
        guard let index = batches.firstIndex(where: { $0.reference == reference }) else {
            throw AllocationError.unknownBatch(reference)
        }
        return index
    }
}

/// The line an `Allocate` command is about: the order's existing line for the SKU, or the requested one.
///
/// - Throws: `AllocationError.conflictingLine` when the order already has a line for the SKU with another
///   quantity: an order has one line per SKU, and silently changing it would hide an operator's mistake.
func lineToAllocate(requested: OrderLine, existing: OrderLine?) throws -> OrderLine {
    guard let existing else { return requested }
    guard existing.qty == requested.qty else {
        throw AllocationError.conflictingLine(
            orderid: existing.orderid, sku: existing.sku, existingQty: existing.qty, requestedQty: requested.qty)
    }
    return existing
}
