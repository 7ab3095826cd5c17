import Testing

@testable import Allocation
@testable import Console

/// Times as an operator reads them: in the local zone (`TZ`, resolved once into a ``LocalZone``) or UTC by the
/// `time` setting, named, with the date only when it is not today. Each test makes the zone it needs; none
/// changes the process's environment.
@Suite struct LocalTimeTests {
    /// 2026-11-24 23:12:03.5 UTC: already 11-25 in Tokyo.
    static let instant =
        Double(Day(year: 2026, month: 11, day: 24).map(\.daysSinceEpoch) ?? 0) * 86_400
        + 23 * 3600 + 12 * 60 + 3.5

    static func zone(_ name: String) throws -> LocalZone {
        try #require(LocalZone(named: name), "no zone \(name)")
    }

    @Test func localTimeFollowsTheZoneAndNamesIt() throws {
        let tokyo = ShownTime(seconds: LocalTimeTests.instant, in: try Self.zone("Asia/Tokyo"))
        #expect(tokyo.full == "2026-11-25 08:12:03")
        #expect(tokyo.zone == "JST")
        let utc = ShownTime(seconds: LocalTimeTests.instant, in: .utc)
        #expect(utc.full == "2026-11-24 23:12:03")
        #expect(utc.zone == "UTC")
        let paris = try Self.zone("Europe/Paris")
        let shown = [
            ShownTime(seconds: LocalTimeTests.instant, in: paris), ShownTime(seconds: 1_782_000_000, in: paris),
        ]
        #expect(shown.map(\.zone) == ["CET", "CEST"])
        #expect(shown.map(\.clock) == ["00:12:03", "02:00:00"])
        #expect(ShownTime.offset(19_800) == "+0530")
        #expect(ShownTime.offset(-12_600) == "-0330")
    }

    /// `TZ` as the C library reads it: a zone name with or without `:`, a POSIX rule, empty for UTC; the settings'
    /// `utc` choice ignores it.
    @Test func theZoneIsResolvedFromTZOnce() throws {
        func shown(_ environment: [String: String], _ choice: TimeZoneChoice = .local) -> String {
            let time = ShownTime(
                seconds: LocalTimeTests.instant, in: LocalZone.resolve(choice, environment: environment))
            return "\(time.full) \(time.zone)"
        }
        #expect(shown(["TZ": "Asia/Tokyo"]) == "2026-11-25 08:12:03 JST")
        #expect(shown(["TZ": ":Asia/Tokyo"]) == "2026-11-25 08:12:03 JST")
        #expect(shown(["TZ": "JST-9"]) == "2026-11-25 08:12:03 JST")
        #expect(shown(["TZ": "<+0530>-5:30"]) == "2026-11-25 04:42:03 +0530")
        #expect(shown(["TZ": "NST3:30NDT,M3.2.0,M11.1.0"]) == "2026-11-24 19:42:03 NST")
        #expect(shown(["TZ": ""]) == "2026-11-24 23:12:03 UTC")
        #expect(shown(["TZ": "Asia/Tokyo"], .utc) == "2026-11-24 23:12:03 UTC")
        #expect(shown(["TZ": "/usr/share/zoneinfo/Asia/Tokyo"]) == "2026-11-25 08:12:03 JST")
    }

    /// A POSIX rule and the tz database file it ends agree on every hour around each change for years, past the
    /// last change the file lists (2037).
    @Test func aRuleAndTheDatabaseAgreeAcrossDaylightSavingChanges() throws {
        let file = try Self.zone("Europe/Paris")
        let rule = try #require(LocalZone(rule: "CET-1CEST,M3.5.0,M10.5.0/3"))
        var changes = 0
        var differing: [Int] = []
        var previous = ShownTime(seconds: 1_767_225_600, in: rule).zone
        for hour in stride(from: 1_767_225_600, to: 2_240_611_200, by: 3600) {
            let byRule = ShownTime(seconds: Double(hour), in: rule)
            if byRule != ShownTime(seconds: Double(hour), in: file) { differing.append(hour) }
            if byRule.zone != previous { changes += 1 }
            previous = byRule.zone
        }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
        #expect(changes == 30, "two changes a year, 2026-2040")
        let spring = ShownTime(seconds: 1_774_746_000 - 1, in: rule)
        #expect("\(spring.full) \(spring.zone)" == "2026-03-29 01:59:59 CET")
        let summer = ShownTime(seconds: 1_774_746_000, in: rule)
        #expect("\(summer.full) \(summer.zone)" == "2026-03-29 03:00:00 CEST")
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

    @Test func theEventLogNamesTheZoneInItsHeaderAndDatesOtherDays() throws {
        useUTF8Locale()
        var log = EventsScreen()
        log.rows = [
            EventRow(id: 2, at: "2026-11-24T23:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5)),
            EventRow(id: 1, at: "2026-11-24T14:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 4)),
        ]
        var canvas = Canvas(width: 60, height: 4)
        let context = RenderContext(
            today: Day(daysSinceEpoch: 0), now: LocalTimeTests.instant, zone: try Self.zone("Asia/Tokyo"))
        log.render(into: &canvas, area: Area(x: 0, y: 0, width: 60, height: 4), context: context)
        #expect(canvas.line(0).hasPrefix("       #       TIME JST EVENT        DETAILS"), "\(canvas.text)")
        #expect(canvas.line(1).hasPrefix(">      2       08:00:00 qty changed  B-1 now 5"), "\(canvas.text)")
        #expect(canvas.line(2).hasPrefix("       1 11-24 23:00:00 qty changed  B-1 now 4"), "\(canvas.text)")
    }

    @Test func acrossADaylightSavingChangeEachTimeNamesItsZone() throws {
        let rows = [
            EventRow(id: 2, at: "2026-10-25T02:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5)),
            EventRow(id: 1, at: "2026-10-24T12:00:00.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 4)),
        ]
        let context = RenderContext(
            today: Day(daysSinceEpoch: 0), now: 1_792_900_800, zone: try Self.zone("Europe/Paris"))
        let column = TimeColumn(rows, context: context)
        #expect(column.header == "TIME")
        #expect(column.texts == ["03:00:00 CET", "10-24 14:00:00 CEST"])
    }

    @Test func theStatusLineSaysWhenTheLastChangeWasWithItsZone() throws {
        let row = EventRow(id: 1, at: "2026-11-24T07:42:38.000Z", event: .batchQuantityChanged(ref: "B-1", qty: 5))
        let tokyo = TimeColumn.labelled(row, now: LocalTimeTests.instant, in: try Self.zone("Asia/Tokyo"))
        #expect(tokyo == "11-24 16:42:38 JST")
        #expect(TimeColumn.labelled(row, now: LocalTimeTests.instant, in: .utc) == "07:42:38 UTC")
    }
}
