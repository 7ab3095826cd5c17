import TestSupport
import Testing

@testable import Allocation

/// A SKU's stock day by day (``projection(sku:batches:waiting:today:maximumDays:)``), against cases worked by hand.
@Suite struct ProjectionTests {
    static let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)
    let today = ProjectionTests.today

    func batch(_ reference: String, _ purchased: Int, eta days: Int? = nil, allocated: Int = 0) -> Batch {
        Batch(
            reference: reference, sku: "LAMP", purchased: purchased, eta: days.map { today.adding(days: $0) },
            allocated: allocated)
    }

    /// Each day as `date arriving onHand allocated available waiting`.
    func rows(_ projection: Projection) -> [String] {
        projection.days.map {
            "\($0.date) \($0.arriving) \($0.onHand) \($0.allocated) \($0.available) \($0.waiting)"
        }
    }

    @Test func stockInTheWarehouseOnlyIsOneDay() {
        let projected = projection(
            sku: "LAMP", batches: [batch("W-1", 100, allocated: 30), batch("W-2", 5)], waiting: 0, today: today)
        #expect(rows(projected) == ["2026-11-25 0 105 30 75 0"])
        #expect(projected.late.isEmpty && projected.arrivals.isEmpty && projected.later.isEmpty)
        #expect(projected.coveredFrom == nil)
        #expect(projected.summary == "No line waits; 75 available today")
    }

    @Test func noBatchAtAllIsTodayWithNothing() {
        let projected = projection(sku: "LAMP", batches: [], waiting: 0, today: today)
        #expect(rows(projected) == ["2026-11-25 0 0 0 0 0"])
    }

    /// 100 in the warehouse (30 allocated), 50 due in 3 days (10 allocated), 40 due today: today counts the 40,
    /// the fourth day the 50.
    @Test func arrivalsStepUpOnTheirDaysFromTodayToTheLastETA() {
        let projected = projection(
            sku: "LAMP",
            batches: [
                batch("S-2", 50, eta: 3, allocated: 10), batch("W-1", 100, allocated: 30), batch("S-1", 40, eta: 0),
            ],
            waiting: 0, today: today)
        #expect(
            rows(projected) == [
                "2026-11-25 40 140 30 110 0",
                "2026-11-26 0 140 30 110 0",
                "2026-11-27 0 140 30 110 0",
                "2026-11-28 50 190 40 150 0",
            ])
        #expect(projected.arrivals.map(\.batchref) == ["S-1", "S-2"])
        #expect(projected.summary == "No line waits; 110 available today, 150 by 2026-11-28")
    }

    /// 45 units wait; 10 free in the warehouse, 30 free on a batch due in 2 days, 60 (all free) in 5: covered on
    /// the sixth day, when 100 are free.
    @Test func waitingLinesAheadAreADeficitUntilCovered() {
        let projected = projection(
            sku: "CHAIR",
            batches: [batch("W-1", 60, allocated: 50), batch("S-1", 30, eta: 2), batch("S-2", 60, eta: 5)],
            waiting: 45, today: today)
        #expect(projected.days.map(\.available) == [10, 10, 40, 40, 40, 100])
        #expect(projected.days.map(\.uncovered) == [35, 35, 5, 5, 5, 0])
        #expect(projected.days.allSatisfy { $0.waiting == 45 })
        #expect(projected.coveredFrom == Day("2026-11-30"))
        #expect(projected.summary == "Waiting lines (45 units) covered from 2026-11-30")
    }

    @Test func waitingLinesNoBatchCoversAreSaidSo() {
        let projected = projection(
            sku: "CHAIR", batches: [batch("W-1", 10, allocated: 10), batch("S-1", 20, eta: 4, allocated: 5)],
            waiting: 40, today: today)
        #expect(projected.days.map(\.available) == [0, 0, 0, 0, 15])
        #expect(projected.coveredFrom == nil)
        #expect(projected.summary == "Waiting lines (40 units) are not covered by any batch due by 2026-11-29")
    }

    @Test func waitingLinesCoveredTodayAreSaidSo() {
        let projected = projection(sku: "CHAIR", batches: [batch("W-1", 10)], waiting: 1, today: today)
        #expect(projected.coveredFrom == today)
        #expect(projected.summary == "Waiting lines (1 unit) covered today")
    }

    /// A batch 2 days late is neither on hand nor allocated on any day: its 20 units (15 of them allocated) are
    /// listed as late, and its ETA does not start the series before today.
    @Test func lateBatchesAreNotCountedAsArrivedAndAreListed() {
        let projected = projection(
            sku: "TABLE",
            batches: [batch("L-2", 20, eta: -2, allocated: 15), batch("L-1", 7, eta: -9), batch("S-1", 10, eta: 1)],
            waiting: 5, today: today)
        #expect(rows(projected) == ["2026-11-25 0 0 0 0 5", "2026-11-26 10 10 0 10 5"])
        #expect(
            projected.late.map(\.json) == [
                #"{"batchref":"L-1","qty":7,"eta":"2026-11-16"}"#, #"{"batchref":"L-2","qty":20,"eta":"2026-11-23"}"#,
            ])
        #expect(
            projected.summary
                == "Waiting lines (5 units) covered from 2026-11-26; late: L-1 (7 units, ETA 2026-11-16), "
                + "L-2 (20 units, ETA 2026-11-23)")
    }

    /// A batch emptied to zero units (in the warehouse, arriving or late) changes nothing: it neither lengthens
    /// the series nor is listed.
    @Test func zeroUnitBatchesChangeNothing() {
        let projected = projection(
            sku: "SOFA",
            batches: [
                batch("W-1", 4, allocated: 4), batch("Z-1", 0), batch("Z-2", 0, eta: 20), batch("Z-3", 0, eta: -3),
            ],
            waiting: 0, today: today)
        #expect(rows(projected) == ["2026-11-25 0 4 4 0 0"])
        #expect(projected.late.isEmpty && projected.arrivals.isEmpty && projected.later.isEmpty)
    }

    /// The series stops after 56 days; a batch due later is listed under `later`, not counted.
    @Test func theSeriesHoldsAtMostEightWeeks() {
        let projected = projection(
            sku: "LAMP", batches: [batch("S-1", 10, eta: 55), batch("S-2", 20, eta: 56), batch("S-3", 30, eta: 90)],
            waiting: 0, today: today)
        #expect(projected.days.count == 56)
        #expect(projected.days.last?.date == today.adding(days: 55))
        #expect(projected.days.last?.onHand == 10)
        #expect(projected.arrivals.map(\.batchref) == ["S-1"])
        #expect(projected.later.map(\.batchref) == ["S-2", "S-3"])
        #expect(
            projected.summary
                == "No line waits; 0 available today, 10 by 2027-01-19; 50 more units due after 2027-01-19")
    }

    @Test func theJSONHasTheStatedKeys() {
        let projected = projection(
            sku: "LAMP", batches: [batch("W-1", 3, allocated: 1), batch("S-1", 2, eta: 1), batch("L-1", 4, eta: -1)],
            waiting: 2, today: today)
        #expect(
            projected.json
                == #"{"sku":"LAMP","days":[{"date":"2026-11-25","arriving":0,"onHand":3,"allocated":1,"available":2,"#
                + #""waiting":2},{"date":"2026-11-26","arriving":2,"onHand":5,"allocated":1,"available":4,"waiting":2}],"#
                + #""late":[{"batchref":"L-1","qty":4,"eta":"2026-11-24"}]}"#)
    }
}

