extension Day {
    /// The warning for an ETA before `today`, e.g. `ETA 2020-01-01 is 2521 days ago: the batch counts as late and
    /// is preferred over batches still to come`; nil for today or later.
    ///
    /// A past ETA is accepted (a late shipment being recorded is legitimate), so this is a warning, never a
    /// refusal: the command line prints it on standard error and the console's forms show it under the field.
    public func pastETAWarning(today: Day) -> String? {
        let days = days(until: today)
        guard days > 0 else { return nil }
        let ago = days == 1 ? "1 day ago" : "\(days) days ago"
        return "ETA \(self) is \(ago): the batch counts as late and is preferred over batches still to come"
    }
}
