extension Command {
    /// Decodes one JSON line of `stock apply`, e.g. `{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}`.
    ///
    /// Fields: `CreateBatch` ref, sku, qty, eta (optional, `YYYY-MM-DD`); `Allocate` orderid, sku, qty;
    /// `ChangeBatchQuantity` ref, qty; `Deallocate` orderid, sku. `etaInDays` (a whole number of days from
    /// `today`) may stand for `eta`, which keeps the shipped demo data's dates current.
    ///
    /// - Throws: `InputError` for malformed JSON, unknown commands or fields, or mistyped values;
    ///   `ContractViolation` for values the rules refuse (checked by ``Validation/check(_:)``).
    public init(jsonLine text: String, today: Day? = nil) throws {
        let probe = try JSONFields(parsing: text, context: "command")
        let name = try probe.string("command")
        let fields = JSONFields(object: probe.object, context: name)
        switch name {
        case "CreateBatch":
            try fields.checkKeys(Set(["command", "ref", "sku", "qty", "eta"]).union(today == nil ? [] : ["etaInDays"]))
            var eta = try fields.optionalString("eta").map { try Validation.day($0) }
            if let today, fields.has("etaInDays") {
                eta = today.adding(days: try fields.integer("etaInDays"))
            }
            self = .createBatch(
                CreateBatch(
                    ref: try fields.string("ref"), sku: try fields.string("sku"), qty: try fields.integer("qty"),
                    eta: eta))
        case "Allocate":
            try fields.checkKeys(["command", "orderid", "sku", "qty"])
            self = .allocate(
                Allocate(
                    orderid: try fields.string("orderid"), sku: try fields.string("sku"),
                    qty: try fields.integer("qty")))
        case "ChangeBatchQuantity":
            try fields.checkKeys(["command", "ref", "qty"])
            self = .changeBatchQuantity(
                ChangeBatchQuantity(ref: try fields.string("ref"), qty: try fields.integer("qty")))
        case "Deallocate":
            try fields.checkKeys(["command", "orderid", "sku"])
            self = .deallocate(Deallocate(orderid: try fields.string("orderid"), sku: try fields.string("sku")))
        default:
            throw InputError(
                message: "unknown command \(Validation.shown(name)) "
                    + "(expected CreateBatch, Allocate, ChangeBatchQuantity or Deallocate)")
        }
        try Validation.check(self)
    }
}
