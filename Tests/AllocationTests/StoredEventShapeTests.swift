import Testing

@testable import Allocation

/// The in-place reader of stored payloads (``Event/Kind/storedAsWritten(name:payload:)``), which listings use to
/// copy a row's text without decoding it, takes exactly what the decoding reader (``Event/stored(kind:payload:)``)
/// takes, as the same kind: on what the bus writes, on the odd payloads, and on every one-byte change of them.
@Suite struct StoredEventShapeTests {
    static func inPlaceKind(_ name: String, _ payload: String) -> Event.Kind? {
        Array(name.utf8).withUnsafeBufferPointer { name in
            Array(payload.utf8).withUnsafeBufferPointer { payload in
                Event.Kind.storedAsWritten(name: name, payload: payload)
            }
        }
    }

    static func expectSameRule(_ name: String, _ payload: String) {
        #expect(
            inPlaceKind(name, payload) == Event.stored(kind: name, payload: payload)?.kind,
            "\(name) \(payload.debugDescription)")
    }

    /// The bus's payloads, with more edges than the listing tests: the limits of `Int`, empty and odd strings.
    static let events: [Event] =
        ListingFastPathTests.events + [
            .allocated(orderid: "", sku: "", qty: 0, batchref: ""),
            .allocated(orderid: "a/b", sku: "<tag>&", qty: Int.max, batchref: "{}[],:"),
            .batchReceived(ref: "B", qty: Int.min + 1), .batchReceived(ref: "B", qty: -1),
            .batchCreated(ref: "B", sku: "S", qty: -5, eta: Day("0001-01-01")),
            .batchUnreceived(ref: "B", qty: 0, eta: Day("9999-12-31")!),
            .outOfStock(sku: "S", orderid: "", qty: nil), .outOfStock(sku: "S", orderid: "o", qty: nil),
            .shipped(orderid: "o", sku: "s", qty: 10, batchref: "null"),
            .deallocated(orderid: "o", sku: "s", qty: 1, batchref: "\"null\""),
        ]

    @Test func theBusPayloadsAndTheOddOnesAreReadByTheSameRule() {
        var inPlace = 0
        for event in StoredEventShapeTests.events {
            for kind in Event.Kind.allCases {
                StoredEventShapeTests.expectSameRule(kind.rawValue, event.payload)
            }
            if StoredEventShapeTests.inPlaceKind(event.kind.rawValue, event.payload) != nil { inPlace += 1 }
        }
        for (kind, payload) in ListingFastPathTests.oddPayloads {
            StoredEventShapeTests.expectSameRule(kind, payload)
        }
        // The rule is not vacuous: most of what the bus writes is read in place.
        #expect(inPlace >= 25)
    }

    @Test func everyOneByteChangeIsReadByTheSameRule() {
        let replacements = Array(#"0 19-"\,:{}nulx"#.utf8) + [0x1F, 0x7F, 0xC3]
        var checked = 0
        for event in StoredEventShapeTests.events where event.kind != .ordersDelayed {
            let bytes = Array(event.payload.utf8)
            let name = event.kind.rawValue
            var variants: [[UInt8]] = []
            for index in bytes.indices {
                var removed = bytes
                removed.remove(at: index)
                variants.append(removed)
                for byte in replacements {
                    var changed = bytes
                    changed[index] = byte
                    variants.append(changed)
                    var inserted = bytes
                    inserted.insert(byte, at: index)
                    variants.append(inserted)
                }
            }
            for variant in variants {
                let payload = String(decoding: variant, as: UTF8.self)
                StoredEventShapeTests.expectSameRule(name, payload)
                checked += 1
            }
        }
        #expect(checked > 10_000)
    }

    @Test func optionalMembersMayBeLeftOutOnlyWhereThePayloadLeavesThemOut() {
        let cases = [
            ("OutOfStock", #"{"sku":"S"}"#), ("OutOfStock", #"{"sku":"S","qty":2}"#),
            ("OutOfStock", #"{"sku":"S","orderid":"o"}"#), ("OutOfStock", #"{"sku":"S","qty":2,"orderid":"o"}"#),
            ("OutOfStock", #"{"orderid":"o","sku":"S"}"#), ("OutOfStock", #"{"sku":"S",}"#),
            ("Deallocated", #"{"orderid":"o","sku":"S","qty":1}"#),
            ("Deallocated", #"{"orderid":"o","sku":"S","qty":1,}"#),
            ("Deallocated", #"{"orderid":"o","sku":"S","qty":1,"batchref":"B"}"#),
            ("BatchCreated", #"{"ref":"B","sku":"S","qty":1,"eta":null}"#),
            ("BatchCreated", #"{"ref":"B","sku":"S","qty":1,"eta":"2027-01-01"}"#),
            ("BatchEtaChanged", #"{"ref":"B","eta":"2027-01-01"}"#),
            ("BatchEtaChanged", #"{"ref":"B","eta":"2027-1-01"}"#),
            ("Allocated", #"{"orderid":"o","sku":"S","qty":9223372036854775807,"batchref":"B"}"#),
            ("Allocated", #"{"orderid":"o","sku":"S","qty":9223372036854775808,"batchref":"B"}"#),
            ("Allocated", #"{"orderid":"o","sku":"S","qty":-9223372036854775807,"batchref":"B"}"#),
        ]
        for (name, payload) in cases { StoredEventShapeTests.expectSameRule(name, payload) }
        #expect(StoredEventShapeTests.inPlaceKind("OutOfStock", #"{"sku":"S","qty":2}"#) == .outOfStock)
        #expect(StoredEventShapeTests.inPlaceKind("OutOfStock", #"{"sku":"S","qty":2,"orderid":"o"}"#) == nil)
    }
}
