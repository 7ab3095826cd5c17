import Glibc
import Testing

@testable import Allocation
@testable import Console

/// Times as an operator reads them: in the local zone named by `TZ` (or UTC by the `time` setting), named, with the
/// date only when it is not today. Serialized: the tests that set `TZ` change it for the whole process.
@Suite(.serialized) struct LocalTimeTests {
    /// 2026-11-24 23:12:03.5 UTC: already 11-25 in Tokyo.
    static let instant =
        Double(Day(year: 2026, month: 11, day: 24).map(\.daysSinceEpoch) ?? 0) * 86_400
        + 23 * 3600 + 12 * 60 + 3.5

    /// Runs `body` with `TZ` set to `zone`, then puts the previous value back.
    func inZone<T>(_ zone: String, _ body: () throws -> T) rethrows -> T {
        let previous = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", zone, 1)
        tzset()
        defer {
            if let previous { setenv("TZ", previous, 1) } else { unsetenv("TZ") }
            tzset()
        }
        return try body()
    }

    @Test func localTimeFollowsTZAndNamesTheZone() {
        let tokyo = inZone("Asia/Tokyo") { ShownTime(seconds: LocalTimeTests.instant, in: .local) }
        #expect(tokyo.full == "2026-11-25 08:12:03")
        #expect(tokyo.zone == "JST")
        let utc = inZone("Asia/Tokyo") { ShownTime(seconds: LocalTimeTests.instant, in: .utc) }
        #expect(utc.full == "2026-11-24 23:12:03")
        #expect(utc.zone == "UTC")
        let paris = inZone("Europe/Paris") {
            [ShownTime(seconds: LocalTimeTests.instant, in: .local), ShownTime(seconds: 1_782_000_000, in: .local)]
        }
        #expect(paris.map(\.zone) == ["CET", "CEST"])
        #expect(ShownTime.offset(19_800) == "+0530")
        #expect(ShownTime.offset(-12_600) == "-0330")
    }

    @Test func theDateShowsOnlyForAnotherDayAndTheYearOnlyForAnotherYear() throws {
        let now = ShownTime(seconds: LocalTimeTests.instant, in: .utc)
        func seen(_ timestamp: String) throws -> String {
            try #require(ShownTime(timestamp: timestamp, in: .utc)).short(now: now)
        }
        #expect(try seen("2026-11-24T09:05:00.120Z") == "09:05:00")
        #expect(try seen("2026-11-23T23:59:59.999Z") == "11-23 23:59:59")
        #expect(try seen("2025-11-24T09:05:00.000Z") == "2025-11-24 09:05:00")
        #expect(ShownTime(timestamp: "yesterday", in: .utc) == nil)
        #expect(Clock.seconds(timestamp: Clock.timestamp(LocalTimeTests.instant)) == LocalTimeTests.instant)
    }

    @Test func theEventLogNamesTheZoneInItsHeaderAndDatesOtherDays() {
        useUTF8Locale()
        var log = EventsScreen()
        log.rows = [
            EventRow(id: 2, at: "2026-11-24T23:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5)),
            EventRow(id: 1, at: "2026-11-24T14:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 4)),
        ]
        var canvas = Canvas(width: 60, height: 4)
        let context = RenderContext(today: Day(daysSinceEpoch: 0), now: LocalTimeTests.instant, times: .local)
        inZone("Asia/Tokyo") {
            log.render(into: &canvas, area: Area(x: 0, y: 0, width: 60, height: 4), context: context)
        }
        #expect(canvas.line(0).hasPrefix("       #       TIME JST EVENT        DETAILS"), "\(canvas.text)")
        #expect(canvas.line(1).hasPrefix(">      2       08:00:00 qty changed  B-1 now 5"), "\(canvas.text)")
        #expect(canvas.line(2).hasPrefix("       1 11-24 23:00:00 qty changed  B-1 now 4"), "\(canvas.text)")
    }

    @Test func acrossADaylightSavingChangeEachTimeNamesItsZone() {
        let rows = [
            EventRow(id: 2, at: "2026-10-25T02:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5)),
            EventRow(id: 1, at: "2026-10-24T12:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 4)),
        ]
        let context = RenderContext(today: Day(daysSinceEpoch: 0), now: 1_792_900_800, times: .local)
        let column = inZone("Europe/Paris") { TimeColumn(rows, context: context) }
        #expect(column.header == "TIME")
        #expect(column.texts == ["03:00:00 CET", "10-24 14:00:00 CEST"])
    }

    @Test func theStatusLineSaysWhenTheLastChangeWasWithItsZone() {
        let row = EventRow(id: 1, at: "2026-11-24T07:42:38.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5))
        let tokyo = inZone("Asia/Tokyo") { TimeColumn.labelled(row, now: LocalTimeTests.instant, in: .local) }
        #expect(tokyo == "11-24 16:42:38 JST")
        #expect(TimeColumn.labelled(row, now: LocalTimeTests.instant, in: .utc) == "07:42:38 UTC")
    }
}
