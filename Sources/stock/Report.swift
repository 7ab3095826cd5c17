import Allocation

/// What a command did, in the words the command line prints and the fields `apply` answers with.
///
/// One place for both, so a line that moved, waits, was filled or shipped reads the same in a terminal and in a
/// script's JSON.
extension Outcome {
    /// The lines `stock` prints on standard output for `command`'s outcome: the reference or batch a script
    /// captures first (an allocation as `allocated ORDERID SKU xQTY to BATCH`), then each line that moved, waits,
    /// was filled, shipped or cancelled.
    func reportLines(for command: Command) -> [String] {
        switch self {
        case .batchCreated(let reference, let sku, let skuIsNew, let filled, _):
            return [reference] + (skuIsNew ? ["new SKU \(sku) created"] : []) + filled.map(\.filledLine)
        case .allocated(let batchReference, _):
            return [Outcome.allocatedLine(command).map { "allocated \($0) to \(batchReference)" } ?? batchReference]
        case .waiting(let orderid, let sku, let qty, _):
            return ["waiting: \(orderid) \(sku) x\(qty) (out of stock for \(sku))"]
        case .quantityChanged(_, let moved, let filled, _):
            return moved.map(\.reportLine) + filled.map(\.filledLine)
        case .deallocated(let batchReference, let filled):
            return [batchReference] + filled.map(\.filledLine)
        case .cancelled(let orderid, let sku, let qty):
            return ["cancelled \(orderid) \(sku) x\(qty) (it was waiting)"]
        case .received(let reference, let qty, let moved, let filled):
            return ["received \(reference) x\(qty)"] + moved.map(\.reportLine) + filled.map(\.filledLine)
        case .etaChanged(let reference, let eta, _):
            return ["\(reference) due \(eta)"]
        case .shipped(let lines):
            return lines.map { "shipped \($0.orderid) \($0.sku) x\($0.qty) from \($0.batchref)" }
        case .moved(let orderid, let sku, let from, let to, let filled):
            return ["moved \(orderid) \(sku) from \(from ?? "waiting") to \(to)"] + filled.map(\.filledLine)
        case .allocatedWaiting(let filled):
            return filled.map(\.filledLine)
        }
    }

    /// `ORDERID SKU xQTY` of an `Allocate` command, in the canonical form the line is stored in; nil for another.
    private static func allocatedLine(_ command: Command) -> String? {
        guard case .allocate(let line) = command.normalized else { return nil }
        return "\(line.orderid) \(line.sku) x\(line.qty)"
    }

    /// A remark for standard error when `command` changed nothing, else nil.
    func unchangedNote(for command: Command) -> String? {
        switch self {
        case .allocated(let batchReference, true):
            (Outcome.allocatedLine(command).map { "\($0) was already allocated to \(batchReference)" }
                ?? "already allocated") + "; nothing changed"
        case .etaChanged(let reference, _, false): "\(reference) already had that ETA; nothing changed"
        case .batchCreated(let reference, _, _, _, true): "batch \(reference) was already there; nothing changed"
        case .waiting(let orderid, let sku, _, false): "\(orderid) \(sku) was already waiting; nothing changed"
        case .quantityChanged(let reference, _, _, false):
            "\(reference) already had that quantity; nothing changed"
        case .allocatedWaiting(let filled) where filled.isEmpty: "no waiting line fits a batch; nothing changed"
        default: nil
        }
    }

    /// `apply`'s `status`: `allocated`, `waiting` (accepted, a line waits for stock), `cancelled` or `done`.
    var status: String {
        if leftLinesWaiting { return "waiting" }
        switch self {
        case .allocated: return "allocated"
        case .cancelled: return "cancelled"
        default: return "done"
        }
    }

    /// Adds the outcome of `command` to an `apply` answer. The fields of the four original commands keep their
    /// names (`ref`, `batchref`, `alreadyAllocated`, `moved` as a count); the line an allocation placed and lists
    /// of lines are added beside them.
    func describe(_ command: Command, into json: inout JSONObjectWriter) {
        switch self {
        case .batchCreated(let reference, let sku, let skuIsNew, let filled, _):
            json.add("ref", reference)
            json.add("sku", sku)
            json.add("newSku", skuIsNew)
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .allocated(let batchReference, let wasAlreadyAllocated):
            json.add("batchref", batchReference)
            if case .allocate(let line) = command.normalized {
                json.add("orderid", line.orderid)
                json.add("sku", line.sku)
                json.add("qty", line.qty)
            }
            json.add("alreadyAllocated", wasAlreadyAllocated)
        case .waiting(let orderid, let sku, let qty, _), .cancelled(let orderid, let sku, let qty):
            json.add("batchref", nil)
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
        case .quantityChanged(let reference, let moved, let filled, _):
            json.add("ref", reference)
            describe(moved: moved, filled: filled, into: &json)
        case .deallocated(let batchReference, let filled):
            json.add("batchref", batchReference)
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .received(let reference, let qty, let moved, let filled):
            json.add("ref", reference)
            json.add("qty", qty)
            describe(moved: moved, filled: filled, into: &json)
        case .etaChanged(let reference, let eta, _):
            json.add("ref", reference)
            json.add("eta", eta.description)
        case .shipped(let lines):
            json.addRaw("shipped", jsonArray(lines.map(\.json)))
        case .moved(let orderid, let sku, let from, let to, let filled):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("from", from)
            json.add("to", to)
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .allocatedWaiting(let filled):
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        }
        if let notice { json.add("message", notice) }
    }

    /// `moved` (how many lines left the batch), `moves` (each, `to` null when it waits) and `filled`.
    private func describe(moved: [Move], filled: [LineOnBatch], into json: inout JSONObjectWriter) {
        json.add("moved", moved.count)
        json.addRaw("moves", jsonArray(moved.map(\.json)))
        json.addRaw("filled", jsonArray(filled.map(\.json)))
    }
}

extension Move {
    /// `moved OLD-1 TV x8 from W-1 to W-2`, or `… to waiting` when no batch could take it.
    var reportLine: String {
        "moved \(orderid) \(sku) x\(qty) from \(from) to \(to ?? "waiting")"
    }

    /// `{"orderid","sku","qty","from","to"}`, `to` null when the line waits.
    var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("sku", sku)
        json.add("qty", qty)
        json.add("from", from)
        json.add("to", to)
        return json.text
    }
}

extension LineOnBatch {
    /// `filled NEW-2 TV x3 from B-9`: a waiting line that got stock.
    var filledLine: String {
        "filled \(orderid) \(sku) x\(qty) from \(batchref)"
    }

    /// `{"orderid","sku","qty","batchref"}`.
    var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("sku", sku)
        json.add("qty", qty)
        json.add("batchref", batchref)
        return json.text
    }
}
