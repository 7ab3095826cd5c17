import Allocation

/// The times of events as one column, in the zone the settings choose: each as short as is unambiguous seen from
/// now (the date only for another day, the year only for another year), right-aligned so the times of day line
/// up. The zone is named once, in the header, when every time in the column and now share it; otherwise (across a
/// daylight-saving change) after each time.
struct TimeColumn {
    /// The zone's name when the header carries it; nil when each text carries its own.
    let zone: String?
    let texts: [String]
    /// The cells the column takes: its widest text or its header.
    let width: Int

    init(_ rows: [EventRow], context: RenderContext, zoneInEveryRow: Bool = false) {
        let now = ShownTime(seconds: context.now, in: context.zone)
        let times = rows.map { $0.shownTime(in: context.zone) }
        let shared = times.allSatisfy { $0 == nil || $0?.zone == now.zone }
        zone = shared && !zoneInEveryRow ? now.zone : nil
        let labelled = zone == nil
        texts = zip(rows, times).map { row, time in
            guard let time else { return row.at }
            return time.short(now: now) + (labelled ? " " + time.zone : "")
        }
        let header = zone.map { "TIME \($0)" } ?? "TIME"
        width = texts.map(TerminalText.width).reduce(TerminalText.width(header), max)
    }

    /// One event's time on its own, its zone named: `16:43:02 JST`, `11-24 16:43:02 JST`.
    static func labelled(_ row: EventRow, now: Double, in zone: LocalZone) -> String {
        guard let time = row.shownTime(in: zone) else { return row.at }
        return time.short(now: ShownTime(seconds: now, in: zone)) + " " + time.zone
    }

    /// The header over the column, e.g. `TIME JST`.
    var header: String { zone.map { "TIME \($0)" } ?? "TIME" }
}
