/// Add a batch of stock (a new SKU creates its product).
public struct CreateBatch: Equatable, Sendable {
    public var ref: String
    public var sku: String
    public var qty: Int
    public var eta: Day?

    public init(ref: String, sku: String, qty: Int, eta: Day? = nil) {
        self.ref = ref
        self.sku = sku
        self.qty = qty
        self.eta = eta
    }
}

/// Allocate an order line to the preferred batch that can take it.
public struct Allocate: Equatable, Sendable {
    public var orderid: String
    public var sku: String
    public var qty: Int

    public init(orderid: String, sku: String, qty: Int) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
    }
}

/// Set a batch's purchased quantity; lines that no longer fit move to other batches.
public struct ChangeBatchQuantity: Equatable, Sendable {
    public var ref: String
    public var qty: Int

    public init(ref: String, qty: Int) {
        self.ref = ref
        self.qty = qty
    }
}

/// Free an order's line for a SKU and drop the line.
public struct Deallocate: Equatable, Sendable {
    public var orderid: String
    public var sku: String

    public init(orderid: String, sku: String) {
        self.orderid = orderid
        self.sku = sku
    }
}

/// Something an operator or a script asks for. Each command has exactly one handler.
public enum Command: Equatable, Sendable {
    case createBatch(CreateBatch)
    case allocate(Allocate)
    case changeBatchQuantity(ChangeBatchQuantity)
    case deallocate(Deallocate)

    /// The command with every text field in canonical form (``Validation/normalized(_:)``).
    public var normalized: Command {
        let n = Validation.normalized
        switch self {
        case .createBatch(let c): return .createBatch(CreateBatch(ref: n(c.ref), sku: n(c.sku), qty: c.qty, eta: c.eta))
        case .allocate(let c): return .allocate(Allocate(orderid: n(c.orderid), sku: n(c.sku), qty: c.qty))
        case .changeBatchQuantity(let c): return .changeBatchQuantity(ChangeBatchQuantity(ref: n(c.ref), qty: c.qty))
        case .deallocate(let c): return .deallocate(Deallocate(orderid: n(c.orderid), sku: n(c.sku)))
        }
    }

    /// The name used in JSON lines and messages.
    public var name: String {
        switch self {
        case .createBatch: "CreateBatch"
        case .allocate: "Allocate"
        case .changeBatchQuantity: "ChangeBatchQuantity"
        case .deallocate: "Deallocate"
        }
    }
}

/// What a command did, for the caller to report.
public enum Outcome: Equatable, Sendable {
    case batchCreated(reference: String)
    /// `wasAlreadyAllocated` is true when the same line was allocated before and nothing changed.
    case allocated(batchReference: String, wasAlreadyAllocated: Bool)
    /// Nothing was allocated; an `OutOfStock` event was recorded and notified.
    case outOfStock(sku: String)
    case quantityChanged(reference: String, moved: [Move])
    case deallocated(batchReference: String?)

    /// What the operator reads when the command was refused and nothing was done, e.g. `Out of stock for LAMP`;
    /// nil when the command did what it was asked.
    public var refusal: String? {
        if case .outOfStock(let sku) = self { return Outcome.outOfStockMessage(sku: sku) }
        return nil
    }

    /// The one wording of an out-of-stock refusal, shown to the operator and sent as the notification.
    static func outOfStockMessage(sku: String) -> String {
        "Out of stock for \(sku)"
    }
}

/// A line moved off a shrinking batch: to another batch, or to none when no batch could take it.
public struct Move: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let qty: Int
    public let from: String
    public let to: String?
}
