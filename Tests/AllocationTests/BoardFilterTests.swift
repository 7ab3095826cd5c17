import TestSupport
import Testing

@testable import Allocation

/// The board's filter and orders run in SQL; text matching is one rule for Swift and SQL, non-ASCII included.
@Suite struct BoardFilterTests {
    let store: TestDatabase
    let today = Day(year: 2026, month: 11, day: 25) ?? Day(daysSinceEpoch: 0)

    init() throws {
        store = try TestDatabase()
    }

    /// Batches of awkward case and width, late, arriving, empty and full, and two SKUs with waiting lines.
    func seed() throws {
        let bus = store.makeBus()
        let batches: [(String, String, Int, Int?)] = [
            ("BRASS-LAMP-1", "BRASS-LAMP", 10, -3), ("brass-lamp-2", "BRASS-LAMP", 5, nil),
            ("éclair-box", "PASTRY", 4, 2), ("ÉCLAIR-2", "PASTRY", 8, -1), ("İ-1", "İSTANBUL", 6, nil),
            ("STRASSE-1", "STRASSE", 3, 5), ("Straße-2", "STRASSE", 2, nil), ("\u{212A}-1", "UNITS", 9, nil),
            ("OAK-1", "OAK-TABLE", 20, -10), ("OAK-2", "OAK-TABLE", 1, nil),
        ]
        for (reference, sku, qty, days) in batches {
            try bus.handle(
                .createBatch(CreateBatch(ref: reference, sku: sku, qty: qty, eta: days.map { today.adding(days: $0) })))
        }
        let lines = [
            ("o-1", "BRASS-LAMP", 3), ("o-2", "OAK-TABLE", 20), ("o-3", "OAK-TABLE", 4), ("o-4", "STRASSE", 3),
            ("o-5", "STRASSE", 9), ("o-7", "OAK-TABLE", 1),
        ]
        for (orderid, sku, qty) in lines { try bus.handle(.allocate(Allocate(orderid: orderid, sku: sku, qty: qty))) }
    }

    @Test(arguments: [
        ("ÉCLAIR", "éclair-box"), ("éclair", "ÉCLAIR-2"), ("brass", "BRASS-LAMP"), ("İ", "İSTANBUL"),
        ("i̇", "İ-1"), ("i", "İSTANBUL"), ("ß", "STRASSE"), ("straße", "Straße-2"), ("STRASSE", "straße"),
        ("k", "\u{212A}ELVIN"), ("Σ", "σς"), ("東京", "B-東京-箱"), ("ﬁ", "FI"), ("", "x"), ("a", ""),
        ("e\u{301}", "É"), ("é", "E\u{301}"), ("\u{FFFD}", "a\u{FFFD}b"),
    ])
    func swiftAndSQLFoldAlike(needle: String, text: String) throws {
        let sql = try store.database.queryOne(
            "SELECT \(Database.containsFunction)(?, ?)", text, needle
        ) { $0.int(0) }
        #expect(sql == (Search(needle).matches(text) ? 1 : 0), "\(needle) in \(text)")
    }

