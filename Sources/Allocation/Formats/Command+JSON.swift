extension Command {
    /// Decodes one JSON line of `stock apply`, e.g. `{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}`.
    ///
    /// Fields: `CreateBatch` ref, sku, qty, eta (optional, `YYYY-MM-DD`); `Allocate` orderid, sku, qty;
    /// `ChangeBatchQuantity` ref, qty, expectedVersion (optional); `Deallocate` orderid, sku; `ReceiveBatch` ref,
    /// qty (optional), restEta (optional, `YYYY-MM-DD`: the missing units arrive as a new batch that day),
    /// expectedVersion (optional); `ChangeBatchEta` ref, eta; `Ship` orderid, sku (optional), partial (optional, `true` ships
    /// what is in the warehouse and keeps the rest open); `MoveLine` orderid, sku,
    /// batchref; `AllocateWaiting` sku (optional); `CancelOrder` orderid; `ChangeLine` orderid, sku, qty;
    /// `UnreceiveBatch` ref; `VoidBatch` ref; `Replan` sku (optional), dryRun (optional, `true` only says what
    /// would move). `etaInDays` (a whole number of days from `today`) may stand for
    /// `eta` of `CreateBatch` and `ChangeBatchEta`, which keeps the shipped demo data's dates current.
    ///
    /// The values are parsed, not checked against the rules: ``MessageBus/handle(_:)`` checks every command once
    /// (``Validation/check(_:)``), whichever way it came in.
    ///
    /// - Throws: `InputError` for malformed JSON, unknown commands or fields, or mistyped values;
    ///   `ContractViolation` for an ETA that is not a date.
    public init(jsonLine text: String, today: Day? = nil) throws {
        try self.init(fields: try JSONFields(parsing: text, context: "command"), today: today)
    }

    /// A JSON line read once: the command it names, when its top-level `"command"` is a string (even when the
    /// line is refused: an unknown command, a missing or mistyped field), and the command or why it is none.
    public struct DecodedLine {
        public let name: String?
        public let command: Result<Command, any Error>
    }

    /// Reads one JSON line of `stock apply` as ``init(jsonLine:today:)`` does, keeping the name it gives for
    /// the answer to a refused line, so the line is parsed once.
    public static func decode(jsonLine text: String, today: Day? = nil) -> DecodedLine {
        let probe: JSONFields
        do {
            probe = try JSONFields(parsing: text, context: "command")
        } catch {
            return DecodedLine(name: nil, command: .failure(error))
        }
        let name: String? = if case .string(let named)? = probe.object["command"] { named } else { nil }
        do {
            return DecodedLine(name: name, command: .success(try Command(fields: probe, today: today)))
        } catch {
            return DecodedLine(name: name, command: .failure(error))
        }
    }

    /// The command of a parsed JSON line (`probe`, whose `command` names it).
    private init(fields probe: JSONFields, today: Day?) throws {
        let name = try probe.string("command")
        let fields = JSONFields(object: probe.object, context: name)
        guard let kind = Kind(rawValue: name) else {
            throw InputError(
                message: "unknown command \(Validation.shown(name)) (expected "
                    + Command.names.dropLast().joined(separator: ", ") + " or " + (Command.names.last ?? "") + ")")
        }
        switch kind {
        case .createBatch:
            try fields.checkKeys(today == nil ? Keys.createBatch : Keys.createBatchInDays)
            let eta = try Command.eta(fields, today: today)
            self = .createBatch(
                CreateBatch(
                    ref: try fields.string("ref"), sku: try fields.string("sku"), qty: try fields.integer("qty"),
                    eta: eta))
        case .allocate:
            try fields.checkKeys(Keys.allocate)
            self = .allocate(
                Allocate(
                    orderid: try fields.string("orderid"), sku: try fields.string("sku"),
                    qty: try fields.integer("qty")))
        case .changeBatchQuantity:
            try fields.checkKeys(Keys.changeBatchQuantity)
            self = .changeBatchQuantity(
                ChangeBatchQuantity(
                    ref: try fields.string("ref"), qty: try fields.integer("qty"),
                    expectedVersion: try fields.optionalInteger("expectedVersion")))
        case .deallocate:
            try fields.checkKeys(Keys.deallocate)
            self = .deallocate(Deallocate(orderid: try fields.string("orderid"), sku: try fields.string("sku")))
        case .receiveBatch:
            try fields.checkKeys(Keys.receiveBatch)
            self = .receiveBatch(
                ReceiveBatch(
                    ref: try fields.string("ref"), qty: try fields.optionalInteger("qty"),
                    restEta: try fields.optionalString("restEta").map { try Validation.day($0, field: "restEta") },
                    expectedVersion: try fields.optionalInteger("expectedVersion")))
        case .changeBatchEta:
            try fields.checkKeys(today == nil ? Keys.changeBatchEta : Keys.changeBatchEtaInDays)
            guard let eta = try Command.eta(fields, today: today) else {
                throw InputError(message: "\(name): missing field \"eta\"")
            }
            self = .changeBatchEta(ChangeBatchEta(ref: try fields.string("ref"), eta: eta))
        case .ship:
            try fields.checkKeys(Keys.ship)
            self = .ship(
                Ship(
                    orderid: try fields.string("orderid"), sku: try fields.optionalString("sku"),
                    partial: fields.has("partial") ? try fields.bool("partial") : false))
        case .moveLine:
            try fields.checkKeys(Keys.moveLine)
            self = .moveLine(
                MoveLine(
                    orderid: try fields.string("orderid"), sku: try fields.string("sku"),
                    batchref: try fields.string("batchref")))
        case .allocateWaiting:
            try fields.checkKeys(Keys.allocateWaiting)
            self = .allocateWaiting(AllocateWaiting(sku: try fields.optionalString("sku")))
        case .cancelOrder:
            try fields.checkKeys(Keys.cancelOrder)
            self = .cancelOrder(CancelOrder(orderid: try fields.string("orderid")))
        case .changeLine:
            try fields.checkKeys(Keys.changeLine)
            self = .changeLine(
                ChangeLine(
                    orderid: try fields.string("orderid"), sku: try fields.string("sku"),
                    qty: try fields.integer("qty")))
        case .unreceiveBatch:
            try fields.checkKeys(Keys.unreceiveBatch)
            self = .unreceiveBatch(UnreceiveBatch(ref: try fields.string("ref")))
        case .voidBatch:
            try fields.checkKeys(Keys.voidBatch)
            self = .voidBatch(VoidBatch(ref: try fields.string("ref")))
        case .replan:
            try fields.checkKeys(Keys.replan)
            self = .replan(
                Replan(
                    sku: try fields.optionalString("sku"),
                    dryRun: fields.has("dryRun") ? try fields.bool("dryRun") : false))
        }
    }

    /// The `eta` field, or `etaInDays` from `today` when that is given.
    private static func eta(_ fields: JSONFields, today: Day?) throws -> Day? {
        if let today, fields.has("etaInDays") {
            return today.adding(days: try fields.integer("etaInDays"))
        }
        return try fields.optionalString("eta").map { try Validation.day($0) }
    }
}

