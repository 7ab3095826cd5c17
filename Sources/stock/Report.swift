import Allocation

/// What a command did, in the fields `apply` answers with; its words are the core's (``Outcome/lines(for:)``), so a
/// line that moved, waits, was filled or shipped reads the same in a terminal, the console and a script's JSON.
extension Outcome {
    /// `apply`'s `status`: `allocated`, `waiting` (accepted, a line waits for stock), `cancelled` or `done`.
    var status: String {
        if leftLinesWaiting { return "waiting" }
        switch self {
        case .allocated, .allocatedInPieces: return "allocated"
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
        case .allocated(let batchReference, let wasAlreadyAllocated, _):
            json.add("batchref", batchReference)
            if case .allocate(let line) = command.normalized {
                json.add("orderid", line.orderid)
                json.add("sku", line.sku)
                json.add("qty", line.qty)
                json.addRaw("pieces", jsonArray([Piece(batchref: batchReference, qty: line.qty).json]))
                json.add("waiting", 0)
            }
            json.add("alreadyAllocated", wasAlreadyAllocated)
        case .allocatedInPieces(let orderid, let sku, let qty, let pieces, let waiting, let wasAlreadyAllocated, _, _):
            json.add("batchref", pieces.count == 1 && waiting == 0 ? pieces[0].batchref : nil)
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            json.addRaw("pieces", jsonArray(pieces.map(\.json)))
            json.add("waiting", waiting)
            json.add("alreadyAllocated", wasAlreadyAllocated)
        case .waiting(let orderid, let sku, let qty, _, _, _):
            json.add("batchref", nil)
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
            json.addRaw("pieces", "[]")
            json.add("waiting", qty)
        case .cancelled(let orderid, let sku, let qty, _):
            json.add("batchref", nil)
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("qty", qty)
        case .quantityChanged(let reference, let moved, let filled, _, let delayed):
            json.add("ref", reference)
            describe(moved: moved, filled: filled, into: &json)
            json.addRaw("delayed", jsonArray(delayed.map(\.json)))
        case .deallocated(let batchReference, let filled, let pieces, let cancelled, _):
            json.add("batchref", pieces.count > 1 ? nil : batchReference)
            if pieces.count > 1 { json.addRaw("pieces", jsonArray(pieces.map(\.json))) }
            if cancelled > 0 { json.add("cancelled", cancelled) }
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .received(let reference, let qty, let moved, let filled, let delayed):
            json.add("ref", reference)
            json.add("qty", qty)
            describe(moved: moved, filled: filled, into: &json)
            json.addRaw("delayed", jsonArray(delayed.map(\.json)))
        case .etaChanged(let reference, let eta, _, let delayed):
            json.add("ref", reference)
            json.add("eta", eta.description)
            json.addRaw("delayed", jsonArray(delayed.map(\.json)))
        case .shipped(let lines, let open):
            json.addRaw("shipped", jsonArray(lines.map(\.json)))
            json.addRaw("open", jsonArray(open.map(\.json)))
        case .moved(let orderid, let sku, let from, let to, let filled):
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("from", from)
            json.add("to", to)
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .allocatedWaiting(let filled):
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .orderCancelled(let orderid, let lines, let filled):
            json.add("orderid", orderid)
            json.addRaw("cancelled", jsonArray(lines.map(\.json)))
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .lineChanged(let orderid, let sku, let from, let to, let pieces, let waiting, let filled, _):
            json.add("batchref", pieces.count == 1 && waiting == 0 ? pieces[0].batchref : nil)
            json.add("orderid", orderid)
            json.add("sku", sku)
            json.add("from", from)
            json.add("qty", to)
            json.addRaw("pieces", jsonArray(pieces.map(\.json)))
            json.add("waiting", waiting)
            json.addRaw("filled", jsonArray(filled.map(\.json)))
        case .receivedWithRest(let reference, let qty, let rest, let moved, let filled, let delayed):
            json.add("ref", reference)
            json.add("qty", qty)
            json.addRaw("rest", rest.json)
            describe(moved: moved, filled: filled, into: &json)
            json.addRaw("delayed", jsonArray(delayed.map(\.json)))
        case .unreceived(let reference, let qty, let eta, let removedRest, let moved, let filled):
            json.add("ref", reference)
            json.add("qty", qty)
            json.add("eta", eta.description)
            json.add("removedRest", removedRest)
            describe(moved: moved, filled: filled, into: &json)
        case .batchVoided(let reference, let moved, let filled):
            json.add("ref", reference)
            describe(moved: moved, filled: filled, into: &json)
        case .replanned(let lines, let dryRun):
            json.add("dryRun", dryRun)
            json.addRaw("replanned", jsonArray(lines.map(\.json)))
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

extension ReplannedLine {
    /// `{"orderid","sku","qty","from":[{"batchref","qty"}],"to":[...],"was","now"}`: the days it was and is now
    /// expected complete.
    var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("sku", sku)
        json.add("qty", qty)
        json.addRaw("from", jsonArray(from.map(\.json)))
        json.addRaw("to", jsonArray(to.map(\.json)))
        json.add("was", wasDay.description)
        json.add("now", day.description)
        return json.text
    }
}

extension RestBatch {
    /// `{"ref","qty","eta"}`: the arriving batch a short receipt's rest became.
    var json: String {
        var json = JSONObjectWriter()
        json.add("ref", reference)
        json.add("qty", qty)
        json.add("eta", eta.description)
        return json.text
    }
}

extension LineOnBatch {
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

extension Piece {
    /// `{"batchref","qty"}`.
    var json: String {
        var json = JSONObjectWriter()
        json.add("batchref", batchref)
        json.add("qty", qty)
        return json.text
    }
}

extension CancelledLine {
    /// `{"sku","qty","pieces":[{"batchref","qty"}],"waiting","shipped"}`: the open quantity cancelled, the pieces
    /// freed, the part that was waiting and the part shipped before.
    var json: String {
        var json = JSONObjectWriter()
        json.add("sku", sku)
        json.add("qty", qty)
        json.addRaw("pieces", jsonArray(pieces.map(\.json)))
        json.add("waiting", waiting)
        json.add("shipped", shipped)
        return json.text
    }
}

extension OpenRest {
    /// `{"orderid","sku","qty","pieces":[{"batchref","qty"}],"waiting"}`: what a line shipped in part still has
    /// open.
    var json: String {
        var json = JSONObjectWriter()
        json.add("orderid", orderid)
        json.add("sku", sku)
        json.add("qty", qty)
        json.addRaw("pieces", jsonArray(pieces.map(\.json)))
        json.add("waiting", waiting)
        return json.text
    }
}
