extension Event {
    /// Decodes an `events` row's kind and payload: the inverse of ``kind`` and ``payload``, so
    /// `Event(kind: e.kind.rawValue, payload: e.payload) == e`.
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
        case .allocated:
            try fields.checkKeys(["orderid", "sku", "qty", "batchref"])
            self = .allocated(
                orderid: try fields.string("orderid"), sku: try fields.string("sku"), qty: try fields.integer("qty"),
                batchref: try fields.string("batchref"))
        case .deallocated:
            try fields.checkKeys(["orderid", "sku", "qty"])
            self = .deallocated(
                orderid: try fields.string("orderid"), sku: try fields.string("sku"), qty: try fields.integer("qty"))
        case .outOfStock:
            try fields.checkKeys(["sku"])
            self = .outOfStock(sku: try fields.string("sku"))
        case .batchQuantityChanged:
            try fields.checkKeys(["ref", "qty"])
            self = .batchQuantityChanged(ref: try fields.string("ref"), qty: try fields.integer("qty"))
        }
    }
}