/// The read query of a projection, over a database filled through the bus.
@Suite struct ProjectionViewTests {
    let store: TestDatabase
    let bus: MessageBus
    let today = ProjectionTests.today

    init() throws {
        store = try TestDatabase()
        bus = store.makeBus()
    }

    @Test func theViewReadsTheSKUsBatchesAndWaitingUnits() throws {
        try bus.handle(.createBatch(CreateBatch(ref: "W-1", sku: "LAMP", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "S-1", sku: "LAMP", qty: 5, eta: today.adding(days: 2))))
        try bus.handle(.createBatch(CreateBatch(ref: "OTHER", sku: "CHAIR", qty: 99)))
        try bus.handle(.allocate(Allocate(orderid: "o-1", sku: "LAMP", qty: 12)))
        try bus.handle(.allocate(Allocate(orderid: "o-2", sku: "LAMP", qty: 7)))
        let projected = try #require(try Views.projection(sku: "LAMP", today: today, in: store.database))
        #expect(projected.days.map(\.onHand) == [10, 10, 15])
        // o-1 takes W-1's 10 and 2 of S-1; o-2 does not fit in S-1's other 3 and waits.
        #expect(projected.days.map(\.allocated) == [10, 10, 12])
        #expect(projected.days.map(\.waiting) == [7, 7, 7])
        #expect(try Views.projection(sku: "NOPE", today: today, in: store.database) == nil)
    }
}
