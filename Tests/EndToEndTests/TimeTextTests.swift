import Allocation
import Testing

@testable import stock

/// The listing's time cache (``TimeText``) gives what ``EventText/time(_:in:)`` formats directly.
@Suite struct TimeTextTests {
    static let timestamps = [
        "2026-11-25T10:15:02.120Z", "2026-11-25T10:15:02.999Z", "2026-11-25T10:15:02.9999999999999999999Z",
        "2026-11-25T10:15:03Z", "2026-11-25T10:15:03.000Z", "2026-11-25T10:15:02.500Z", "not a time", "",
        "2026-03-29T00:59:59.900Z", "2026-03-29T01:00:00.100Z", "2026-10-25T00:59:59.999Z", "2026-10-25T01:00:00Z",
        "2026-10-25T01:00:00Z", "1969-12-31T23:59:59.500Z", "2026-13-01T00:00:00Z", "2026-11-25T10:15:0x.1Z",
    ]

    @Test func cachedTimesEqualDirectFormatting() throws {
        for name in ["UTC", "Asia/Tokyo", "Europe/Paris", "America/St_Johns"] {
            let zone = try #require(LocalZone(named: name))
            let cache = TimeText(zone: zone)
            for timestamp in TimeTextTests.timestamps + TimeTextTests.timestamps.reversed() {
                #expect(cache.text(timestamp) == EventText.time(timestamp, in: zone), "\(timestamp) in \(name)")
            }
        }
    }
}
