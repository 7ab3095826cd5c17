import Foundation
import TestSupport
import Testing

@testable import Allocation

/// `events --follow` reads every committed event exactly once, also when transactions commit out of id order.
@Suite struct EventFollowerTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    private func record(_ orderid: String, in db: Database) throws {
        try db.execute(
            "INSERT INTO events (at, kind, payload, orderid) VALUES ('2026-01-15T00:00:00Z', 'Deallocated', ?, ?)",
            "{\"orderid\":\"\(orderid)\",\"sku\":\"LAMP\",\"qty\":1,\"batchref\":\"b1\"}", orderid)
    }

    /// The ids of the events the follower reads within 5 s, until it has read `count` of them.
    ///
    /// On a server an event is read once every older transaction of the whole server has ended, and other
    /// tests' transactions run meanwhile: the follower may need a few reads.
    private func read(_ count: Int, with follower: inout EventFollower, limit: Int = 10) throws -> [Int64] {
        var ids: [Int64] = []
        let deadline = Date().addingTimeInterval(5)
        while ids.count < count, Date() < deadline {
            ids += try follower.next(limit: limit, in: store.database).map(\.id)
            if ids.count < count { usleep(10_000) }
        }
        return ids
    }

    private func id(of orderid: String, in db: Database) throws -> Int64 {
        try #require(try db.queryOne("SELECT id FROM events WHERE orderid = ?", orderid) { $0.int64(0) })
    }

    @Test func eachEventIsReadOnceInOrderAfterTheFloor() throws {
        let db = store.database
        for orderid in ["o1", "o2", "o3"] { try record(orderid, in: db) }
        let ids = try ["o1", "o2", "o3"].map { try id(of: $0, in: db) }
        var follower = EventFollower(after: ids[0])
        #expect(try read(1, with: &follower, limit: 1) == [ids[1]])
        #expect(try read(1, with: &follower) == [ids[2]])
        #expect(try follower.next(limit: 10, in: db).isEmpty)
        try record("o4", in: db)
        #expect(try read(1, with: &follower) == [try id(of: "o4", in: db)])
        #expect(try follower.next(limit: 10, in: db).isEmpty)
    }

    /// A transaction that took its event id first but commits last: on a server the follower holds the later
    /// event back until the earlier transaction ends, then reads both, each once.
    @Test(.postgresOnly) func anEventCommittedAfterAHigherIdIsStillReadOnce() throws {
        let slow = try store.openAnotherConnection()
        let fast = try store.openAnotherConnection()
        var follower = EventFollower(after: 0)
        // The listing of what was committed before (nothing) is over.
        #expect(try follower.next(limit: 10, in: store.database).isEmpty)
        try slow.execute("BEGIN")
        try record("slow", in: slow)
        try record("fast", in: fast)
        let slowID = try id(of: "slow", in: slow)
        let fastID = try id(of: "fast", in: fast)
        #expect(slowID < fastID)
        #expect(try follower.next(limit: 10, in: store.database).isEmpty)
        try slow.execute("COMMIT")
        #expect(try read(2, with: &follower) == [slowID, fastID])
        #expect(try follower.next(limit: 10, in: store.database).isEmpty)
    }

    /// The first reads list what is committed at once, even while an older transaction is open; what that
    /// transaction then commits follows, and nothing listed comes twice.
    @Test(.postgresOnly) func theListingIsAtOnceAndNothingListedComesAgain() throws {
        let slow = try store.openAnotherConnection()
        try slow.execute("BEGIN")
        try record("slow", in: slow)
        for orderid in ["o1", "o2", "o3"] { try record(orderid, in: store.database) }
        var follower = EventFollower(after: 0)
        let ids = try ["o1", "o2", "o3"].map { try id(of: $0, in: store.database) }
        #expect(try follower.next(limit: 2, in: store.database).map(\.id) == Array(ids[0..<2]))
        #expect(try follower.next(limit: 2, in: store.database).map(\.id) == [ids[2]])
        #expect(try follower.next(limit: 10, in: store.database).isEmpty)
        let slowID = try id(of: "slow", in: slow)
        try slow.execute("COMMIT")
        #expect(try read(1, with: &follower) == [slowID])
        try record("o4", in: store.database)
        #expect(try read(1, with: &follower) == [try id(of: "o4", in: store.database)])
        #expect(try follower.next(limit: 10, in: store.database).isEmpty)
    }
}
