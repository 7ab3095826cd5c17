import Testing

@testable import Allocation

/// The listings' fast paths give what the general paths give, on tricky input as on the common case.
@Suite struct ListingFastPathTests {
    /// Text the sanitizer meets: printable ASCII (the fast path) and everything next to it.
    static let texts = [
        "", "LAMP", "order-0001", " edge spaces ", "~", "a\u{7F}b", "tab\there", "line\nbreak", "\u{1B}[31mred",
        "e\u{301}", "\u{301}lone", "在庫", "\u{202E}evil", "\u{2028}", "\u{FEFF}bom", "\u{85}c1", "\r\n", "caf\u{E9}",
        "😀", "x\u{0}y",
    ]

    @Test func sanitizedFastPathEqualsTheClusterWalk() {
        for text in ListingFastPathTests.texts {
            for replacement in ["?", "·"] {
                #expect(
                    TerminalText.sanitized(text, replacement: replacement)
                        == TerminalText.sanitizedByClusters(text, replacement: replacement), "\(text.debugDescription)")
            }
        }
    }

    /// Every kind's payload as the bus writes it, with strings that stay on the fast path and some that leave it.
    static let events: [Event] = [
        .batchCreated(ref: "B-1", sku: "LAMP", qty: 10, eta: Day("2027-01-05")),
        .batchCreated(ref: "B-2", sku: "LAMP", qty: 0, eta: nil),
        .allocated(orderid: "o-1", sku: "LAMP", qty: 3, batchref: "B-1"),
        .shipped(orderid: "o-1", sku: "LAMP", qty: 3, batchref: "B-1"),
        .deallocated(orderid: "o-1", sku: "LAMP", qty: 3, batchref: "B-1"),
        .deallocated(orderid: "o-1", sku: "LAMP", qty: 3, batchref: nil),
        .cancelled(orderid: "o-1", sku: "LAMP", qty: 3), .lineChanged(orderid: "o-1", sku: "LAMP", qty: -3),
        .outOfStock(sku: "LAMP", orderid: nil, qty: nil), .outOfStock(sku: "LAMP", orderid: "o-2", qty: 4),
        .batchQuantityChanged(ref: "B-1", qty: Int.max), .batchReceived(ref: "B-1", qty: Int.min + 1),
        .outOfStock(sku: "LAMP", orderid: nil, qty: 2),
        .batchEtaChanged(ref: "B-1", eta: Day("2027-02-28")!),
        .batchUnreceived(ref: "B-1", qty: 2, eta: Day("2027-03-01")!), .batchVoided(ref: "B-1", sku: "LAMP", qty: 9),
        .ordersDelayed(ref: "B-1", delayed: []), .allocated(orderid: "caf\u{E9}", sku: "在庫", qty: 1, batchref: "\""),
        .allocated(orderid: "a\\b", sku: "s k", qty: 1, batchref: "\u{1B}"),
    ]

    /// Stored text the bus never writes: other spacing, order, numbers, escapes, keys and values.
    static let oddPayloads: [(kind: String, payload: String)] = [
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}"#),
        ("Allocated", #"{ "orderid":"o","sku":"S","qty":1,"batchref":"B"}"#),
        ("Allocated", #"{"sku":"S","orderid":"o","qty":1,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":01,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":-0,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1.0,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":99999999999999999999,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":"1","batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B","extra":1}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B","batchref":"C"}"#),
        ("Allocated", #"{"orderid":"o\u0041","sku":"S","qty":1,"batchref":"B"}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":null}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"} "#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}}"#), ("Allocated", "{}"), ("Allocated", ""),
        ("Deallocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":null}"#),
        ("BatchCreated", #"{"ref":"B","sku":"S","qty":1,"eta":"2027-02-30"}"#),
        ("BatchCreated", #"{"ref":"B","sku":"S","qty":1,"eta":"2027-2-3"}"#),
        ("BatchCreated", #"{"ref":"B","sku":"S","qty":1}"#),
        ("OutOfStock", #"{"sku":"S","orderid":null,"qty":null}"#),
        ("BatchReceived", #"{"ref":"B","qty":-9223372036854775808}"#),
        ("BatchEtaChanged", #"{"ref":"B","eta":null}"#), ("NoSuchKind", #"{"ref":"B","qty":1}"#),
        ("Allocated", #"{"orderid":"o","sku":"S","qty":nul,"batchref":"B"}"#),
    ]

    /// When the fast path reads `payload`, the general reader reads it too, as the same event.
    static func expectSameAsGeneral(kind: String, payload: String) {
        let general = Result { try Event(kind: kind, payload: payload) }
        guard let fast = Event.stored(kind: kind, payload: payload) else { return }
        switch general {
        case .success(let event): #expect(fast == event, "\(payload)")
        case .failure(let error): Issue.record("the fast path read \(payload), the general one refused: \(error)")
        }
    }

    @Test func storedPayloadReaderEqualsTheJSONReader() {
        for event in ListingFastPathTests.events {
            ListingFastPathTests.expectSameAsGeneral(kind: event.kind.rawValue, payload: event.payload)
        }
        for (kind, payload) in ListingFastPathTests.oddPayloads {
            ListingFastPathTests.expectSameAsGeneral(kind: kind, payload: payload)
        }
    }

    @Test func storedPayloadReaderTakesWhatTheBusWritesInPlainASCII() {
        let plain = ListingFastPathTests.events.filter { event in
            event.kind != .ordersDelayed && event.payload.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }
                && !event.payload.contains(#""""#)
        }
        #expect(plain.count >= 15)
        for event in plain {
            #expect(Event.stored(kind: event.kind.rawValue, payload: event.payload) == event, "\(event.payload)")
        }
    }

    @Test func oddPayloadsLeaveTheFastPath() {
        for (kind, payload) in ListingFastPathTests.oddPayloads.dropFirst() {
            #expect(Event.stored(kind: kind, payload: payload) == nil, "\(payload)")
        }
    }

    @Test func eventJSONAddsThePayloadsMembers() {
        let row = EventRow(id: 7, at: "2026-11-25T10:15:02.120Z", event: .outOfStock(sku: "S", orderid: nil, qty: nil))
        #expect(row.json == #"{"id":7,"at":"2026-11-25T10:15:02.120Z","operator":"","kind":"OutOfStock","sku":"S"}"#)
        var empty = JSONObjectWriter()
        empty.add("id", 1)
        empty.addMembers(of: "{}")
        #expect(empty.text == #"{"id":1}"#)
    }

    @Test func csvQuotingRule() {
        let cases: [(String, Bool)] = [
            ("", false), ("plain", false), (" lead", true), ("trail\t", true), ("a,b", true), ("a\"b", true),
            ("a\nb", true), ("a\rb", true), ("caf\u{E9}", false), ("in side", false),
        ]
        for (field, quoted) in cases { #expect(CSVWriter.needsQuotes(field) == quoted, "\(field.debugDescription)") }
    }
}
