import Allocation
import Foundation
import TestSupport
import Testing

/// What a batch says after shipments, through the real binary on either engine: `purchased` stays what was bought,
/// `shipped` counts what left, on hand is the difference and available what lines do not hold of it; the listings,
/// the export and the import agree, and a quantity below what shipped is refused.
@Suite struct ShippedQuantityTests {
    let cli: CommandLineFixture

    /// W-1 (10 bought) ships 8 of a line split over it and W-2 (5 bought), then W-2 holds 1 more of another line.
    init() throws {
        cli = try CommandLineFixture()
        for arguments in [
            ["add-batch", "W-1", "TV", "10"], ["add-batch", "W-2", "TV", "5"], ["allocate", "O-1", "TV", "12"],
            ["ship", "O-1"], ["allocate", "O-2", "TV", "1"],
        ] {
            let result = try cli.stock(arguments)
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    @Test func theListingsKeepWhatWasBoughtApartFromWhatIsOnHand() throws {
        let json = try cli.stock("batches", "--json")
        #expect(json.status == 0)
        #expect(
            json.stdout
                == #"[{"reference":"W-1","sku":"TV","eta":null,"purchased":10,"shipped":10,"onHand":0,"allocated":0,"#
                + #""available":0},{"reference":"W-2","sku":"TV","eta":null,"purchased":5,"shipped":2,"onHand":3,"#
                + #""allocated":1,"available":2}]"# + "\n")
        let table = try cli.stock("batches").stdout.split(separator: "\n").map(String.init)
        #expect(
            table == [
                "REFERENCE  SKU  ETA       PURCHASED  SHIPPED  ON HAND  ALLOCATED  AVAILABLE",
                "W-1        TV   in stock  10         10       0        0          0",
                "W-2        TV   in stock  5          2        3        1          2",
            ])
        let export = try cli.stock("export", "batches", "-")
        #expect(
            export.stdout
                == "reference,sku,quantity,eta,shipped,on_hand,allocated,available\nW-1,TV,10,,10,0,0,0\n"
                + "W-2,TV,5,,2,3,1,2\n")
    }

    @Test func aQuantityBelowWhatShippedIsRefusedAndChangesNothing() throws {
        let before = try cli.contents()
        let refused = try cli.stock("change-quantity", "W-2", "1")
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains(
                "batch W-2 has shipped 2 already; its purchased quantity cannot go below that, got 1; nothing was "
                    + "changed"), "\(refused.stderr)")
        #expect(try cli.contents() == before)
        // Down to what shipped leaves nothing on hand: the line on W-2 waits.
        let emptied = try cli.stock("change-quantity", "W-2", "2")
        #expect(emptied.status == 4, "\(emptied.stderr)")
        #expect(emptied.stdout.contains("moved O-2 TV x1 from W-2 to waiting"), "\(emptied.stdout)")
        #expect(
            try cli.stock("batches", "--sku", "TV", "--json").stdout.contains(
                #""reference":"W-2","sku":"TV","eta":null,"purchased":2,"shipped":2,"onHand":0,"allocated":0"#))
    }

    @Test func anExportedFileImportsWithWhatShippedGoneFromWhatIsOnHand() throws {
        let exported = try cli.stock("export", "batches", "-").stdout
        let copy = try CommandLineFixture()
        let imported = try copy.stock("import", "batches", "-", input: exported)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported 2 rows: 2 applied"), "\(imported.stdout)")
        #expect(
            try copy.stock("batches", "--json").stdout.contains(
                #"{"reference":"W-2","sku":"TV","eta":null,"purchased":5,"shipped":2,"onHand":3,"allocated":0,"#
                    + #""available":3}"#))
        // A new line takes what is on hand, no more.
        #expect(try copy.stock("allocate", "O-9", "TV", "3").stdout == "allocated O-9 TV x3 to W-2\n")
        #expect(try copy.stock("allocate", "O-10", "TV", "1").status == 4)
        // The same file again changes nothing; the same batch with another shipped count is refused by name.
        let again = try copy.stock("import", "batches", "-", input: exported)
        #expect(again.stdout.hasPrefix("imported 2 rows: 0 applied, 2 unchanged"), "\(again.stdout)")
        let before = try copy.contents()
        let other = try copy.stock(
            "import", "batches", "--update", "-", input: "reference,sku,quantity,shipped\nW-2,TV,5,1\n")
        #expect(other.status == 1)
        #expect(
            other.stdout.contains(
                "row 1 (line 2): batch W-2 has shipped 2 here, not 1: shipped counts the shipments made from it"),
            "\(other.stdout)")
        #expect(try copy.contents() == before)
    }

    @Test func aShippedCellThatCannotBeIsRefusedWithItsReason() throws {
        let copy = try CommandLineFixture()
        let result = try copy.stock(
            "import", "batches", "-",
            input: "reference,sku,quantity,shipped\nX-1,TV,5,7\nX-2,TV,5,two\nX-3,TV,5,\nX-4,TV,5,5\n")
        #expect(result.status == 1)
        #expect(result.stdout.contains("row 1 (line 2): shipped 7 is more than quantity 5"), "\(result.stdout)")
        #expect(result.stdout.contains(#"row 2 (line 3): shipped must be a whole number, got "two""#))
        let listed = try copy.stock("batches").stdout.split(separator: "\n").map(String.init)
        #expect(
            listed.dropFirst() == [
                "X-3        TV   in stock  5          0        5        0          5",
                "X-4        TV   in stock  5          5        0        0          0",
            ])
    }
}
