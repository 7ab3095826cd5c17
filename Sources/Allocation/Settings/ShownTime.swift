/// The zone an operator is shown times in: the local one (`TZ`, else the system's) or UTC, resolved once at
/// start-up into a ``LocalZone``. Stored times (the database, `--json`) are always ISO 8601 in UTC, whatever this
/// says.
public enum TimeZoneChoice: String, CaseIterable, Sendable {
    case local, utc
}

/// An instant broken down in the zone it is shown in, with that zone's abbreviation at that instant (`JST`, `CET`
/// or `CEST`, `+04` where the zone has no name, `UTC`).
public struct ShownTime: Equatable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let zone: String

    /// `seconds` since 1970 in `zone`.
    public init(seconds: Double, in zone: LocalZone) {
        let whole = Int(seconds.rounded(.down))
        let span = zone.span(at: whole)
        let local = whole + span.offset
        let days = Int((Double(local) / 86_400).rounded(.down))
        let date = Day(daysSinceEpoch: days)
        let time = local - days * 86_400
        year = date.year
        month = date.month
        day = date.day
        hour = time / 3600
        minute = time / 60 % 60
        second = time % 60
        self.zone = span.name.isEmpty ? ShownTime.offset(span.offset) : span.name
    }

    /// An ISO 8601 timestamp as the service writes it (``Clock/timestamp()``); nil for other text.
    public init?(timestamp: String, in zone: LocalZone) {
        guard let seconds = Clock.seconds(timestamp: timestamp) else { return nil }
        self.init(seconds: seconds, in: zone)
    }

    /// `+0530`: an offset from UTC, for a zone that gives no abbreviation.
    static func offset(_ seconds: Int) -> String {
        let minutes = abs(seconds) / 60
        return (seconds < 0 ? "-" : "+") + pad(minutes / 60, 2) + pad(minutes % 60, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `16:43:02`.
    public var clock: String {
        "\(ShownTime.pad(hour, 2)):\(ShownTime.pad(minute, 2)):\(ShownTime.pad(second, 2))"
    }

    /// `2026-11-24 16:43:02`.
    public var full: String {
        "\(ShownTime.pad(year, 4))-\(ShownTime.pad(month, 2))-\(ShownTime.pad(day, 2)) \(clock)"
    }

    /// As short as is unambiguous seen from `now` (in the same zone): `16:43:02` on the same day,
    /// `11-24 16:43:02` in the same year, else `2025-11-24 16:43:02`. The time of day always ends the text, so
    /// right-aligned times line up.
    public func short(now: ShownTime) -> String {
        if (year, month, day) == (now.year, now.month, now.day) { return clock }
        if year == now.year { return "\(ShownTime.pad(month, 2))-\(ShownTime.pad(day, 2)) \(clock)" }
        return full
    }
}
