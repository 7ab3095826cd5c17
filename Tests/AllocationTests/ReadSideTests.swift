import TestSupport
import Testing

@testable import Allocation

/// The typed read side: events decoded once, one preference order for SQL and Swift, one search rule.
@Suite struct ReadSideTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    /// One event of each kind; the switch has no `default`, so a new kind needs a sample here.
    static func sample(of kind: Event.Kind) -> Event {
        switch kind {
        case .batchCreated: .batchCreated(ref: "b-\u{1B}\"\\", sku: "Gerät 箱", qty: 7, eta: Day("2026-02-01"))
        case .allocated: .allocated(orderid: "o\u{202E}1", sku: "LAMP", qty: 3, batchref: "café")
        case .deallocated: .deallocated(orderid: "o1", sku: "LAMP", qty: 3, batchref: "b1")
        case .outOfStock: .outOfStock(sku: "LAMP", orderid: "o1", qty: 3)
        case .lineChanged: .lineChanged(orderid: "o1", sku: "LAMP", qty: 5)
        case .batchQuantityChanged: .batchQuantityChanged(ref: "b1", qty: 0)
        case .batchReceived: .batchReceived(ref: "b1", qty: 4)
        case .batchEtaChanged:
            .batchEtaChanged(ref: "b1", eta: Day(year: 2026, month: 3, day: 1) ?? Day(daysSinceEpoch: 0))
        case .shipped: .shipped(orderid: "o1", sku: "LAMP", qty: 3, batchref: "b1")
        case .cancelled: .cancelled(orderid: "o1", sku: "LAMP", qty: 3)
        case .ordersDelayed:
            .ordersDelayed(
                ref: "b1",
                delayed: [
                    Delay(
                        orderid: "o\u{1B}1", sku: "LAMP", qty: 3,
                        from: Day(year: 2026, month: 3, day: 1) ?? Day(daysSinceEpoch: 0),
                        to: nil)
                ])
        case .batchUnreceived:
            .batchUnreceived(ref: "b1", qty: 4, eta: Day(year: 2026, month: 3, day: 1) ?? Day(daysSinceEpoch: 0))
        case .batchVoided: .batchVoided(ref: "b1", sku: "LAMP", qty: 4)
        }
    }

    func insertEvent(kind: String, payload: String) throws {
        try store.database.execute(
            "INSERT INTO events (at, kind, payload) VALUES (?, ?, ?)", "2026-01-15T12:00:00.000Z", kind, payload)
    }

    @Test(arguments: Event.Kind.allCases)
    func everyEventReadsBackAsWritten(kind: Event.Kind) throws {
        let event = Self.sample(of: kind)
        #expect(try Event(kind: event.kind.rawValue, payload: event.payload) == event)
        try insertEvent(kind: event.kind.rawValue, payload: event.payload)
        let row = try #require(try Views.events(in: store.database).first)
        #expect(row.event == event)
        #expect(row.kind == kind.rawValue && row.payload == event.payload)
        #expect(row.shownTime(in: .utc)?.clock == "12:00:00")
    }

    /// A row as JSON the way it was printed before the stored payload was kept: the event encoded again.
    static func encodedAgain(_ row: EventRow) -> String {
        var head = JSONObjectWriter()
        head.add("id", Int(row.id))
        head.add("at", row.at)
        head.add("operator", row.operator)
        head.add("kind", row.kind)
        let fields = row.event.payload.dropFirst().dropLast()
        return fields.isEmpty ? head.text : String(head.text.dropLast()) + "," + fields + "}"
    }

    @Test func everyEventPrintsItsStoredPayloadAsItsEventEncodedAgain() throws {
        for kind in Event.Kind.allCases {
            let event = Self.sample(of: kind)
            try store.database.execute(
                "INSERT INTO events (at, kind, payload, operator) VALUES (?, ?, ?, ?)", "2026-01-15T12:00:00.000Z",
                event.kind.rawValue, event.payload, "Jürgen \"J\" 田中")
        }
        let rows = try Views.events(in: store.database)
        #expect(Set(rows.map(\.event.kind)) == Set(Event.Kind.allCases))
        for row in rows {
            #expect(row.json == Self.encodedAgain(row))
            #expect(row.payload == row.event.payload)
        }
        #expect(rows.contains { $0.json.contains(#"\u001b\"\\"#) && $0.json.contains("Gerät 箱") })
    }

    /// Rows written before JSON escaped text-direction marks hold them raw; printed, they are escaped as today.
    @Test func aStoredPayloadHoldingARawTextDirectionMarkIsEncodedAgain() throws {
        try insertEvent(kind: "Cancelled", payload: "{\"orderid\":\"o\u{202E}1\",\"sku\":\"LAMP\",\"qty\":3}")
        let row = try #require(try Views.events(in: store.database).first)
        #expect(row.payload == #"{"orderid":"o\u202e1","sku":"LAMP","qty":3}"#)
        #expect(row.json == Self.encodedAgain(row))
    }

    @Test func anEventWithNoETAReadsBackWithout() throws {
        let event = Event.batchCreated(ref: "b1", sku: "LAMP", qty: 1, eta: nil)
        #expect(event.payload == #"{"ref":"b1","sku":"LAMP","qty":1,"eta":null}"#)
        #expect(try Event(kind: "BatchCreated", payload: event.payload) == event)
    }

    @Test(arguments: [
        ("Mystery", #"{"sku":"LAMP"}"#, #"unknown event kind "Mystery""#),
        ("OutOfStock", #"{"sku":"LAMP","extra":1}"#, #"unknown field "extra""#),
        ("OutOfStock", #"{}"#, #"missing field "sku""#),
        ("Allocated", #"{"orderid":"o1","sku":"LAMP","qty":"3","batchref":"b1"}"#, "must be a whole number"),
        ("BatchCreated", #"{"ref":"b","sku":"S","qty":1,"eta":"2026-02-30"}"#, "not a valid date"),
        ("Deallocated", "not json", "not valid JSON"),
    ])
    func anEventThatCannotBeReadStopsTheReadNamingItsIdAndKind(kind: String, payload: String, reason: String) throws {
        try insertEvent(kind: "OutOfStock", payload: #"{"sku":"FINE"}"#)
        try insertEvent(kind: kind, payload: payload)
        for read in [
            { try Views.events(in: store.database) },
            { try Views.events(from: Int64.max, newer: false, limit: 40, in: store.database) },
        ] {
            let error = try #require(throws: DatabaseError.self) { try read() }
            #expect(error.kind == .unreadable)
            #expect(error.message.hasPrefix("event 2 (\"\(kind)\") cannot be read: "), "\(error.message)")
            #expect(error.message.contains(reason), "\(error.message)")
        }
        #expect(
            try Views.events(limit: 1, in: store.database).map(\.event) == [
                .outOfStock(sku: "FINE", orderid: nil, qty: nil)
            ])
    }

    /// Batches with ties on ETA, NULL ETAs and references that differ in case and beyond ASCII.
    func seedAwkwardBatches() throws {
        let db = store.database
        for sku in ["B", "A", "é"] { try db.execute("INSERT INTO products (sku) VALUES (?)", sku) }
        let rows: [(String, String, String?)] = [
            ("b", "B", nil), ("B", "B", nil), ("a", "B", "2026-03-01"), ("Z", "B", "2026-03-01"),
            ("é", "B", "2026-02-01"), ("e", "B", "2026-02-01"), ("z", "B", nil), ("x", "A", "2026-01-01"),
            ("y", "A", nil), ("ü", "é", nil), ("u", "é", "2026-01-01"), ("U", "é", "2026-01-01"),
        ]
        for (reference, sku, eta) in rows {
            try db.execute(
                "INSERT INTO batches (reference, sku, purchased, eta) VALUES (?, ?, 5, ?)", reference, sku, eta)
        }
    }

    @Test func sqlAndSwiftAgreeOnThePreferenceOrder() throws {
        try seedAwkwardBatches()
        let board = try Views.batches(in: store.database).map(\.reference)
        let all = try store.database.query("SELECT \(Batch.columns) FROM batches AS b ORDER BY b.id") {
            Batch(row: $0)
        }
        #expect(board == all.sorted(by: BatchOrder.board.precedes).map(\.reference))
        #expect(board == ["y", "x", "B", "b", "z", "e", "é", "Z", "a", "ü", "U", "u"])
        for sku in ["A", "B", "é"] {
            let bySQL = try Batch.forSKU(sku, in: store.database)
            #expect(bySQL == bySQL.shuffled().sorted(by: isPreferred), "\(sku)")
        }
        let descending = try store.database.query(
            "SELECT reference FROM batches ORDER BY \(BatchOrder.board.sql(descending: true))"
        ) { $0.text(0) }
        #expect(descending == board.reversed())
    }

    @Test func thePreferenceIndexHoldsTheBoardOrder() throws {
        let db = store.database
        if db.isSQLite {
            let sql = try db.queryOne("SELECT sql FROM sqlite_schema WHERE name = 'batches_by_preference'") {
                $0.text(0)
            }
            #expect(sql == "CREATE INDEX batches_by_preference ON batches (\(BatchOrder.board.sql()))")
        } else {
            // The server spells each indexed column its own way: an expression in parentheses.
            let columns = try db.query(
                """
                SELECT pg_get_indexdef(i.indexrelid, k, true) FROM pg_index AS i, generate_series(1, i.indnatts) AS k
                WHERE i.indexrelid = 'batches_by_preference'::regclass ORDER BY k
                """
            ) { $0.text(0) }
            #expect(columns == BatchOrder.board.keys.map { $0.sql.contains(" ") ? "(\($0.sql))" : $0.sql })
        }
    }

    @Test func boardPositionsFollowTheBoard() throws {
        try seedAwkwardBatches()
        for (index, row) in try Views.batches(in: store.database).enumerated() {
            #expect(try Views.boardPosition(reference: row.reference, in: store.database) == index)
        }
        #expect(try Views.boardPosition(reference: "gone", in: store.database) == nil)
    }

    @Test func anOffsetNeedsALimit() throws {
        #expect(throws: ContractViolation.self) { try Views.batches(offset: 1, in: store.database) }
    }

    @Test(arguments: [
        ("brass", "BRASS-LAMP", true), ("ÉCLAIR", "éclair-box", true), ("éclair", "ÉCLAIR-2", true),
        ("straße", "STRASSE", false), ("lamp", "brass-lamp", true), ("Lamp", "LAM", false), ("", "x", false),
        ("\n", "a\r\nb", true), ("b", "a\r\nb", true), ("東京", "B-東京-箱", true), ("k", "\u{212A}ELVIN", true),
    ])
    func theSearchRuleFoldsUnicodeCase(needle: String, text: String, expected: Bool) {
        #expect(Search(needle).matches(text) == expected)
        #expect(Search(needle).matches(text) == Search.fold(text).contains(Search.fold(needle)))
    }

    @Test func nextBatchFindsExactlyWhatTheHighlightShows() throws {
        let db = store.database
        let rows = [
            ("BRASS-LAMP", "LIGHTS"), ("éclair-box", "PASTRY"), ("b-1", "ÉCLAIR-TINS"), ("plain", "brass"),
            ("Straße-1", "STREETS"), ("\u{212A}-1", "UNITS"),
        ]
        for (reference, sku) in rows {
            try db.execute("INSERT INTO products (sku) VALUES (?) ON CONFLICT DO NOTHING", sku)
            try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES (?, ?, 1)", reference, sku)
        }
        let board = try Views.batches(in: db)
        for needle in ["brass", "BRASS", "ÉCLAIR", "éclair", "straße", "k-", "-1", "ss", "nothing"] {
            let search = Search(needle)
            let shown = board.filter { search.matches($0.reference) || search.matches($0.sku) }.map(\.reference)
            for forward in [true, false] {
                var found: [String] = []
                var at: String?
                while let next = try Views.nextBatch(containing: needle, after: at, forward: forward, in: db),
                    !found.contains(next)
                {
                    found.append(next)
                    at = next
                }
                #expect(found == (forward ? shown : shown.reversed()), "\(needle) forward \(forward)")
            }
        }
        #expect(try Views.nextBatch(containing: "brass", after: nil, in: db) == "BRASS-LAMP")
        #expect(try Views.nextBatch(containing: "ÉCLAIR", after: "BRASS-LAMP", in: db) == "éclair-box")
    }

    @Test func nextBatchPagesThroughALongBoardAndWrapsAround() throws {
        let db = store.database
        try db.execute("INSERT INTO products (sku) VALUES ('S')")
        try db.transaction { db in
            for number in 0..<1000 {
                try db.execute(
                    "INSERT INTO batches (reference, sku, purchased) VALUES (?, 'S', 1)",
                    "B-" + String(String(10_000 + number).dropFirst()))
            }
        }
        #expect(try Views.nextBatch(containing: "b-0999", after: "B-0000", in: db) == "B-0999")
        #expect(try Views.nextBatch(containing: "b-0000", after: "B-0999", in: db) == "B-0000")
        #expect(try Views.nextBatch(containing: "b-0001", after: "B-0999", forward: false, in: db) == "B-0001")
        #expect(try Views.nextBatch(containing: "b-0998", after: "B-0001", forward: false, in: db) == "B-0998")
        #expect(try Views.nextBatch(containing: "b-05", after: "gone", in: db) == "B-0500")
        #expect(try Views.nextBatch(containing: "none", after: "B-0500", in: db) == nil)
    }
}
