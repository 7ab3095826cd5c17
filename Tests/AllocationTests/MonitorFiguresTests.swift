import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The wall monitor's figures, worked by hand on a real database: what is available, what waits and since when,
/// late batches, lines at risk, the SKUs that need attention in order; and the trend's reads of the event log.
@Suite struct MonitorFiguresTests {
    let store: TestDatabase
    let today = Day("2026-01-15")!

    init() throws {
        store = try TestDatabase()
    }

    /// TV: two in-stock batches of 10, three lines of 8 (one waits); LAMP: a batch late since 2026-01-10 and one
    /// arriving, which takes its line of 2 (a late batch is placed on last); FAN: its only batch, late since
    /// 2026-01-12, holds a line of 2; CHAIR: nothing waits, nothing late.
    func fill() throws {
        let bus = store.makeBus()
        defer { bus.finishNotifications() }
        try bus.handle(.createBatch(CreateBatch(ref: "TV-1", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "TV-2", sku: "TV", qty: 10)))
        try bus.handle(.createBatch(CreateBatch(ref: "L-LATE", sku: "LAMP", qty: 5, eta: Day("2026-01-10"))))
        try bus.handle(.createBatch(CreateBatch(ref: "L-NEXT", sku: "LAMP", qty: 5, eta: Day("2026-02-01"))))
        try bus.handle(.createBatch(CreateBatch(ref: "F-LATE", sku: "FAN", qty: 5, eta: Day("2026-01-12"))))
        try bus.handle(.createBatch(CreateBatch(ref: "C-1", sku: "CHAIR", qty: 7)))
        for orderid in ["o1", "o2", "o3"] { try bus.handle(.allocate(Allocate(orderid: orderid, sku: "TV", qty: 8))) }
        try bus.handle(.allocate(Allocate(orderid: "o4", sku: "LAMP", qty: 2)))
        try bus.handle(.allocate(Allocate(orderid: "o5", sku: "FAN", qty: 2)))
    }

    @Test func figuresAddUpAsWorkedByHand() throws {
        try fill()
        let figures = try Views.monitorFigures(today: today, attentionLimit: 6, in: store.database)
        // Room: TV 20 - 16, LAMP 10 - 2, FAN 5 - 2, CHAIR 7.
        #expect(figures.available == 4 + 8 + 3 + 7)
        #expect(figures.waitingLines == 1)
        #expect(figures.waitingUnits == 8)
        #expect(figures.oldestWaitingSince != nil)
        #expect(figures.lateBatches == 2)
        // o5 is on a late batch, o3 waits.
        #expect(figures.linesAtRisk == 2)
        // Waiting lines first, then late batches by their earliest ETA.
        #expect(figures.attention.map(\.sku) == ["TV", "LAMP", "FAN"])
        #expect(figures.attention.first?.waitingLines == 1 && figures.attention.first?.waitingUnits == 8)
        #expect(figures.attention.last?.lateBatches == 1 && figures.attention.last?.waitingLines == 0)
        let limited = try Views.monitorFigures(today: today, attentionLimit: 1, in: store.database)
        #expect(limited.attention.map(\.sku) == ["TV"])
        #expect(limited.attentionCount == 3 && figures.attentionCount == 3)
    }

    /// The monitor's attention board: every batch of a SKU with waiting lines, and the late batches, no others.
    @Test func theAttentionFilterKeepsWaitingSKUsAndLateBatches() throws {
        try fill()
        var filter = BoardFilter()
        filter.attentionOn = today
        #expect(filter.isActive && filter.parts == ["needs attention"])
        let shown = try Views.batches(filter: filter, in: store.database).map(\.reference)
        #expect(Set(shown) == ["TV-1", "TV-2", "L-LATE", "F-LATE"])
        #expect(try Views.batchCount(filter: filter, in: store.database) == 4)
    }

    @Test func anEmptyDatabaseHasNothingToShow() throws {
        let figures = try Views.monitorFigures(today: today, attentionLimit: 6, in: store.database)
        #expect(figures.available == 0 && figures.waitingLines == 0 && figures.lateBatches == 0)
        #expect(figures.linesAtRisk == 0 && figures.attention.isEmpty && figures.oldestWaitingSince == nil)
        #expect(try Views.firstEventID(atOrAfter: 0, in: store.database) == 1)
    }

    @Test func theFirstEventOfTheLast24HoursIsFoundByBisection() throws {
        let hours = [-50, -30, -25, -24, -23, -5, -1, 0]
        let base = Clock.fixed(today).now()
        for (index, hour) in hours.enumerated() {
            try store.database.execute(
                "INSERT INTO events (at, kind, payload, operator, orderid) VALUES (?, ?, ?, 'x', ?)",
                Clock.timestamp(base + Double(hour) * 3600), index % 2 == 0 ? "Allocated" : "OutOfStock",
                "{}", index == 1 ? nil : "o\(index)" as String?)
        }
        let ids = try store.database.query("SELECT id FROM events ORDER BY id") { $0.int64(0) }
        for (index, hour) in hours.enumerated() {
            let found = try Views.firstEventID(atOrAfter: base + Double(hour) * 3600, in: store.database)
            #expect(found == ids[index], "from hour \(hour)")
        }
        #expect(try Views.firstEventID(atOrAfter: base + 3600, in: store.database) == ids.last! + 1)
        let trend = try Views.trendEvents(after: ids[0], limit: 3, in: store.database)
        #expect(trend.map(\.id) == Array(ids[1...3]))
        #expect(trend.map(\.isAllocation) == [false, true, false])
        // The second event is an OutOfStock naming no order: no new backorder.
        #expect(trend.map(\.isBackorder) == [false, false, true])
        #expect(trend.allSatisfy { $0.seconds != nil })
    }
}
