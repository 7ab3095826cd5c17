/// What `import` asks of the use cases beyond what typing a command does: an exported line's waiting time kept,
/// and an updated advance shipping notice applied to batches that exist.
extension Services {
    /// When a new line of `command` starts waiting, and whether a ``Allocate/waitingSince`` it gave was not kept.
    ///
    /// The waiting queue is in the order lines arrived, so a given time is kept only when no waiting line of the
    /// SKU started waiting after it: ages then stay in the queue's order. Else, and without one, it is now.
    ///
    /// - Throws: `ContractViolation` for a time after now.
    static func waitingStart(
        of command: Allocate, context: Context, in db: Database
    ) throws -> (since: String, restarted: Bool) {
        guard let given = command.waitingSince else { return (context.now, false) }
        try require(given <= context.now, "waiting_since \(given) is in the future (it is \(context.now))")
        let youngest = try db.queryOne(youngestWaitingSQL, command.sku) { $0.optionalText(0) } ?? nil
        if let youngest, youngest > given { return (context.now, true) }
        return (given, false)
    }

    /// Sets `batch`'s quantity and ETA to `command`'s, in this transaction: ``changeBatchQuantity(_:context:in:)``
    /// then ``changeBatchEta(_:context:in:)``, each with its rules, so a refusal of either changes nothing. The
    /// outcome is the quantity change's (the ETA change's delays added), or the ETA change's alone.
    ///
    /// - Throws: `ContractViolation` when `command` has no ETA for a batch that is arriving (that would be a
    ///   receipt, which `receive` records); what either change throws (`alreadyInWarehouse` for an ETA given to
    ///   a batch in the warehouse).
    static func update(
        _ batch: Batch, to command: CreateBatch, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        try require(
            command.eta != nil || batch.eta == nil,
            "batch \(command.ref) is arriving on \(batch.eta?.description ?? ""): an empty eta would mean it is in the "
                + "warehouse; record that with receive")
        var outcome: Outcome?
        var events: [Event] = []
        if batch.purchased != command.qty {
            let (changed, changeEvents) = try changeBatchQuantity(
                ChangeBatchQuantity(ref: command.ref, qty: command.qty), context: context, in: db)
            outcome = changed
            events += changeEvents
        }
        if let eta = command.eta, eta != batch.eta {
            let (changed, changeEvents) = try changeBatchEta(
                ChangeBatchEta(ref: command.ref, eta: eta), context: context, in: db)
            events += changeEvents
            if case .quantityChanged(let reference, let moved, let filled, let wasChanged, let delayed)? = outcome,
                case .etaChanged(_, _, _, let etaDelayed) = changed
            {
                outcome = .quantityChanged(
                    reference: reference, moved: moved, filled: filled, wasChanged: wasChanged,
                    delayed: delayed + etaDelayed)
            } else {
                outcome = changed
            }
        }
        guard let outcome else { throw AllocationError.duplicateBatch(command.ref) }
        return (outcome, events)
    }

    private static let youngestWaitingSQL = SQL(
        "SELECT max(waiting_since) FROM order_lines WHERE sku = ? AND waiting_since IS NOT NULL")
}

extension Validation {
    /// Checks a waiting time given by `import`: a timestamp in UTC as ``Clock/timestamp()`` writes it,
    /// `2026-11-25T19:45:00.123Z`, so that times compare as text.
    ///
    /// - Throws: `ContractViolation` naming the value.
    static func checkWaitingSince(_ value: String) throws {
        let bytes = Array(value.utf8)
        func number(_ at: Int, _ width: Int = 2) -> Int? {
            let digits = bytes[at..<at + width]
            guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(String(decoding: digits, as: UTF8.self))
        }
        let isTimestamp =
            bytes.count == 24 && Day(String(decoding: bytes[0..<10], as: UTF8.self)) != nil
            && bytes[10] == UInt8(ascii: "T") && bytes[13] == UInt8(ascii: ":") && bytes[16] == UInt8(ascii: ":")
            && bytes[19] == UInt8(ascii: ".") && bytes[23] == UInt8(ascii: "Z")
            && (number(11).map { $0 < 24 } ?? false) && (number(14).map { $0 < 60 } ?? false)
            && (number(17).map { $0 < 60 } ?? false) && number(20, 3) != nil
        try require(isTimestamp, "waiting_since \(shown(value)) is not a time in UTC YYYY-MM-DDTHH:MM:SS.sssZ")
    }
}
