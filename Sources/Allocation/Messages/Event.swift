/// Something that happened, recorded in the `events` table in the command's transaction and handed to its
/// handlers after `COMMIT`.
public enum Event: Equatable, Sendable {
    case batchCreated(ref: String, sku: String, qty: Int, eta: Day?)
    case allocated(orderid: String, sku: String, qty: Int, batchref: String)
    case deallocated(orderid: String, sku: String, qty: Int)
    case outOfStock(sku: String)
    case batchQuantityChanged(ref: String, qty: Int)

    /// The kind of an event, the key its handlers are registered under.
    public enum Kind: String, CaseIterable, Sendable {
        case batchCreated = "BatchCreated"
        case allocated = "Allocated"
        case deallocated = "Deallocated"
        case outOfStock = "OutOfStock"
        case batchQuantityChanged = "BatchQuantityChanged"
    }

    public var kind: Kind {
        switch self {
        case .batchCreated: .batchCreated
        case .allocated: .allocated
        case .deallocated: .deallocated
        case .outOfStock: .outOfStock
        case .batchQuantityChanged: .batchQuantityChanged
        }
    }

    /// The event's fields as a JSON object, as stored in `events.payload`.
    public var payload: String {
        var json = JSONObjectWriter()
        switch self {
        case .batchCreated(let ref, let sku, let qty, let eta):
            json.add("ref", ref)
            json.add("sku", sku)
            json.add("qty", qty)
            json.add("eta", eta?.description)
        case .allocated(let orderid, let sku, let qty, let batchref):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            json.add("batchref", batchref)
        case .deallocated(let orderid, let sku, let qty):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
        case .outOfStock(let sku):
            json.add("sku", sku)
        case .batchQuantityChanged(let ref, let qty):
            json.add("ref", ref)
            json.add("qty", qty)
        }
        return json.text
    }
}
