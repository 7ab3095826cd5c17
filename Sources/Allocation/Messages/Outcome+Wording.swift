/// What an outcome says, worded once for every front end: the command line prints ``Outcome/lines(for:)`` and the
/// ``Outcome/unchangedNote(for:)``, the console's status line is ``Outcome/statusLine(for:)``, and `apply`'s
/// `message` is ``Outcome/notice``, in the notification's words.
extension Outcome {
    /// The lines `stock` prints on standard output for `command`'s outcome: the reference or batch a script
    /// captures first (an allocation as `allocated ORDERID SKU xQTY to BATCH`), then each line that moved, waits,
    /// was filled, shipped or cancelled.
    public func lines(for command: Command) -> [String] {
        let said = wording(for: command)
        return (said.reference.map { [$0] } ?? []) + said.lines
    }

    /// A remark for when `command` changed nothing, e.g. `S-1 already had that ETA; nothing changed`; nil when it
    /// changed something.
    public func unchangedNote(for command: Command) -> String? {
        switch self {
        case .allocated(let batchReference, true, _):
            (Outcome.allocatedLine(command).map { "\($0) was already allocated to \(batchReference)" }
                ?? "already allocated") + "; nothing changed"
        case .allocatedInPieces(let orderid, let sku, let qty, let pieces, _, true, _, _):
            "\(orderid) \(sku) x\(qty) was already allocated in \(pieces.count) pieces; nothing changed"
        case .etaChanged(let reference, _, false, _): "\(reference) already had that ETA; nothing changed"
        case .batchCreated(let reference, _, _, _, true): "batch \(reference) was already there; nothing changed"
        case .waiting(let orderid, let sku, _, false, _, _): "\(orderid) \(sku) was already waiting; nothing changed"
        case .quantityChanged(let reference, _, _, false, _):
            "\(reference) already had that quantity; nothing changed"
        case .allocatedWaiting(let filled) where filled.isEmpty: "no waiting line fits a batch; nothing changed"
        case .orderCancelled(let orderid, let lines, _) where lines.isEmpty:
            "order \(orderid) has no open line; nothing changed"
        case .lineChanged(let orderid, let sku, _, let qty, _, _, _, false):
            "\(orderid) \(sku) already has quantity \(qty); nothing changed"
        case .replanned(let lines, _) where lines.isEmpty:
            "no allocated line completes sooner elsewhere; nothing changed"
        default: nil
        }
    }

    /// The outcome in one line, as the console's status line says it: the remark when nothing changed, else the
    /// ``lines(for:)`` joined by `; `, a bare reference said in words (`batch B-1 created`).
    public func statusLine(for command: Command) -> String {
        if let note = unchangedNote(for: command) { return note }
        let said = wording(for: command)
        return ((said.headline.map { [$0] } ?? []) + said.lines).joined(separator: "; ")
    }

    /// What the operator reads about a line left waiting, e.g. `Out of stock for TV: order OLD-1 waits for 8`, one
    /// sentence per line; nil when no line waits.
    public var notice: String? {
        switch self {
        case .waiting(let orderid, let sku, let qty, _, nil, _):
            return Outcome.outOfStockMessage(sku: sku, orderid: orderid, qty: qty)
        case .waiting(let orderid, let sku, let qty, _, let room?, _):
            return "\(sku) is in stock only in pieces: order \(orderid) waits for \(qty) (\(room.reason(qty: qty)))"
        case .allocatedInPieces(let orderid, let sku, _, _, let waiting, false, _, _) where waiting > 0,
            .lineChanged(let orderid, let sku, _, _, _, let waiting, _, true) where waiting > 0:
            return Outcome.outOfStockMessage(sku: sku, orderid: orderid, qty: waiting)
        case .quantityChanged(_, let moved, _, _, _), .received(_, _, let moved, _, _),
            .receivedWithRest(_, _, _, let moved, _, _), .unreceived(_, _, _, _, let moved, _),
            .batchVoided(_, let moved, _):
            let waiting = moved.filter { $0.to == nil }
            guard !waiting.isEmpty else { return nil }
            return waiting.map { Outcome.outOfStockMessage(sku: $0.sku, orderid: $0.orderid, qty: $0.qty) }
                .joined(separator: "; ")
        case .batchCreated, .allocated, .allocatedInPieces, .deallocated, .cancelled, .etaChanged, .shipped, .moved,
            .allocatedWaiting, .orderCancelled, .lineChanged, .replanned:
            return nil
        }
    }

    /// The notification of an `OrdersDelayed` event, one clause a line, e.g. `Batch S-1 delays order WEB-6 TV x2:
    /// 2026-12-09 → 2026-12-15`.
    public static func delayedMessage(ref: String, delayed: [Delay]) -> String {
        "Batch \(ref) delays "
            + delayed.map {
                "order \($0.orderid) \($0.sku) x\($0.qty): \($0.from) → \($0.to?.description ?? "waiting")"
            }
            .joined(separator: "; ")
    }

