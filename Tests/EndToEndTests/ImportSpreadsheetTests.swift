import Allocation
import Foundation
import TestSupport
import Testing

extension CommandLineFixture {
    /// `stock ARGUMENTS` with the clock set to noon UTC of `day`.
    @discardableResult
    func stock(on day: String, _ arguments: String...) throws -> ProcessResult {
        try StockProcess.run(
            ["--db", path] + arguments, environment: environment.merging(["STOCK_CLOCK": day]) { $1 })
    }

    /// Each line's `orderid sku qty waiting_since` (empty for a line that does not wait), in the order lines
    /// arrived: the waiting queue's order.
    func waitingSince() throws -> [String] {
        try rawConnection(to: path, access: .readOnly).query(
            "SELECT orderid, sku, qty, coalesce(waiting_since, '') FROM order_lines ORDER BY id"
        ) { "\($0.text(0)) \($0.text(1)) \($0.int(2)) \($0.text(3))" }
    }
}

/// `stock import` of files as spreadsheets write them (`;` and tab separators, extra columns, other column
/// names), `import batches --update`, an exported file's waiting times kept, and rows that change nothing
/// counted unchanged; run as the real binary.
@Suite struct ImportSpreadsheetTests {
    @Test func semicolonAndTabSeparatedFilesImportAsCommaSeparatedOnesDo() throws {
        let cli = try CommandLineFixture()
        let batches = try cli.importing("batches", "reference;sku;quantity;eta\r\nB-1;LAMP;10;\r\n\"B;2\";TV;4;\r\n")
        #expect(batches.status == 0, "\(batches.stdout) \(batches.stderr)")
        #expect(batches.stdout == "imported 2 rows: 2 applied, 0 waiting, 0 refused\n")
        let orders = try cli.importing("orders", "orderid\tsku\tquantity\nO-1\tLAMP\t3\nO-2\tTV\t4\n")
        #expect(orders.status == 0, "\(orders.stdout) \(orders.stderr)")
        #expect(orders.stdout == "imported 2 rows: 2 applied, 0 waiting, 0 refused\n")
        #expect(try cli.waitingSince() == ["O-1 LAMP 3 ", "O-2 TV 4 "])
        #expect(try cli.stock("batches", "--json").stdout.contains(#""reference":"B;2""#))
    }

