import Allocation
import Testing

@testable import stock

/// `apply`'s answer to a placed `Allocate` line is written straight into its bytes (``AllocatedAnswer``); these
/// runs hold it to the general writer (``Tool/answer(_:_:)``) on the lines it covers and on those it must decline.
@Suite struct AllocatedAnswerTests {
    /// Lines as a script writes them: plain, escaped, non-ASCII (precomposed and not), extreme numbers.
    static let lines = [
        #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}"#,
        #"{"command":"Allocate","orderid":"order-000042","sku":"SKU-007","qty":1000000000}"#,
        #" { "qty" : 5 , "sku" : "A B" , "orderid" : "x y" , "command" : "Allocate" } "#,
        #"{"command":"Allocate","orderid":"o\"q","sku":"LAMP","qty":1}"#,
        #"{"command":"Allocate","orderid":"back\\slash","sku":"LAMP","qty":1}"#,
        #"{"command":"Allocate","orderid":"caf\u00e9","sku":"LAMP","qty":2}"#,
        "{\"command\":\"Allocate\",\"orderid\":\"cafe\u{301}\",\"sku\":\"LAMP\",\"qty\":2}",
        #"{"command":"Allocate","orderid":"smile\ud83d\ude00","sku":"\u004cAMP","qty":2}"#,
        #"{"command":"Allocate","orderid":"tab\there","sku":"LAMP","qty":2}"#,
        #"{"command":"Allocate","orderid":"del\u007f","sku":"LAMP","qty":2}"#,
        #"{"command":"Allocate","orderid":"rtl\u202e","sku":"LAMP","qty":2}"#,
        #"{"command":"Allocate","orderid":"slash\/ok","sku":"LAMP","qty":-7}"#,
        #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":0}"#,
    ]

    static let results: [Result<Outcome, any Error>] = [
        .success(.allocated(batchReference: "B-1", wasAlreadyAllocated: false)),
        .success(.allocated(batchReference: "B-1", wasAlreadyAllocated: true, daysLate: 3)),
        .success(.allocated(batchReference: "bätch \"2\"", wasAlreadyAllocated: false)),
        .success(.waiting(orderid: "o1", sku: "LAMP", qty: 3, isNew: true, room: nil)),
        .failure(InputError(message: "refused")),
    ]

    @Test(arguments: lines)
    func answersAsTheGeneralWriterDoes(line: String) {
        let decoded = Command.decode(jsonLine: line)
        let row = BulkRow(number: 12345, command: decoded.command, name: decoded.name)
        for result in AllocatedAnswerTests.results {
            var bytes: [UInt8] = []
            let general = Tool.answer(row, result).text
            if AllocatedAnswer.write(row, result, into: &bytes) {
                #expect(String(decoding: bytes, as: UTF8.self) == general, "\(line)")
            } else {
                #expect(bytes.isEmpty)
            }
        }
    }

    @Test func coversThePlainCaseAndDeclinesTheRest() throws {
        let placed: Result<Outcome, any Error> = .success(.allocated(batchReference: "B-1", wasAlreadyAllocated: false))
        func covers(_ line: String, _ result: Result<Outcome, any Error> = placed) -> Bool {
            let decoded = Command.decode(jsonLine: line)
            var bytes: [UInt8] = []
            return AllocatedAnswer.write(
                BulkRow(number: 1, command: decoded.command, name: decoded.name), result, into: &bytes)
        }
        #expect(covers(AllocatedAnswerTests.lines[0]))
        #expect(covers(AllocatedAnswerTests.lines[2]))
        #expect(!covers(AllocatedAnswerTests.lines[3]))
        #expect(!covers(AllocatedAnswerTests.lines[5]))
        #expect(!covers(AllocatedAnswerTests.lines[9]))
        #expect(!covers(AllocatedAnswerTests.lines[0], AllocatedAnswerTests.results[2]))
        #expect(!covers(AllocatedAnswerTests.lines[0], AllocatedAnswerTests.results[3]))
        #expect(!covers(#"{"command":"Deallocate","orderid":"o1","sku":"LAMP"}"#))
    }

    @Test func plainIsPrintableASCIIButQuoteAndBackslash() {
        for byte in UInt8(0)...UInt8(0x7F) {
            let text = String(decoding: [UInt8(ascii: "a"), byte], as: UTF8.self)
            let expected = byte >= 0x20 && byte != 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
            #expect(AllocatedAnswer.isPlain(text) == expected, "\(byte)")
        }
        #expect(!AllocatedAnswer.isPlain("café"))
        #expect(AllocatedAnswer.isPlain(""))
    }
}
