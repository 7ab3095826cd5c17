import Foundation
import TestSupport
import Testing

/// Paths reach the file system exactly as typed; identifiers are made canonical by the core, where they compare.
@Suite struct UnicodeArgumentTests {
    /// `café` with a combining acute accent (NFD), and precomposed (NFC); Swift's `==` holds them equal.
    static let decomposed = "cafe\u{301}"
    static let precomposed = "caf\u{E9}"

    @Test func aDecomposedDatabasePathCreatesExactlyThatFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent(UnicodeArgumentTests.decomposed + ".sqlite").path
        let result = try StockProcess.run(["--db", path, "init"])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(names.map { Array($0.utf8) } == [Array((UnicodeArgumentTests.decomposed + ".sqlite").utf8)])
        #expect(try StockProcess.run(["--db", path, "batches"]).status == 0)
    }

    @Test func aDecomposedSkuFindsThePrecomposedProduct() throws {
        let cli = try CommandLineFixture()
        let nfc = UnicodeArgumentTests.precomposed.uppercased()
        let nfd = UnicodeArgumentTests.decomposed.uppercased()
        #expect(Array(nfc.utf8) != Array(nfd.utf8))
        #expect(try cli.stock("add-batch", "b1", nfc, "5").status == 0)
        let allocated = try cli.stock("allocate", "order-" + nfd, nfd, "2")
        #expect(allocated.status == 0, "\(allocated.stderr)")
        #expect(
            Array(allocated.stdout.utf8) == Array("allocated order-\(nfc) \(nfc) x2 to b1\n".utf8), "as stored: NFC")
        let listed = try cli.stock("batches", "--sku", nfd, "--json")
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains(#""allocated":2"#), "\(listed.stdout)")
        for orderid in ["order-" + nfc, "order-" + nfd] {
            let allocations = try cli.stock("allocations", orderid, "--json").stdout
            #expect(
                Array(allocations.utf8)
                    == Array((#"[{"sku":"\#(nfc)","batchref":"b1","qty":2,"status":"allocated"}]"# + "\n").utf8))
        }
    }
}