    @Test func aFileMixingSeparatorsIsRefusedWholeNamingThem() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        let before = try cli.contents()
        let header = try cli.importing("orders", "orderid;sku,quantity\nO-1;LAMP;1\n")
        #expect(header.status == 2)
        #expect(
            header.stderr.contains(
                #"line 1: the header mixes separators ";" and ",": a file separates its fields with one of ",", ";" "#
                    + "or tab; nothing was imported"), "\(header.stderr)")
        let row = try cli.importing("orders", "orderid;sku;quantity\nO-1;LAMP;1\nO-2,LAMP,1\n")
        #expect(row.status == 2)
        #expect(
            row.stderr.contains(
                #"line 3: 1 fields, but the header has 3 (the header separates fields with ";", this line with ",")"#),
            "\(row.stderr)")
        #expect(try cli.contents() == before)
    }

    @Test func anExtraColumnIsRefusedWithAHintAndAcceptedWithIgnoreColumns() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        let text = "orderid,sku,quantity,Note,Price\nO-1,LAMP,2,gift,9.90\n"
        let before = try cli.contents()
        let refused = try cli.importing("orders", text)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(#"line 1, column 4: unknown column "Note""#), "\(refused.stderr)")
        #expect(refused.stderr.contains("--ignore-columns imports the file without it"))
        #expect(refused.stderr.contains("--column NAME=Note reads it as column NAME"))
        #expect(try cli.contents() == before)
        let dry = try cli.importing("orders", text, "--ignore-columns", "--dry-run")
        #expect(
            dry.stdout
                == "checked 1 row (dry run, nothing was changed): 1 applied, 0 waiting, 0 refused; ignored columns: "
                + "Note, Price\n")
        #expect(try cli.contents() == before)
        let accepted = try cli.importing("orders", text, "--ignore-columns")
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout == "imported 1 row: 1 applied, 0 waiting, 0 refused; ignored columns: Note, Price\n")
        #expect(try cli.waitingSince() == ["O-1 LAMP 2 "])
    }

    @Test func columnReadsAColumnUnderAnotherName() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        let text = "Order;Item;Qty\nO-1;LAMP;2\n"
        let mapped = try cli.importing("orders", text, "--column", "orderid=Order,sku=Item", "--column=quantity=QTY")
        #expect(mapped.status == 0, "\(mapped.stdout) \(mapped.stderr)")
        #expect(mapped.stdout == "imported 1 row: 1 applied, 0 waiting, 0 refused\n")
        #expect(try cli.waitingSince() == ["O-1 LAMP 2 "])
        let before = try cli.contents()
        let partly = try cli.importing("orders", text, "--column", "orderid=Order")
        #expect(partly.status == 2 && partly.stderr.contains(#"unknown column "Item""#), "\(partly.stderr)")
        let missing = try cli.importing("orders", text, "--column", "orderid=Customer")
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains(
                #"--column orderid=customer: the header has no column "customer"; it has Order, Item, Qty"#),
            "\(missing.stderr)")
        let unknown = try cli.importing("orders", text, "--column", "price=Qty")
        #expect(unknown.status == 2 && unknown.stderr.contains(#"orders files have no column "price""#))
        let malformed = try cli.importing("orders", text, "--column", "orderid")
        #expect(malformed.status == 2 && malformed.stderr.contains("--column takes NAME=HEADER"))
        #expect(try cli.contents() == before)
    }

    @Test func updateChangesTheQuantityAndETAOfBatchesThatAreThere() throws {
        let cli = try CommandLineFixture()
        let first = try cli.importing(
            "batches", "reference,sku,quantity,eta\nS-1,LAMP,10,2026-02-01\nS-2,LAMP,5,2026-03-01\n")
        #expect(first.status == 0, "\(first.stderr)")
        try cli.stock("allocate", "O-1", "LAMP", "4")
        let notice = "reference,sku,quantity,eta\nS-1,LAMP,6,2026-02-10\nS-2,LAMP,5,2026-03-01\nS-3,LAMP,2,2026-04-01\n"
        let without = try cli.importing("batches", notice)
        #expect(without.status == 1)
        #expect(without.stdout.contains("row 1 (line 2): batch reference S-1 already exists"), "\(without.stdout)")
        #expect(without.stdout.hasSuffix("imported 3 rows: 1 applied, 1 unchanged, 0 waiting, 1 refused\n"))
        let before = try cli.contents()
        let dry = try cli.importing("batches", notice, "--update", "--dry-run")
        #expect(dry.status == 0, "\(dry.stdout) \(dry.stderr)")
        #expect(
            dry.stdout == """
                row 1 (line 2): updated S-1: quantity 6, due 2026-02-10
                row 1 (line 2): delays O-1 LAMP x4: 2026-02-01 → 2026-02-10
                checked 3 rows (dry run, nothing was changed): 0 applied, 1 updated, 2 unchanged, 0 waiting, \
                0 refused

                """)
        #expect(try cli.contents() == before)
        let real = try cli.importing("batches", notice, "--update")
        #expect(real.status == 0, "\(real.stdout) \(real.stderr)")
        #expect(
            real.stdout
                == dry.stdout.replacingOccurrences(
                    of: "checked 3 rows (dry run, nothing was changed)", with: "imported 3 rows"))
        let listed = try cli.stock("batches", "--json").stdout
        #expect(listed.contains(#""reference":"S-1","sku":"LAMP","eta":"2026-02-10","purchased":6"#), "\(listed)")
        #expect(try cli.count("batches") == 3)
    }

    @Test func anUpdateARuleRefusesChangesNothingOfItsRow() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "W-1", "LAMP", "10")
        try cli.stock("add-batch", "S-1", "LAMP", "5", "--eta", "2026-02-01")
        try cli.stock("allocate", "O-1", "LAMP", "8")
        let before = try cli.contents()
        // W-1 is in the warehouse: its quantity would change, but an ETA cannot be given to it, so neither changes.
        // S-1 is arriving: an empty ETA would be a receipt, which import does not record.
        let result = try cli.importing(
            "batches", "reference,sku,quantity,eta\nW-1,LAMP,12,2026-02-05\nS-1,LAMP,3,\nS-1,TV,5,2026-02-01\n",
            "--update")
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(
            result.stdout == """
                row 1 (line 2): batch W-1 is already in the warehouse
                row 2 (line 3): batch S-1 is arriving on 2026-02-01: an empty eta would mean it is in the \
                warehouse; record that with receive
                row 3 (line 4): batch reference S-1 already exists
                imported 3 rows: 0 applied, 0 waiting, 3 refused

                """)
        #expect(try cli.contents() == before)
        // A quantity below what is allocated moves lines as change-quantity does: O-1 goes to S-1 or waits.
        let lower = try cli.importing("batches", "reference,sku,quantity,eta\nW-1,LAMP,2,\n", "--update")
        #expect(lower.status == 4, "\(lower.stdout) \(lower.stderr)")
        #expect(lower.stdout.hasPrefix("row 1 (line 2): updated W-1: quantity 2, in the warehouse\n"))
        #expect(lower.stdout.contains("row 1 (line 2): moved O-1 LAMP x8 from W-1 to waiting"), "\(lower.stdout)")
        #expect(lower.stdout.hasSuffix("imported 1 row: 0 applied, 0 waiting, 1 refused\n") == false)
        #expect(lower.stdout.hasSuffix("imported 1 row: 0 applied, 1 waiting, 0 refused\n"))
        let orders = try cli.importing("orders", "orderid,sku,quantity\nO-2,LAMP,1\n", "--update")
        #expect(orders.status == 2 && orders.stderr.contains("--update is for import batches"))
    }

    /// An exported allocations file imported into an empty database keeps each waiting line's waiting_since, in
    /// the same order; a line imported after a waiting line of its SKU that started later waits from now, and
    /// the summary says so.
    @Test func exportedWaitingLinesKeepTheirWaitingSince() throws {
        let original = try CommandLineFixture()
        try original.stock(on: "2026-01-02", "add-batch", "B-1", "LAMP", "2")
        try original.stock(on: "2026-01-02", "add-batch", "B-2", "TV", "1")
        try original.stock(on: "2026-01-03", "allocate", "W-1", "LAMP", "5")
        try original.stock(on: "2026-01-04", "allocate", "A-1", "LAMP", "2")
        try original.stock(on: "2026-01-04", "allocate", "A-2", "TV", "1")
        try original.stock(on: "2026-01-05", "allocate", "W-2", "LAMP", "3")
        try original.stock(on: "2026-01-06", "allocate", "W-3", "TV", "1")
        let batches = original.folder.appendingPathComponent("b.csv").path
        let allocations = original.folder.appendingPathComponent("a.csv").path
        #expect(try original.stock("export", "batches", batches).status == 0)
        #expect(try original.stock("export", "allocations", allocations).status == 0)
        let expected = try original.waitingSince()
        #expect(
            expected == [
                "W-1 LAMP 5 2026-01-03T12:00:00.000Z", "A-1 LAMP 2 ", "A-2 TV 1 ",
                "W-2 LAMP 3 2026-01-05T12:00:00.000Z", "W-3 TV 1 2026-01-06T12:00:00.000Z",
            ])

        let copy = try CommandLineFixture()
        #expect(try copy.stock(on: "2026-01-10", "import", "batches", batches).status == 0)
        let imported = try copy.stock(on: "2026-01-10", "import", "orders", allocations)
        #expect(imported.status == 4, "\(imported.stdout) \(imported.stderr)")
        #expect(imported.stdout.hasSuffix("imported 5 rows: 2 applied, 3 waiting, 0 refused\n"), "\(imported.stdout)")
        #expect(try copy.waitingSince() == expected)
        let again = try copy.stock(on: "2026-01-10", "import", "orders", allocations)
        #expect(again.stdout.hasSuffix("imported 5 rows: 0 applied, 2 unchanged, 3 waiting, 0 refused\n"))
        #expect(try copy.waitingSince() == expected)

        let older = """
            orderid,sku,quantity,status,batchref,waiting_since,shipped_at
            W-0,LAMP,1,waiting,,2026-01-01T08:00:00.000Z,
            W-9,TV,1,waiting,,2026-01-08T08:00:00.000Z,
            W-8,TV,1,waiting,,2027-01-01T00:00:00.000Z,
            W-7,TV,1,waiting,,7 Jan 2026,

            """
        let restarted = try StockProcess.run(
            ["--db", copy.path, "import", "orders", try copy.file("older.csv", older)],
            environment: copy.environment.merging(["STOCK_CLOCK": "2026-01-10"]) { $1 })
        #expect(restarted.status == 1, "\(restarted.stdout) \(restarted.stderr)")
        #expect(
            restarted.stdout == """
                row 1 (line 2): waiting: W-0 LAMP x1 (out of stock for LAMP)
                row 2 (line 3): waiting: W-9 TV x1 (out of stock for TV)
                row 3 (line 4): waiting_since 2027-01-01T00:00:00.000Z is in the future (it is \
                2026-01-10T12:00:00.000Z)
                row 4 (line 5): waiting_since "7 Jan 2026" is not a time in UTC YYYY-MM-DDTHH:MM:SS.sssZ
                imported 4 rows: 0 applied, 2 waiting, 2 refused; backorder ages restarted for 1 line (a line of \
                the SKU was waiting since later)

                """)
        #expect(
            try copy.waitingSince().suffix(2) == [
                "W-0 LAMP 1 2026-01-10T12:00:00.000Z", "W-9 TV 1 2026-01-08T08:00:00.000Z",
            ])
    }

    @Test func aDuplicateRowThatChangesNothingIsCountedUnchanged() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        let result = try cli.importing(
            "orders", "orderid,sku,quantity\nO-1,LAMP,2\nO-2,LAMP,3\nO-1,LAMP,2\nO-1,LAMP,4\n")
        #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.hasSuffix("imported 4 rows: 2 applied, 1 unchanged, 0 waiting, 1 refused\n"))
        let batches = try cli.importing("batches", "reference,sku,quantity,eta\nB-1,LAMP,10,\nB-2,LAMP,1,\n")
        #expect(batches.status == 0)
        #expect(batches.stdout == "imported 2 rows: 1 applied, 1 unchanged, 0 waiting, 0 refused\n")
    }
}