    /// The one wording of out of stock, shown to the operator and sent as the notification; `orderid` and `qty`
    /// are nil only for events recorded before they were kept.
    static func outOfStockMessage(sku: String, orderid: String?, qty: Int?) -> String {
        guard let orderid, let qty else { return "Out of stock for \(sku)" }
        return "Out of stock for \(sku): order \(orderid) waits for \(qty)"
    }

    /// An outcome's words: the `reference` a script captures, which the command line prints first and the status
    /// line says as the `headline` instead, then the `lines` both say.
    private struct Wording {
        var reference: String? = nil
        var headline: String? = nil
        var lines: [String]
    }

    private func wording(for command: Command) -> Wording {
        switch self {
        case .batchCreated(let reference, let sku, let skuIsNew, let filled, _):
            return Wording(
                reference: reference, headline: "batch \(reference) created",
                lines: (skuIsNew ? ["new SKU \(sku) created"] : []) + filled.map(\.filledLine))
        case .allocated(let batchReference, _, let daysLate):
            let batch = batchReference + Outcome.lateness(daysLate)
            guard let line = Outcome.allocatedLine(command) else {
                return Wording(reference: batchReference, headline: "allocated to \(batch)", lines: [])
            }
            return Wording(lines: ["allocated \(line) to \(batch)"])
        case .waiting(let orderid, let sku, let qty, _, let room, _):
            let why = room.map { $0.reason(qty: qty) } ?? "out of stock for \(sku)"
            return Wording(lines: ["waiting: \(orderid) \(sku) x\(qty) (\(why))"])
        case .allocatedInPieces(let orderid, let sku, let qty, let pieces, let waiting, _, let daysLate, _):
            let placed = pieces.map {
                "x\($0.qty) from \($0.batchref)" + Outcome.lateness(daysLate[$0.batchref] ?? 0)
            }.joined(separator: ", ")
            let allocated = waiting == 0 ? "x\(qty)" : "x\(qty - waiting) of \(qty)"
            return Wording(
                lines: ["allocated \(orderid) \(sku) \(allocated): \(placed)"]
                    + (waiting > 0 ? ["waiting: \(orderid) \(sku) x\(waiting) (out of stock for \(sku))"] : []))
        case .quantityChanged(let reference, let moved, let filled, _, let delayed):
            return Wording(
                headline: "\(reference) quantity changed",
                lines: moved.map(\.reportLine) + filled.map(\.filledLine) + delayed.map(\.reportLine))
        case .deallocated(let batchReference, let filled, _, let cancelled, let shipped):
            let headline =
                if case .deallocate(let line) = command.normalized {
                    "deallocated \(line.orderid) \(line.sku) from \(batchReference)"
                } else {
                    "deallocated from \(batchReference)"
                }
            let rest =
                (cancelled > 0 ? ["cancelled the x\(cancelled) of it that was waiting"] : [])
                + (shipped > 0 ? ["the x\(shipped) of it shipped before stays shipped"] : [])
            return Wording(reference: batchReference, headline: headline, lines: rest + filled.map(\.filledLine))
        case .cancelled(let orderid, let sku, let qty, let shipped):
            return Wording(
                lines: ["cancelled \(orderid) \(sku) x\(qty) (it was waiting)"]
                    + (shipped > 0 ? ["the x\(shipped) of it shipped before stays shipped"] : []))
        case .received(let reference, let qty, let moved, let filled, let delayed):
            return Wording(
                lines: ["received \(reference) x\(qty)"] + moved.map(\.reportLine) + filled.map(\.filledLine)
                    + delayed.map(\.reportLine))
        case .etaChanged(let reference, let eta, _, let delayed):
            return Wording(lines: ["\(reference) due \(eta)"] + delayed.map(\.reportLine))
        case .shipped(let lines, let open):
            return Wording(
                lines: lines.map { "shipped \($0.orderid) \($0.sku) x\($0.qty) from \($0.batchref)" }
                    + open.map(\.reportLine))
        case .moved(let orderid, let sku, let from, let to, let filled):
            return Wording(
                lines: ["moved \(orderid) \(sku) from \(from ?? "waiting") to \(to)"] + filled.map(\.filledLine))
        case .allocatedWaiting(let filled):
            return Wording(lines: filled.map(\.filledLine))
        case .orderCancelled(let orderid, let lines, let filled):
            return Wording(
                headline: "order \(orderid) cancelled",
                lines: lines.map { $0.reportLine(orderid: orderid) } + filled.map(\.filledLine))
        case .lineChanged(let orderid, let sku, let from, let to, let pieces, let waiting, let filled, _):
            let placed = pieces.map { "x\($0.qty) from \($0.batchref)" }.joined(separator: ", ")
            return Wording(
                lines: ["changed \(orderid) \(sku) from x\(from) to x\(to)" + (placed.isEmpty ? "" : ": \(placed)")]
                    + (waiting > 0 ? ["waiting: \(orderid) \(sku) x\(waiting) (out of stock for \(sku))"] : [])
                    + filled.map(\.filledLine))
        case .receivedWithRest(let reference, let qty, let rest, let moved, let filled, let delayed):
            return Wording(
                lines: ["received \(reference) x\(qty)", "rest \(rest.reference) x\(rest.qty) arriving \(rest.eta)"]
                    + moved.map(\.reportLine) + filled.map(\.filledLine) + delayed.map(\.reportLine))
        case .unreceived(let reference, let qty, let eta, let removedRest, let moved, let filled):
            return Wording(
                lines: ["unreceived \(reference): arriving \(eta) with x\(qty)"]
                    + (removedRest.map { ["rest batch \($0) folded back into \(reference)"] } ?? [])
                    + moved.map(\.reportLine) + filled.map(\.filledLine))
        case .batchVoided(let reference, let moved, let filled):
            return Wording(lines: ["voided \(reference)"] + moved.map(\.reportLine) + filled.map(\.filledLine))
        case .replanned(let lines, let dryRun):
            return Wording(lines: lines.map { (dryRun ? "would move " : "moved ") + $0.reportLine })
        }
    }

