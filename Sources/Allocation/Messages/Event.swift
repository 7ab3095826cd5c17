/// Something that happened, recorded in the `events` table in the command's transaction and handed to its
/// handlers after `COMMIT`.
///
/// The event log is the history: each row also keeps the order and the batch it touched in indexed columns.
public enum Event: Equatable, Sendable {
    case batchCreated(ref: String, sku: String, qty: Int, eta: Day?)
    case allocated(orderid: String, sku: String, qty: Int, batchref: String)
    /// A line left its batch; `batchref` is nil only in rows written before schema version 3.
    case deallocated(orderid: String, sku: String, qty: Int, batchref: String?)
    /// A line found no batch and waits; `orderid` and `qty` are nil only in rows written before schema version 3.
    case outOfStock(sku: String, orderid: String?, qty: Int?)
    case batchQuantityChanged(ref: String, qty: Int)
    /// An arriving batch is in the warehouse, with `qty` units.
    case batchReceived(ref: String, qty: Int)
    /// An arriving batch's ETA changed.
    case batchEtaChanged(ref: String, eta: Day)
    /// A line left the warehouse from its batch.
    case shipped(orderid: String, sku: String, qty: Int, batchref: String)
    /// A waiting line, or the waiting part of a line, was dropped.
    case cancelled(orderid: String, sku: String, qty: Int)
    /// A line's quantity (shipped part included) was changed to `qty`; its pieces move with their own events.
    case lineChanged(orderid: String, sku: String, qty: Int)
    /// A change to batch `ref` (a later ETA, a short receipt, a smaller quantity) made these lines later.
    case ordersDelayed(ref: String, delayed: [Delay])
    /// A receipt was taken back: the batch is arriving again on `eta` with `qty` units.
    case batchUnreceived(ref: String, qty: Int, eta: Day)
    /// A batch made by mistake was removed; it had `qty` units.
    case batchVoided(ref: String, sku: String, qty: Int)

    /// The kind of an event, the key its handlers are registered under.
    public enum Kind: String, CaseIterable, Sendable {
        case batchCreated = "BatchCreated"
        case allocated = "Allocated"
        case deallocated = "Deallocated"
        case outOfStock = "OutOfStock"
        case batchQuantityChanged = "BatchQuantityChanged"
        case batchReceived = "BatchReceived"
        case batchEtaChanged = "BatchEtaChanged"
        case shipped = "Shipped"
        case cancelled = "Cancelled"
        case lineChanged = "LineChanged"
        case ordersDelayed = "OrdersDelayed"
        case batchUnreceived = "BatchUnreceived"
        case batchVoided = "BatchVoided"
    }

    public var kind: Kind {
        switch self {
        case .batchCreated: .batchCreated
        case .allocated: .allocated
        case .deallocated: .deallocated
        case .outOfStock: .outOfStock
        case .batchQuantityChanged: .batchQuantityChanged
        case .batchReceived: .batchReceived
        case .batchEtaChanged: .batchEtaChanged
        case .shipped: .shipped
        case .cancelled: .cancelled
        case .lineChanged: .lineChanged
        case .ordersDelayed: .ordersDelayed
        case .batchUnreceived: .batchUnreceived
        case .batchVoided: .batchVoided
        }
    }

    /// The order the event touched, kept in `events.orderid` for an order's history.
    public var orderid: String? {
        switch self {
        case .allocated(let orderid, _, _, _), .deallocated(let orderid, _, _, _), .shipped(let orderid, _, _, _),
            .cancelled(let orderid, _, _), .lineChanged(let orderid, _, _):
            orderid
        case .outOfStock(_, let orderid, _): orderid
        case .batchCreated, .batchQuantityChanged, .batchReceived, .batchEtaChanged, .ordersDelayed, .batchUnreceived,
            .batchVoided:
            nil
        }
    }

    /// The batch the event touched, kept in `events.ref` for a batch's history.
    public var batchReference: String? {
        switch self {
        case .batchCreated(let ref, _, _, _), .batchQuantityChanged(let ref, _), .batchReceived(let ref, _),
            .batchEtaChanged(let ref, _), .ordersDelayed(let ref, _), .batchUnreceived(let ref, _, _),
            .batchVoided(let ref, _, _):
            ref
        case .allocated(_, _, _, let ref), .shipped(_, _, _, let ref): ref
        case .deallocated(_, _, _, let ref): ref
        case .outOfStock, .cancelled, .lineChanged: nil
        }
    }

    /// The event's fields as a JSON object, as stored in `events.payload`. Optional fields of old rows are left
    /// out when nil, so a stored payload reads back and writes out the same.
    public var payload: String {
        var json = JSONObjectWriter()
        switch self {
        case .batchCreated(let ref, let sku, let qty, let eta):
            json.add("ref", ref)
            json.add("sku", sku)
            json.add("qty", qty)
            json.add("eta", eta?.description)
        case .allocated(let orderid, let sku, let qty, let batchref),
            .shipped(let orderid, let sku, let qty, let batchref):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            json.add("batchref", batchref)
        case .deallocated(let orderid, let sku, let qty, let batchref):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            if let batchref { json.add("batchref", batchref) }
        case .cancelled(let orderid, let sku, let qty), .lineChanged(let orderid, let sku, let qty):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
        case .outOfStock(let sku, let orderid, let qty):
            json.add("sku", sku)
            if let orderid { json.add("orderid", orderid) }
            if let qty { json.add("qty", qty) }
        case .batchQuantityChanged(let ref, let qty), .batchReceived(let ref, let qty):
            json.add("ref", ref)
            json.add("qty", qty)
        case .batchEtaChanged(let ref, let eta):
            json.add("ref", ref)
            json.add("eta", eta.description)
        case .ordersDelayed(let ref, let delayed):
            json.add("ref", ref)
            json.addRaw("delayed", "[" + delayed.map(\.json).joined(separator: ",") + "]")
        case .batchUnreceived(let ref, let qty, let eta):
            json.add("ref", ref)
            json.add("qty", qty)
            json.add("eta", eta.description)
        case .batchVoided(let ref, let sku, let qty):
            json.add("ref", ref)
            json.add("sku", sku)
            json.add("qty", qty)
        }
        return json.text
    }
}