    @Test func theFoldIsSwiftsUnicodeLowercaseWhereSQLitesLowerIsNot() throws {
        let db = store.database
        if db.isSQLite {
            #expect(try db.queryOne("SELECT lower('ÉCLAIR')") { $0.text(0) } == "Éclair", "SQLite folds ASCII only")
        }
        #expect(try db.queryOne("SELECT \(Database.containsFunction)('éclair-box', 'ÉCLAIR')") { $0.int(0) } == 1)
        #expect(
            try db.queryOne("SELECT \(Database.containsFunction)(NULL, 'a')") { $0.optionalText(0) ?? "NULL" } == "NULL"
        )
        #expect(try db.queryOne("SELECT \(Database.containsFunction)('İSTANBUL', 'i̇stan')") { $0.int(0) } == 1)
    }

    @Test func theTextFilterKeepsReferencesOrSKUsContainingItInAnyCase() throws {
        try seed()
        let db = store.database
        let filter = BoardFilter(text: "Brass")
        #expect(try Views.batches(filter: filter, in: db).map(\.reference) == ["brass-lamp-2", "BRASS-LAMP-1"])
        #expect(try Views.batchCount(filter: filter, in: db) == 2)
        #expect(
            try Views.batches(filter: BoardFilter(text: "éclair"), in: db).map(\.reference) == [
                "ÉCLAIR-2", "éclair-box",
            ])
        #expect(try Views.batches(filter: BoardFilter(text: "straße"), in: db).map(\.reference) == ["Straße-2"])
        #expect(try Views.batches(filter: BoardFilter(text: "nothing"), in: db).isEmpty)
        #expect(try Views.batchCount(in: db) == 10)
    }

    @Test func quickFiltersCombineWithEachOtherAndTheText() throws {
        try seed()
        let db = store.database
        func references(_ filter: BoardFilter) throws -> Set<String> {
            Set(try Views.batches(filter: filter, in: db).map(\.reference))
        }
        #expect(try references(BoardFilter(lateOn: today)) == ["BRASS-LAMP-1", "ÉCLAIR-2", "OAK-1"])
        #expect(try references(BoardFilter(empty: true)) == ["OAK-1", "OAK-2", "STRASSE-1"])
        #expect(try references(BoardFilter(waiting: true)) == ["OAK-1", "OAK-2", "STRASSE-1", "Straße-2"])
        #expect(try references(BoardFilter(lateOn: today, empty: true)) == ["OAK-1"])
        #expect(try references(BoardFilter(text: "lamp", lateOn: today)) == ["BRASS-LAMP-1"])
        #expect(try references(BoardFilter(text: "lamp", waiting: true)).isEmpty)
        #expect(try Views.batchCount(filter: BoardFilter(lateOn: today, empty: true), in: db) == 1)
        #expect(BoardFilter(text: "lamp", lateOn: today, waiting: true).parts == ["\"lamp\"", "late", "waiting"])
        #expect(!BoardFilter().isActive && BoardFilter(empty: true).isActive)
    }

    @Test func aFilteredBoardFollowsCommitsOfAnotherConnection() throws {
        try seed()
        let other = try store.openAnotherConnection()
        let bus = MessageBus.standard(database: other, settings: store.settings) { _ in }
        let filter = BoardFilter(text: "brass", empty: true)
        #expect(try Views.batches(filter: filter, in: store.database).isEmpty)
        try bus.handle(.allocate(Allocate(orderid: "o-9", sku: "BRASS-LAMP", qty: 2)))
        #expect(try Views.batches(filter: filter, in: store.database).map(\.reference) == ["brass-lamp-2"])
        // A new batch of 4 fills the waiting line of 4: it is empty at once, so the filter shows it.
        try bus.handle(.createBatch(CreateBatch(ref: "NEW-BRASS", sku: "OAK-TABLE", qty: 4)))
        #expect(
            try Views.batches(filter: filter, in: store.database).map(\.reference) == ["brass-lamp-2", "NEW-BRASS"])
        try bus.handle(.deallocate(Deallocate(orderid: "o-9", sku: "BRASS-LAMP")))
        #expect(try Views.batches(filter: filter, in: store.database).map(\.reference) == ["NEW-BRASS"])
    }

    @Test func everySortIsTheSameInSQLAndSwiftAndEndsOnTheReference() throws {
        try seed()
        let db = store.database
        let all = try db.query("SELECT \(Batch.columns) FROM batches AS b ORDER BY b.id") { Batch(row: $0) }
        for sort in BoardSort.allCases {
            let bySQL = try Views.batches(sort: sort, in: db).map(\.reference)
            #expect(bySQL == all.shuffled().sorted(by: sort.order.precedes).map(\.reference), "\(sort)")
            #expect(sort.order.keys.last?.sql == "reference")
        }
        #expect(try Views.batches(sort: .available, in: db).prefix(4).map(\.available) == [0, 0, 0, 2])
        #expect(try Views.batches(sort: .available, in: db).last?.reference == "BRASS-LAMP-1")
        #expect(
            try Views.batches(sort: .eta, in: db).prefix(3).map(\.reference) == ["OAK-1", "BRASS-LAMP-1", "ÉCLAIR-2"])
        #expect(try Views.batches(sort: .eta, in: db).last?.eta == nil)
        #expect(
            try Views.batches(sort: .fill, in: db).prefix(4).map(\.reference) == [
                "OAK-1", "OAK-2", "STRASSE-1", "brass-lamp-2",
            ])
        let byFill = try Views.batches(sort: .fill, in: db).map(\.reference)
        #expect(byFill.suffix(2) == ["éclair-box", "İ-1"], "\(byFill)")
        #expect(BoardSort.preference.next == .eta && BoardSort.fill.next == .preference)
    }

    @Test func positionsAndPagesAgreeUnderEveryFilterAndSort() throws {
        try seed()
        let db = store.database
        let filters = [
            BoardFilter(), BoardFilter(text: "-"), BoardFilter(empty: true), BoardFilter(lateOn: today),
            BoardFilter(text: "a", waiting: true),
        ]
        for filter in filters {
            for sort in BoardSort.allCases {
                let board = try Views.batches(filter: filter, sort: sort, in: db)
                for (index, row) in board.enumerated() {
                    let position = try Views.boardPosition(reference: row.reference, filter: filter, sort: sort, in: db)
                    #expect(position == index, "\(row.reference) \(filter) \(sort)")
                    #expect(
                        try Views.batches(filter: filter, sort: sort, limit: 1, offset: index, in: db).first == row)
                }
                #expect(try Views.batchCount(filter: filter, in: db) == board.count)
            }
        }
        #expect(try Views.boardPosition(reference: "OAK-2", filter: BoardFilter(lateOn: today), in: db) == nil)
    }

    @Test func nextMatchStaysWithinTheFilteredBoardInItsOrder() throws {
        try seed()
        let db = store.database
        let filter = BoardFilter(waiting: true)
        #expect(try Views.nextBatch(containing: "-", after: nil, filter: filter, sort: .available, in: db) == "OAK-1")
        var found: [String] = []
        var at: String?
        while let next = try Views.nextBatch(containing: "-", after: at, filter: filter, sort: .fill, in: db),
            !found.contains(next)
        {
            found.append(next)
            at = next
        }
        #expect(found == (try Views.batches(filter: filter, sort: .fill, in: db)).map(\.reference))
        #expect(try Views.nextBatch(containing: "brass", after: nil, filter: filter, in: db) == nil)
        #expect(
            try Views.nextBatch(containing: "oak", after: "OAK-1", forward: false, filter: filter, in: db) == "OAK-2")
    }

    @Test func theAllocationsFilterFindsAnyPartOfAnOrderIdOrSKUInAnyCase() throws {
        try seed()
        try store.makeBus().handle(.allocate(Allocate(orderid: "Ordre-ÉTÉ", sku: "PASTRY", qty: 1)))
        #expect(try store.lines(matching: "brass") == ["o-1 BRASS-LAMP 3 brass-lamp-2"])
        #expect(try store.lines(matching: "LAMP") == ["o-1 BRASS-LAMP 3 brass-lamp-2"])
        #expect(try store.lines(matching: "été") == ["Ordre-ÉTÉ PASTRY 1 ÉCLAIR-2"])
        #expect(try store.lines(matching: "o-").count == 6)
        #expect(try store.lines(matching: "STRASSE") == ["o-5 STRASSE 9 waiting", "o-4 STRASSE 3 STRASSE-1"])
        #expect(try store.lines(matching: "straße").isEmpty, "ß folds to itself, not to ss")
        #expect(try Views.lineCount(matching: "o-", limit: 100, in: store.database) == 6)
        #expect(try Views.lineCount(matching: "o-", limit: 3, in: store.database) == 3, "the count stops at its limit")
        let oldest = try Views.lines(matching: "O-", from: 0, newer: true, limit: 2, in: store.database)
        #expect(oldest.map(\.orderid) == ["o-1", "o-2"])
        let next = try Views.lines(matching: "O-", from: oldest[1].id, newer: true, limit: 2, in: store.database)
        #expect(next.map(\.orderid) == ["o-3", "o-4"])
    }
}
