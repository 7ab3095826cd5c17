import Testing

@testable import Allocation

@Suite struct DayTests {
    @Test(arguments: [
        "2025-02-30", "2025-13-01", "2025-00-10", "2025-1-01", "25-01-01", "2025/01/01", "", "2025-02-29",
        "２０２５-01-01", "2025-01-01T00:00",
    ])
    func invalidDatesAreRefused(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01"])
    func validDatesRoundTrip(_ text: String) throws {
        #expect(try #require(Day(text)).description == text)
    }

    @Test func daysCountAcrossMonthsAndLeapYears() throws {
        let start = try #require(Day("2024-02-28"))
        #expect(start.adding(days: 1).description == "2024-02-29")
        #expect(start.adding(days: 2).description == "2024-03-01")
        #expect(start.days(until: try #require(Day("2025-02-28"))) == 366)
        #expect(Day(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(try #require(Day("1969-12-31")).daysSinceEpoch == -1)
    }

    @Test func ordersLikeItsText() throws {
        #expect(try #require(Day("2026-01-09")) < #require(Day("2026-01-10")))
        #expect(try #require(Day("2025-12-31")) < #require(Day("2026-01-01")))
    }
}
