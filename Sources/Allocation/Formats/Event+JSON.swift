extension Event {
    /// Decodes an `events` row's kind and payload: the inverse of ``kind`` and ``payload``, so
    /// `Event(kind: e.kind.rawValue, payload: e.payload) == e`. Rows written before schema version 3 read too
    /// (`Deallocated` without `batchref`, `OutOfStock` with the SKU alone).
    ///
    /// - Throws: `InputError` naming the problem for an unknown kind, a payload that is not a JSON object, or a
    ///   field that is missing, unknown to the kind or mistyped; `ContractViolation` for an ETA that is no date.
    public init(kind name: String, payload: String) throws {
        guard let kind = Kind(rawValue: name) else {
            throw InputError(
                message: "unknown event kind \(Validation.shown(name)) (expected "
                    + Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let fields = try JSONFields(parsing: payload, context: name)
        switch kind {
        case .batchCreated:
            try fields.checkKeys(["ref", "sku", "qty", "eta"])
            self = .batchCreated(
                ref: try fields.string("ref"), sku: try fields.string("sku"), qty: try fields.integer("qty"),
                eta: try fields.optionalString("eta").map { try Validation.day($0) })
        case .allocated, .shipped:
            try fields.checkKeys(["orderid", "sku", "qty", "batchref"])
            let (orderid, sku, qty) = try Event.lineFields(fields)
            let batchref = try fields.string("batchref")
            self =
                kind == .allocated
                ? .allocated(orderid: orderid, sku: sku, qty: qty, batchref: batchref)
                : .shipped(orderid: orderid, sku: sku, qty: qty, batchref: batchref)
        case .deallocated:
            try fields.checkKeys(["orderid", "sku", "qty", "batchref"])
            let (orderid, sku, qty) = try Event.lineFields(fields)
            self = .deallocated(orderid: orderid, sku: sku, qty: qty, batchref: try fields.optionalString("batchref"))
        case .cancelled, .lineChanged:
            try fields.checkKeys(["orderid", "sku", "qty"])
            let (orderid, sku, qty) = try Event.lineFields(fields)
            self =
                kind == .cancelled
                ? .cancelled(orderid: orderid, sku: sku, qty: qty) : .lineChanged(orderid: orderid, sku: sku, qty: qty)
        case .outOfStock:
            try fields.checkKeys(["sku", "orderid", "qty"])
            self = .outOfStock(
                sku: try fields.string("sku"), orderid: try fields.optionalString("orderid"),
                qty: try fields.optionalInteger("qty"))
        case .batchQuantityChanged:
            try fields.checkKeys(["ref", "qty"])
            self = .batchQuantityChanged(ref: try fields.string("ref"), qty: try fields.integer("qty"))
        case .batchReceived:
            try fields.checkKeys(["ref", "qty"])
            self = .batchReceived(ref: try fields.string("ref"), qty: try fields.integer("qty"))
        case .batchEtaChanged:
            try fields.checkKeys(["ref", "eta"])
            self = .batchEtaChanged(ref: try fields.string("ref"), eta: try Validation.day(try fields.string("eta")))
        case .ordersDelayed:
            try fields.checkKeys(["ref", "delayed"])
            self = .ordersDelayed(
                ref: try fields.string("ref"),
                delayed: try fields.objects("delayed").map { line in
                    try line.checkKeys(["orderid", "sku", "qty", "from", "to"])
                    let (orderid, sku, qty) = try Event.lineFields(line)
                    return Delay(
                        orderid: orderid, sku: sku, qty: qty, from: try Validation.day(try line.string("from")),
                        to: try line.optionalString("to").map { try Validation.day($0) })
                })
        case .batchUnreceived:
            try fields.checkKeys(["ref", "qty", "eta"])
            self = .batchUnreceived(
                ref: try fields.string("ref"), qty: try fields.integer("qty"),
                eta: try Validation.day(try fields.string("eta")))
        case .batchVoided:
            try fields.checkKeys(["ref", "sku", "qty"])
            self = .batchVoided(
                ref: try fields.string("ref"), sku: try fields.string("sku"), qty: try fields.integer("qty"))
        }
    }

    private static func lineFields(_ fields: JSONFields) throws -> (orderid: String, sku: String, qty: Int) {
        (try fields.string("orderid"), try fields.string("sku"), try fields.integer("qty"))
    }
}