    /// ` (2 days late)` after a batch `days` days late; nothing for a batch that is not late.
    static func lateness(_ days: Int) -> String {
        guard days > 0 else { return "" }
        return days == 1 ? " (1 day late)" : " (\(days) days late)"
    }

    /// `ORDERID SKU xQTY` of an `Allocate` command, in the canonical form the line is stored in; nil for another.
    private static func allocatedLine(_ command: Command) -> String? {
        guard case .allocate(let line) = command.normalized else { return nil }
        return "\(line.orderid) \(line.sku) x\(line.qty)"
    }
}

extension CancelledLine {
    /// `cancelled O1 TV x60: freed x40 from B1, x10 from S1, x10 was waiting`, and what shipped before stays.
    func reportLine(orderid: String) -> String {
        let parts =
            pieces.map { "freed x\($0.qty) from \($0.batchref)" } + (waiting > 0 ? ["x\(waiting) was waiting"] : [])
            + (shipped > 0 ? ["the x\(shipped) shipped before stays shipped"] : [])
        return "cancelled \(orderid) \(sku) x\(qty): " + parts.joined(separator: ", ")
    }
}

extension OpenRest {
    /// `O1 TV x60 stays open: x40 on arriving batch B4, x20 waiting`.
    var reportLine: String {
        let parts =
            pieces.map { "x\($0.qty) on arriving batch \($0.batchref)" } + (waiting > 0 ? ["x\(waiting) waiting"] : [])
        return "\(orderid) \(sku) x\(qty) stays open: \(parts.joined(separator: ", "))"
    }
}

extension ReplannedLine {
    /// `O-1 TV x30 from SHIP-9 to W-2: complete 2026-03-02 instead of 2026-03-20`; a line in pieces names each
    /// (`W-1 x10 + SHIP-8 x20`). A re-plan never makes a line later, so a day before the new one was a late
    /// batch's ETA, said so: `instead of 2026-03-20 (late)`.
    var reportLine: String {
        func said(_ pieces: [Piece]) -> String {
            pieces.map { pieces.count == 1 ? $0.batchref : "\($0.batchref) x\($0.qty)" }.joined(separator: " + ")
        }
        let was = wasDay < day ? "\(wasDay) (late)" : "\(wasDay)"
        return "\(orderid) \(sku) x\(qty) from \(said(from)) to \(said(to)): complete \(day) instead of \(was)"
    }
}

extension Move {
    /// `moved OLD-1 TV x8 from W-1 to W-2`, or `… to waiting` when no batch could take it.
    var reportLine: String {
        "moved \(orderid) \(sku) x\(qty) from \(from) to \(to ?? "waiting")"
    }
}

extension LineOnBatch {
    /// `filled NEW-2 TV x3 from B-9`: a waiting line that got stock.
    var filledLine: String {
        "filled \(orderid) \(sku) x\(qty) from \(batchref)"
    }
}

extension WaitingRoom {
    /// Why a line the SKU could cover in pieces waits, e.g. `no single batch can take 100; 120 available in 3
    /// batches; splitLines is never`.
    func reason(qty: Int) -> String {
        "no single batch can take \(qty); \(available) available in \(batches) "
            + (batches == 1 ? "batch" : "batches") + "; splitLines is never"
    }
}
