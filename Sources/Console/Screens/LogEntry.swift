import Allocation

/// One row of the event log: an event, or a run of repeats shown as one (`OUT OF STOCK FLOOR-LAMP ×356,
/// 10:41–10:42`), so that a bulk run does not fill a wall monitor with one line.
struct LogEntry: Equatable {
    /// Newest first: one event, or the run of repeats.
    let rows: [EventRow]

    var newest: EventRow { rows[0] }
    var oldest: EventRow { rows[rows.count - 1] }

    /// What makes two events repeats: the same kind of order-line event about the same SKU. Batch events never
    /// repeat, since each says something of its own batch.
    static func repeatKey(of row: EventRow) -> String? {
        switch row.event {
        case .allocated(_, let sku, _, _), .deallocated(_, let sku, _, _), .shipped(_, let sku, _, _),
            .cancelled(_, let sku, _), .lineChanged(_, let sku, _), .outOfStock(let sku, _, _):
            row.kind + " " + sku
        case .batchCreated, .batchQuantityChanged, .batchReceived, .batchEtaChanged, .ordersDelayed,
            .batchUnreceived, .batchVoided:
            nil
        }
    }

    /// The SKU a run of repeats is about.
    var sku: String? {
        switch newest.event {
        case .allocated(_, let sku, _, _), .deallocated(_, let sku, _, _), .shipped(_, let sku, _, _),
            .cancelled(_, let sku, _), .lineChanged(_, let sku, _), .outOfStock(let sku, _, _):
            sku
        default: nil
        }
    }

    /// `rows` (newest first) with each run of consecutive repeats (``repeatKey(of:)``) as one entry.
    static func collapse(_ rows: [EventRow]) -> [LogEntry] {
        var entries: [LogEntry] = []
        var run: [EventRow] = []
        for row in rows {
            if let last = run.last, let key = repeatKey(of: row), repeatKey(of: last) == key {
                run.append(row)
                continue
            }
            if !run.isEmpty { entries.append(LogEntry(rows: run)) }
            run = [row]
        }
        if !run.isEmpty { entries.append(LogEntry(rows: run)) }
        return entries
    }

    /// A run's details: `FLOOR-LAMP ×356, 10:41–10:42` (one minute shown once); nil for a single event.
    func summary(in zone: LocalZone, glyphs: Glyphs) -> String? {
        guard rows.count > 1, let sku else { return nil }
        let times = glyphs == .unicode ? "×" : "x"
        func minute(_ row: EventRow) -> String { row.shownTime(in: zone).map { String($0.clock.prefix(5)) } ?? row.at }
        let (first, last) = (minute(oldest), minute(newest))
        let span = first == last ? first : first + (glyphs == .unicode ? "–" : "-") + last
        return "\(sku) \(times)\(rows.count), \(span)"
    }
}