/// The fields each command accepts, built once rather than for every line read.
private enum Keys {
    static let createBatch: Set<String> = ["command", "ref", "sku", "qty", "eta"]
    static let createBatchInDays = createBatch.union(["etaInDays"])
    static let changeBatchEta: Set<String> = ["command", "ref", "eta"]
    static let changeBatchEtaInDays = changeBatchEta.union(["etaInDays"])
    static let allocate: Set<String> = ["command", "orderid", "sku", "qty"]
    static let changeBatchQuantity: Set<String> = ["command", "ref", "qty", "expectedVersion"]
    static let deallocate: Set<String> = ["command", "orderid", "sku"]
    static let receiveBatch: Set<String> = ["command", "ref", "qty", "restEta", "expectedVersion"]
    static let ship: Set<String> = ["command", "orderid", "sku", "partial"]
    static let moveLine: Set<String> = ["command", "orderid", "sku", "batchref"]
    static let allocateWaiting: Set<String> = ["command", "sku"]
    static let cancelOrder: Set<String> = ["command", "orderid"]
    static let changeLine: Set<String> = ["command", "orderid", "sku", "qty"]
    static let unreceiveBatch: Set<String> = ["command", "ref"]
    static let voidBatch: Set<String> = ["command", "ref"]
    static let replan: Set<String> = ["command", "sku", "dryRun"]
}
