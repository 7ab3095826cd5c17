import Allocation

/// The forms that build the bus's commands, each from the row it acts on.
extension Form {
    /// A field check: the core's rule for an identifier, its message naming `field`.
    static func identifier(_ field: String) -> (String) throws -> Void {
        { try Validation.checkIdentifier($0, field: field) }
    }

    /// `a`: allocate an order line; the SKU comes from the selected row, and on the allocations screen the order
    /// and quantity too (the only quantity the core accepts for an existing line). It opens on the order id from
    /// every screen, its pre-filled value selected, so what is typed or scanned first is the order id.
    /// Once its SKU and quantity are valid, the form says under the quantity where the line would go and when it
    /// would be complete (``Promise/note``). A SKU no product has is said under its field as the field is left,
    /// with the one nearest by spelling (`did you mean RED-LAMP?`).
    static func allocate(orderid: String?, sku: String?, qty: Int? = nil) -> Form {
        var form = Form(
            title: "Allocate", note: "Goes to the preferred batch: in stock, then earliest ETA.",
            fields: [
                Field(label: "Order id", text: orderid ?? "", check: identifier("order id")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(
                    label: "Quantity", text: qty.map(String.init) ?? "", limit: quantityLimit,
                    check: { _ = try Validation.quantity($0) }),
            ]
        ) { values in
            .send(
                .allocate(
                    Allocate(
                        orderid: values["Order id"], sku: values["SKU"],
                        qty: try Validation.quantity(values["Quantity"])
                    )))
        }
        form.placementFields = (sku: 1, qty: 2)
        form.lookupField = 1
        form.lookupCreatesSKU = false
        form.previewRequest = form.placementRequest
        return form
    }

    /// Where a new line would go, as the allocate form says it under the quantity: `goes to B1`, `in 3 pieces:
    /// x40 from B1, x40 from B2, x20 from B3`, `x20 now from B3, x10 waits` (partial), or why it would wait. A long
    /// list of pieces ends with how many more there are, so the note fits the form's two lines.
    static func placementNote(of preview: PlacementPreview, for command: Allocate) -> String {
        let pieces = preview.pieces
        guard !pieces.isEmpty else {
            guard preview.available > 0 else { return "waits: out of stock" }
            let room = "\(preview.available) available in \(preview.batches) batch" + (preview.batches == 1 ? "" : "es")
            return preview.available >= command.qty
                ? "waits: \(room), none takes x\(command.qty) whole" : "waits: \(room)"
        }
        if pieces.count == 1, preview.waiting == 0 { return "goes to \(pieces[0].batchref)" }
        let parts = pieces.enumerated().map { index, piece in
            "x\(piece.qty) " + (preview.waiting > 0 && index == 0 ? "now " : "") + "from \(piece.batchref)"
        }
        func said(_ shown: Int) -> String {
            let more = parts.count - shown
            let list = parts.prefix(shown) + (more > 0 ? ["and \(more) more"] : [])
            let head = preview.waiting > 0 ? "" : "in \(pieces.count) pieces: "
            let tail = preview.waiting > 0 ? ", x\(preview.waiting) waits" : ""
            return head + list.joined(separator: ", ") + tail
        }
        let fitting = (1...parts.count).reversed().first {
            TerminalText.wrap(said($0), width: noteWidth).count <= 2
        }
        return said(fitting ?? 1)
    }

    /// A date field's caution: an ETA before today is accepted but warned about.
    static func pastETA(_ text: String, today: Day) -> String? {
        (try? Validation.day(text))?.pastETAWarning(today: today)
    }

    /// `b`: a new batch; an empty ETA means it is in the warehouse. Its SKU is looked up as it is left, so a SKU
    /// with no product yet is said under the field and the last Enter asks to confirm creating it.
    static func newBatch(sku: String?) -> Form {
        let checkETA: (String) throws -> Void = { if !$0.isEmpty { _ = try Validation.day($0) } }
        var form = Form(
            title: "New batch", note: "Leave ETA empty for stock in the warehouse; else YYYY-MM-DD.",
            fields: [
                Field(label: "Reference", text: "", check: identifier("batch reference")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(label: "Quantity", text: "", limit: quantityLimit, check: { _ = try Validation.quantity($0) }),
                Field(label: "ETA", text: "", limit: dateLimit, check: checkETA),
            ],
            cautions: ["ETA": pastETA]
        ) { values in
            let eta = try values.optional("ETA").map { try Validation.day($0) }
            let qty = try Validation.quantity(values["Quantity"])
            return .send(.createBatch(CreateBatch(ref: values["Reference"], sku: values["SKU"], qty: qty, eta: eta)))
        }
        form.lookupField = 1
        form.previewRequest = form.lookupRequest
        return form
    }

    /// The change-quantity form's note: the batch's quantities as last loaded.
    static func quantities(of row: BatchRow) -> String {
        "\(row.reference) (\(row.sku)): \(row.purchased) purchased, "
            + (row.shipped > 0 ? "\(row.shipped) shipped, " : "") + "\(row.allocated) allocated"
    }

    /// `c`: change the selected batch's purchased quantity. The first Enter shows the preview (which lines
    /// would leave the batch and where each would go); the next Enter confirms exactly that preview.
    static func changeQuantity(of row: BatchRow) -> Form {
        Form(
            title: "Change quantity", note: quantities(of: row), batch: row.reference,
            fields: [
                Field(
                    label: "New quantity", text: "", limit: quantityLimit,
                    check: { _ = try Validation.quantity($0, allowZero: true) })
            ]
        ) { values in
            .preview(
                .quantityChange(
                    ChangeBatchQuantity(
                        ref: row.reference, qty: try Validation.quantity(values["New quantity"], allowZero: true))))
        }
    }

    /// The preview of a quantity change as the form shows it, and the command that confirms it: sent with the
    /// version the preview was computed at, so it is refused if the product changed since.
    static func confirmation(of preview: QuantityChangePreview) -> Confirmation {
        let command = Command.changeBatchQuantity(
            ChangeBatchQuantity(ref: preview.reference, qty: preview.qty, expectedVersion: preview.version))
        guard !preview.moves.isEmpty else {
            return Confirmation(command: command, lines: ["To \(preview.qty): no line leaves \(preview.reference)."])
        }
        let count = preview.moves.count == 1 ? "1 line leaves" : "\(preview.moves.count) lines leave"
        let moves = preview.moves.map { move in
            "  \(move.orderid) \(move.sku) x\(move.qty) " + (move.to.map { "to \($0)" } ?? "waits (no batch has room)")
        }
        return Confirmation(command: command, lines: ["To \(preview.qty): \(count) \(preview.reference):"] + moves)
    }

    /// A field check for an optional identifier: empty, or the core's rule.
    static func optionalIdentifier(_ field: String) -> (String) throws -> Void {
        { if !$0.isEmpty { try Validation.checkIdentifier($0, field: field) } }
    }

    /// `r`: the selected arriving batch is in the warehouse; an empty quantity means all that was ordered came,
    /// and a rest ETA keeps the missing units arriving as a new batch. The first Enter shows the preview (which
    /// lines would leave the batch and where each would go), as `c` does; the next Enter confirms exactly that.
    static func receive(_ row: BatchRow) -> Form {
        Form(
            title: "Receive", note: quantities(of: row), batch: row.reference,
            fields: [
                Field(label: "Reference", text: row.reference, check: identifier("batch reference")),
                Field(
                    label: "Received qty", text: "", limit: quantityLimit,
                    check: { if !$0.isEmpty { _ = try Validation.quantity($0, allowZero: true) } }),
                Field(
                    label: "Rest ETA", text: "", limit: dateLimit,
                    check: { if !$0.isEmpty { _ = try Validation.day($0, field: "rest ETA") } }),
            ],
            cautions: ["Rest ETA": pastETA],
            index: 1
        ) { values in
            let qty = try values.optional("Received qty").map { try Validation.quantity($0, allowZero: true) }
            let restEta = try values.optional("Rest ETA").map { try Validation.day($0, field: "rest ETA") }
            return .preview(.receipt(ReceiveBatch(ref: values["Reference"], qty: qty, restEta: restEta)))
        }
    }

    /// The preview of a receipt as the form shows it, and the command that confirms it: sent with the version the
    /// preview was computed at, so it is refused if the product changed since.
    static func confirmation(of preview: ReceiptPreview) -> Confirmation {
        let command = Command.receiveBatch(
            ReceiveBatch(
                ref: preview.reference, qty: preview.qty, restEta: preview.restEta,
                expectedVersion: preview.version))
        let head = "Receive x\(preview.qty) of \(preview.ordered)"
        let rest = preview.rest.map { ["  rest \($0.reference) x\($0.qty) arriving \($0.eta)"] } ?? []
        guard !preview.moves.isEmpty else {
            return Confirmation(command: command, lines: ["\(head): no line leaves \(preview.reference)."] + rest)
        }
        let count = preview.moves.count == 1 ? "1 line leaves" : "\(preview.moves.count) lines leave"
        let moves = preview.moves.map { move in
            "  \(move.orderid) \(move.sku) x\(move.qty) " + (move.to.map { "to \($0)" } ?? "waits (no batch has room)")
        }
        return Confirmation(command: command, lines: ["\(head): \(count) \(preview.reference):"] + moves + rest)
    }

    /// `e`: a new ETA for the selected arriving batch; its lines stay on it.
    static func changeEta(_ row: BatchRow) -> Form {
        Form(
            title: "Change ETA", note: "\(row.reference) (\(row.sku)): " + (row.eta.map { "due \($0)" } ?? "in stock"),
            fields: [
                Field(label: "Reference", text: row.reference, check: identifier("batch reference")),
                Field(label: "New ETA", text: "", limit: dateLimit, check: { _ = try Validation.day($0) }),
            ],
            cautions: ["New ETA": pastETA],
            index: 1
        ) { values in
            .send(.changeBatchEta(ChangeBatchEta(ref: values["Reference"], eta: try Validation.day(values["New ETA"]))))
        }
    }

    /// `s`: ship an order's allocated lines from the warehouse, or only its line for a SKU; `S` (`partial`):
    /// ship what is in the warehouse now, the rest of each line staying open.
    static func ship(orderid: String?, sku: String?, partial: Bool = false) -> Form {
        Form(
            title: partial ? "Ship what is here" : "Ship",
            note: partial
                ? "Ships the pieces in the warehouse now; the rest of each line stays open. Empty SKU: every line."
                : "Empty SKU ships every allocated line of the order.",
            fields: [
                Field(label: "Order id", text: orderid ?? "", check: identifier("order id")),
                Field(label: "SKU", text: sku ?? "", check: optionalIdentifier("sku")),
            ],
            index: orderid == nil ? 0 : 1
        ) { values in
            .send(.ship(Ship(orderid: values["Order id"], sku: values.optional("SKU"), partial: partial)))
        }
    }

    /// `m`: move an allocated or waiting line to another batch of its SKU. Under the batch field, the SKU's
    /// batches with room (for the line's `qty` when known), but the line's own batch `from`, with their ETA and
    /// availability, to choose with ↑ ↓ and Enter.
    static func move(orderid: String?, sku: String?, batch: String?, qty: Int? = nil, from: String? = nil) -> Form {
        var form = Form(
            title: "Move line", note: "To a batch of the same SKU with room for the line.",
            fields: [
                Field(label: "Order id", text: orderid ?? "", check: identifier("order id")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(label: "To batch", text: batch ?? "", check: identifier("batch reference")),
            ],
            index: orderid == nil ? 0 : 2
        ) { values in
            .send(.moveLine(MoveLine(orderid: values["Order id"], sku: values["SKU"], batchref: values["To batch"])))
        }
        form.batchChoiceFields = BatchChoiceFields(sku: 1, batch: 2, qty: qty, excluding: from)
        return form
    }

    /// `w`: allocate waiting lines oldest first, of one SKU or (empty) of every SKU.
    static func allocateWaiting(sku: String?) -> Form {
        Form(
            title: "Allocate waiting lines", note: "Oldest first, where they fit; empty SKU: every SKU.",
            fields: [Field(label: "SKU", text: sku ?? "", check: optionalIdentifier("sku"))]
        ) { values in
            .send(.allocateWaiting(AllocateWaiting(sku: values.optional("SKU"))))
        }
    }

    /// `R`: re-plan the lines of a SKU (empty: every SKU) to where they complete sooner. The first Enter shows
    /// which lines would move; the next Enter confirms.
    static func replan(sku: String?) -> Form {
        Form(
            title: "Re-plan", note: "Oldest first, to where lines complete sooner; empty SKU: every SKU.",
            fields: [Field(label: "SKU", text: sku ?? "", check: optionalIdentifier("sku"))]
        ) { values in
            .preview(.replan(Replan(sku: values.optional("SKU"))))
        }
    }

    /// The preview of a re-plan as the form shows it, and the command that confirms it.
    static func confirmation(ofReplan lines: [ReplannedLine], sku: String?) -> Confirmation {
        let command = Command.replan(Replan(sku: sku))
        guard !lines.isEmpty else {
            return Confirmation(command: command, lines: ["No line completes sooner elsewhere: nothing to move."])
        }
        let count = lines.count == 1 ? "1 line completes sooner:" : "\(lines.count) lines complete sooner:"
        let moves = lines.map { line in
            let to = line.to.map { line.to.count == 1 ? $0.batchref : "\($0.batchref) x\($0.qty)" }
            return
                "  \(line.orderid) \(line.sku) x\(line.qty) to \(to.joined(separator: " + ")): \(line.day), not \(line.wasDay)"
        }
        return Confirmation(command: command, lines: [count] + moves)
    }

    /// What deallocating a line does, as the deallocate form says it: a shipped line has nothing to free.
    static func deallocation(of row: Views.LineRow) -> String {
        let line = "\(row.orderid) \(row.sku) x\(row.qty)"
        return switch row.status {
        case .allocated(let batchref): "Frees \(line) from \(batchref); Enter to confirm."
        case .waiting: "Cancels the waiting line \(line); Enter to confirm."
        case .shipped(_, let from): "\(line) was shipped from \(from); nothing to free."
        case .cancelled: "\(line) was cancelled; nothing to free."
        }
    }

    /// `d`: deallocate the selected order line; Enter twice confirms.
    static func deallocate(_ row: Views.LineRow) -> Form {
        Form(
            title: "Deallocate", note: deallocation(of: row),
            fields: [
                Field(label: "Order id", text: row.orderid, check: identifier("order id")),
                Field(label: "SKU", text: row.sku, check: identifier("sku")),
            ],
            index: 1
        ) { values in
            .send(.deallocate(Deallocate(orderid: values["Order id"], sku: values["SKU"])))
        }
    }

    /// `c` on the allocations screen: a line's new quantity (what was ordered, a shipped part included); the line
    /// keeps its place in the waiting queue.
    static func changeLine(orderid: String?, sku: String?) -> Form {
        Form(
            title: "Change line",
            note: "New quantity; the line keeps its place in the queue.",
            fields: [
                Field(label: "Order id", text: orderid ?? "", check: identifier("order id")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(
                    label: "Quantity", text: "", limit: quantityLimit, check: { _ = try Validation.quantity($0) }),
            ],
            index: orderid == nil ? 0 : 2
        ) { values in
            .send(
                .changeLine(
                    ChangeLine(
                        orderid: values["Order id"], sku: values["SKU"],
                        qty: try Validation.quantity(values["Quantity"]))
                ))
        }
    }

    /// `X` on the allocations screen: cancel every open line of the selected line's order.
    static func cancelOrder(orderid: String?) -> Form {
        Form(
            title: "Cancel order",
            note: "Cancels every open line of the order. Enter to confirm.",
            fields: [Field(label: "Order id", text: orderid ?? "", check: identifier("order id"))]
        ) { values in
            .send(.cancelOrder(CancelOrder(orderid: values["Order id"])))
        }
    }
}
