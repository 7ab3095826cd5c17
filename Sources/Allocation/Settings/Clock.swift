import Foundation

/// The time the service stamps events with and measures ETAs against: the system's, or a fixed one for tests
/// and demos, chosen by the settings.
public struct Clock: Equatable, Sendable {
    /// Seconds since 1970 when fixed; nil for the system clock.
    public let fixedSeconds: Double?

    public static let system = Clock(fixedSeconds: nil)

    public static func fixed(_ day: Day) -> Clock {
        Clock(fixedSeconds: Double(day.daysSinceEpoch) * 86_400 + 12 * 3600)
    }

    public func now() -> Double {
        if let fixedSeconds { return fixedSeconds }
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Today's date in UTC.
    public var today: Day {
        Day(daysSinceEpoch: Int((now() / 86_400).rounded(.down)))
    }

    /// The current instant as ISO 8601 in UTC with milliseconds, e.g. `2026-11-25T19:45:00.123Z`.
    public func timestamp() -> String {
        Clock.timestamp(now())
    }

    static func timestamp(_ seconds: Double) -> String {
        let milliseconds = Int((seconds * 1000).rounded(.down))
        let (days, dayMilliseconds) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let adjustedDays = dayMilliseconds < 0 ? days - 1 : days
        let inDay = dayMilliseconds < 0 ? dayMilliseconds + 86_400_000 : dayMilliseconds
        let day = Day(daysSinceEpoch: adjustedDays)
        // Written digit by digit into one buffer: every event of every command is stamped with this text.
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var end = 0
            func put(_ value: Int, width: Int, then separator: Unicode.Scalar) {
                var rest = value.magnitude
                for position in stride(from: end + width - 1, through: end, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[end + width] = UInt8(ascii: separator)
                end += width + 1
            }
            put(day.year, width: 4, then: "-")
            put(day.month, width: 2, then: "-")
            put(day.day, width: 2, then: "T")
            put(inDay / 3_600_000, width: 2, then: ":")
            put(inDay / 60_000 % 60, width: 2, then: ":")
            put(inDay / 1000 % 60, width: 2, then: ".")
            put(inDay % 1000, width: 3, then: "Z")
            return end
        }
    }

    /// Seconds since 1970 of a timestamp as ``timestamp()`` writes it (`YYYY-MM-DDTHH:MM:SS`, then optional
    /// fractions and `Z`); nil for other text.
    public static func seconds(timestamp: String) -> Double? {
        let text = Array(timestamp.utf8)
        guard text.count >= 19, text[10] == UInt8(ascii: "T"), text[13] == UInt8(ascii: ":"),
            text[16] == UInt8(ascii: ":"), let day = Day(String(decoding: text[0..<10], as: UTF8.self))
        else { return nil }
        func number(_ start: Int) -> Int? {
            Int(String(decoding: text[start..<start + 2], as: UTF8.self))
        }
        guard let hours = number(11), let minutes = number(14), let seconds = number(17) else { return nil }
        var fraction = 0.0
        var scale = 0.1
        for byte in text.dropFirst(20) where byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            fraction += Double(byte - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return Double(day.daysSinceEpoch * 86_400 + hours * 3600 + minutes * 60 + seconds) + fraction
    }
}
