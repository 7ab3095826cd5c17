/// The allocate form as an order's entry: after each line it stays open with the order id kept, so an order of
/// ten lines is ten SKU and quantity pairs.
extension Form {
    /// The allocate form keeps its order for the next line once a line was allocated.
    var keepsOrder: Bool { placementFields != nil }

    /// A line was allocated: the order id stays (the form says so, until it is cleared or changed), the SKU and
    /// quantity are emptied for the next line, and the focus is on the SKU.
    mutating func keepOrderForNextLine() {
        guard let fields = placementFields else { return }
        let orderid = entry.fields[0].text
        let before = keptOrder?.orderid == orderid ? keptOrder?.lines ?? 0 : 0
        keptOrder = (orderid: orderid, lines: before + 1)
        for field in [fields.sku, fields.qty] {
            entry.fields[field].text = ""
            entry.fields[field].problem = nil
        }
        entry.index = fields.sku
        placementAnswer = nil
        previewRequest = nil
        confirmation = nil
        refusal = nil
        skuChoices = nil
        chosen = nil
    }
}
