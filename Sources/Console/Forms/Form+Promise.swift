import Allocation

extension Form {
    /// The promise for the allocate form's line (``Views/promise(sku:qty:policy:today:in:)``), from its SKU's rows
    /// alone; nil for a SKU no product has, which the form's submission refuses in the core's words.
    static func promise(for command: Allocate, policy: SplitLines, today: Day, in database: Database) throws
        -> Promise?
    {
        do {
            return try Views.promise(
                sku: Validation.normalized(command.sku), qty: command.qty, policy: policy, today: today, in: database)
        } catch AllocationError.invalidSKU {
            return nil
        }
    }
}
