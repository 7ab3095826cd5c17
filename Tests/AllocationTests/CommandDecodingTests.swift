import Testing

@testable import Allocation

/// The JSON lines of `stock apply`: a bad line is refused as it is decoded, or by the check every command gets in
/// the bus (``Validation/check(_:)``), which the tests run after decoding.
@Suite struct CommandDecodingTests {
    @Test func decodesEveryCommand() throws {
        #expect(
            try Command(jsonLine: #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}"#)
                == .allocate(Allocate(orderid: "o1", sku: "LAMP", qty: 3)))
        #expect(
            try Command(jsonLine: #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":100,"eta":"2026-12-01"}"#)
                == .createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 100, eta: Day("2026-12-01"))))
        #expect(
            try Command(jsonLine: #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":100,"eta":null}"#)
                == .createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 100)))
        #expect(
            try Command(jsonLine: #"{"command":"ChangeBatchQuantity","ref":"b1","qty":0}"#)
                == .changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 0)))
        #expect(
            try Command(jsonLine: #"{"command":"Deallocate","orderid":"o1","sku":"LAMP"}"#)
                == .deallocate(Deallocate(orderid: "o1", sku: "LAMP")))
    }

    @Test func decodesEveryLifecycleCommand() throws {
        #expect(
            try Command(jsonLine: #"{"command":"ChangeBatchQuantity","ref":"b1","qty":5,"expectedVersion":7}"#)
                == .changeBatchQuantity(ChangeBatchQuantity(ref: "b1", qty: 5, expectedVersion: 7)))
        #expect(
            try Command(jsonLine: #"{"command":"ReceiveBatch","ref":"b1"}"#) == .receiveBatch(ReceiveBatch(ref: "b1")))
        #expect(
            try Command(jsonLine: #"{"command":"ReceiveBatch","ref":"b1","qty":0}"#)
                == .receiveBatch(ReceiveBatch(ref: "b1", qty: 0)))
        #expect(
            try Command(jsonLine: #"{"command":"ChangeBatchEta","ref":"b1","eta":"2026-03-01"}"#)
                == .changeBatchEta(ChangeBatchEta(ref: "b1", eta: try #require(Day("2026-03-01")))))
        #expect(try Command(jsonLine: #"{"command":"Ship","orderid":"o1"}"#) == .ship(Ship(orderid: "o1")))
        #expect(
            try Command(jsonLine: #"{"command":"Ship","orderid":"o1","sku":"LAMP"}"#)
                == .ship(Ship(orderid: "o1", sku: "LAMP")))
        #expect(
            try Command(jsonLine: #"{"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":"b2"}"#)
                == .moveLine(MoveLine(orderid: "o1", sku: "LAMP", batchref: "b2")))
        #expect(try Command(jsonLine: #"{"command":"AllocateWaiting"}"#) == .allocateWaiting(AllocateWaiting()))
        #expect(
            try Command(jsonLine: #"{"command":"AllocateWaiting","sku":"LAMP"}"#)
                == .allocateWaiting(AllocateWaiting(sku: "LAMP")))
    }

    @Test(arguments: [
        (#"{"command":"ReceiveBatch","ref":"b1","qty":-5}"#, "qty must be 0 or more, got -5"),
        (
            #"{"command":"ChangeBatchEta","ref":"b1","eta":"2026-02-30"}"#,
            #"eta "2026-02-30" is not a valid date YYYY-MM-DD"#
        ),
        (#"{"command":"ChangeBatchEta","ref":"b1"}"#, #"ChangeBatchEta: missing field "eta""#),
        (#"{"command":"Ship","orderid":""}"#, "order id must not be empty"),
        (#"{"command":"Ship","orderid":"o1","sku":" LAMP"}"#, #"sku " LAMP" must not start or end with a space"#),
        (#"{"command":"MoveLine","orderid":"o1","sku":"LAMP"}"#, #"MoveLine: missing field "batchref""#),
        (#"{"command":"MoveLine","orderid":"o1","sku":"LAMP","batchref":""}"#, "batch reference must not be empty"),
        (#"{"command":"AllocateWaiting","sku":""}"#, "sku must not be empty"),
        (
            #"{"command":"ChangeBatchQuantity","ref":"b1","qty":1,"expectedVersion":-1}"#,
            "expectedVersion must be 0 or more, got -1"
        ),
        (
            #"{"command":"Ship","orderid":"o1","batch":"b1"}"#,
            #"Ship: unknown field "batch" (expected command, orderid, partial, sku)"#
        ),
        (
            #"{"command":"Return"}"#,
            "unknown command \"Return\" (expected CreateBatch, Allocate, ChangeBatchQuantity, Deallocate, ReceiveBatch, ChangeBatchEta, Ship, MoveLine, AllocateWaiting, CancelOrder, ChangeLine, UnreceiveBatch, VoidBatch or Replan)"
        ),
    ])
    func refusesBadLifecycleLinesNamingTheValue(line: String, message: String) {
        #expect(
            performing: { try Validation.check(try Command(jsonLine: line)) },
            throws: { operatorMessage(for: $0) == message })
    }

    @Test func equalKeysInsideValuesOrNestedObjectsAreNotRepeats() throws {
        _ = try JSONFields(parsing: #"{"a":"\"a\":1","b":{"a":1,"c":[{"a":2}]},"c":"{\"b\""}"#, context: "x")
        #expect(
            performing: { _ = try JSONFields(parsing: #"{"a":{"x":1},"a":2}"#, context: "x") },
            throws: { operatorMessage(for: $0).hasPrefix(#"field "a" is given twice"#) })
        #expect(
            performing: { _ = try JSONFields(parsing: #"{"k\\":1,"k\\":2}"#, context: "x") },
            throws: { operatorMessage(for: $0).hasPrefix(#"field "k\" is given twice"#) })
    }

    @Test func relativeEtasAreOnlyForTheDemoLoader() throws {
        let line = #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":1,"etaInDays":3}"#
        #expect(
            try Command(jsonLine: line, today: Day("2026-01-30"))
                == .createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1, eta: Day("2026-02-02"))))
        #expect(throws: InputError.self) { try Command(jsonLine: line) }
    }

    @Test(arguments: [
        ("{bad", "not valid JSON: \"{bad\""),
        ("[1,2]", "expected a JSON object"),
        (#"{"orderid":"o1"}"#, "command: missing field \"command\""),
        (#"{"command":"Teleport"}"#, "unknown command \"Teleport\""),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP"}"#, "Allocate: missing field \"qty\""),
        (
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":"3"}"#,
            "Allocate: field \"qty\" must be a whole number, got \"3\""
        ),
        (
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":2.5}"#,
            "Allocate: field \"qty\" must be a whole number, got 2.5"
        ),
        (
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":1e30}"#,
            "Allocate: field \"qty\" must be a whole number"
        ),
        (
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":99999999999999999999}"#,
            "Allocate: field \"qty\" must be a whole number"
        ),
        (
            #"{"command":"Allocate","orderid":7,"sku":"LAMP","qty":1}"#,
            "Allocate: field \"orderid\" must be a string, got 7"
        ),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":1,"extra":1}"#, "Allocate: unknown field \"extra\""),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":-2}"#, "qty must be positive, got -2"),
        (#"{"command":"Allocate","orderid":"","sku":"LAMP","qty":1}"#, "order id must not be empty"),
        (
            #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":1,"eta":"2025-02-30"}"#,
            "eta \"2025-02-30\" is not a valid date"
        ),
        (#"{"command":"CreateBatch","ref":"b\u001b[2J","sku":"LAMP","qty":1}"#, "contains control character U+1B"),
        (
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":7000000000,"qty":5}"#,
            "field \"qty\" is given twice"
        ),
        (#"{"command":"Allocate","orderid":"o1","sku":"LAMP","q\u0074y":1,"qty":5}"#, "field \"qty\" is given twice"),
    ])
    func malformedLinesAreRefusedNamingTheProblem(_ line: String, _ message: String) {
        do {
            try Validation.check(try Command(jsonLine: line))
            Issue.record("accepted \(line)")
        } catch let error as InputError {
            #expect(error.message.contains(message), "\(error.message)")
        } catch let error as ContractViolation {
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
