import Allocation

/// The forms that build the bus's commands, each from the row it acts on.
extension Form {
    /// A field check: the core's rule for an identifier, its message naming `field`.
    static func identifier(_ field: String) -> (String) throws -> Void {
        { try Validation.checkIdentifier($0, field: field) }
    }

    /// `a`: allocate an order line; the SKU comes from the selected row.
    static func allocate(orderid: String?, sku: String?) -> Form {
        Form(
            title: "Allocate", note: "Goes to the preferred batch: in stock, then earliest ETA.",
            fields: [
                Field(label: "Order id", text: orderid ?? "", check: identifier("order id")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(label: "Quantity", text: "", limit: quantityLimit, check: { _ = try Validation.quantity($0) }),
            ],
            index: orderid == nil ? 0 : 2
        ) { values in
            .send(.allocate(Allocate(orderid: values[0], sku: values[1], qty: try Validation.quantity(values[2]))))
        }
    }

    /// `b`: a new batch; an empty ETA means it is in the warehouse.
    static func newBatch(sku: String?) -> Form {
        let checkETA: (String) throws -> Void = { if !$0.isEmpty { _ = try Validation.day($0) } }
        return Form(
            title: "New batch", note: "Leave ETA empty for stock in the warehouse; else YYYY-MM-DD.",
            fields: [
                Field(label: "Reference", text: "", check: identifier("batch reference")),
                Field(label: "SKU", text: sku ?? "", check: identifier("sku")),
                Field(label: "Quantity", text: "", limit: quantityLimit, check: { _ = try Validation.quantity($0) }),
                Field(label: "ETA", text: "", limit: dateLimit, check: checkETA),
            ]
        ) { values in
            let eta = values[3].isEmpty ? nil : try Validation.day(values[3])
            return .send(
                .createBatch(
                    CreateBatch(ref: values[0], sku: values[1], qty: try Validation.quantity(values[2]), eta: eta)))
        }
    }

    /// The change-quantity form's note: the batch's quantities as last loaded.
    static func quantities(of row: BatchRow) -> String {
        "\(row.reference) (\(row.sku)): \(row.purchased) purchased, \(row.allocated) allocated"
    }

    /// `c`: change the selected batch's purchased quantity.
    static func changeQuantity(of row: BatchRow) -> Form {
        Form(
            title: "Change quantity", note: quantities(of: row), batch: row.reference,
            fields: [
                Field(
                    label: "New quantity", text: "", limit: quantityLimit,
                    check: { _ = try Validation.quantity($0, allowZero: true) })
            ]
        ) { values in
            .send(
                .changeBatchQuantity(
                    ChangeBatchQuantity(ref: row.reference, qty: try Validation.quantity(values[0], allowZero: true))))
        }
    }

    /// `d`: deallocate the selected order line; Enter twice confirms.
    static func deallocate(_ row: Views.LineRow) -> Form {
        Form(
            title: "Deallocate",
            note: "Frees \(row.orderid) \(row.sku) x\(row.qty) from \(row.batchref ?? "no batch"); Enter to confirm.",
            fields: [
                Field(label: "Order id", text: row.orderid, check: identifier("order id")),
                Field(label: "SKU", text: row.sku, check: identifier("sku")),
            ],
            index: 1
        ) { values in
            .send(.deallocate(Deallocate(orderid: values[0], sku: values[1])))
        }
    }
}
