import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The operator's forms, from the key to the command and what the screen shows after it.
extension ConsoleEndToEndTests {
    @Test func operatorMovesSearchesAndAllocatesThroughTheForm() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("j")
        try s.waitFor("> B-TABLE-77")
        try s.send("/")
        try s.waitFor("Contains:")
        try s.type("lamp-02")
        try s.send("Enter")
        try s.waitFor("> B-LAMP-02")
        try s.send("Escape", "k")
        try s.waitFor("> B-LAMP-01")
        try run.allocateThroughTheForm(order: "o-e2e", qty: "7", prefilledSKU: "RED-LAMP")
        let screen = try s.waitFor("allocated o-e2e RED-LAMP x7 to B-LAMP-01")
        #expect(screen.contains("Order o-e2e stays for the next line (1 entered)"), "the form is kept:\n\(screen)")
        try s.send("Escape")
        try s.waitUntil("the form closed") { !$0.contains("Order id:") }
        try s.waitUntil("B-LAMP-01 with 37 allocated") {
            run.line(containing: "B-LAMP-01", in: $0).contains("100     37     63")
        }
        let allocations = try Views.orderLines(orderid: "o-e2e", in: run.db.database)
        #expect(allocations.map(\.batchref) == ["B-LAMP-01"])
        let filtered = try run.filterAllocations(by: "RED-LAMP", matching: 2)
        #expect(filtered.contains("> o-e2e") && filtered.contains("o-1001") && !filtered.contains("o-1002"))
        try s.send("Escape")
        try s.waitFor("o-1002")
    }

    @Test func aLongPasteIntoAFormLeavesTheConsoleAnswering() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type(String(repeating: "p", count: 1000))
        let pasted = monotonicSeconds()
        try s.send("Escape")
        try s.waitUntil("the form closed", timeout: 1) { !$0.contains("Order id:") }
        print("Esc answered \(Int((monotonicSeconds() - pasted) * 1000)) ms after a 1000-character paste")
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type(String(repeating: "p", count: 300))
        let screen = try s.waitFor("! at most 255 characters")
        #expect(run.line(containing: "Order id:", in: screen).contains("…ppp"), "\(screen)")
    }

    @Test func newBatchAndQuantityChangeThroughFormsMoveTheCursorAndUpdateTheBoard() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("b")
        try s.waitFor("New batch")
        try s.type("B-AAA-1")
        try s.send("Enter", "Enter")
        try s.type("25")
        try s.send("Enter")
        try s.type("2099-02-30")
        try s.waitFor("! eta \"2099-02-30\" is not a valid date YYYY-MM-DD")
        try s.send("BSpace", "BSpace")
        try s.type("28")
        try s.send("Enter")
        try s.waitFor("batch B-AAA-1 created")
        try s.waitFor("> B-AAA-1" + String(repeating: " ", count: 14) + "BLUE-CHAIR  2099-02-28")
        try s.send("c")
        try s.waitFor("B-AAA-1 (BLUE-CHAIR): 25 purchased, 0 allocated")
        try s.type("40")
        try s.send("Enter")
        try s.waitFor("To 40: no line leaves B-AAA-1.")
        try s.send("Enter")
        try s.waitFor("B-AAA-1 quantity changed")
        try s.waitUntil("B-AAA-1 with 40 purchased") {
            run.line(containing: "B-AAA-1", in: $0).contains("     40      0     40")
        }
    }

    @Test func changeQuantityFormShowsTheBatchAsAnotherProcessChangesIt() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("c")
        try s.waitFor("B-CHAIR-9 (BLUE-CHAIR): 30 purchased, 10 allocated")
        try run.writeElsewhere("change-quantity", "B-CHAIR-9", "25")
        try s.waitFor("B-CHAIR-9 (BLUE-CHAIR): 25 purchased, 10 allocated", timeout: 2)
    }

    @Test func refusedCommandShowsTheCoresMessageAndChangesNothingWhileAnOutOfStockLineWaits() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        let linesBefore = try Views.lines(
            matching: nil, from: Int64.max, newer: false, limit: 1000, in: run.db.database
        ).count
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-x")
        try s.send("Enter")
        for _ in 0..<10 { try s.send("BSpace") }
        try s.type("NOPE")
        try s.send("Enter")
        try s.type("3x")
        try s.waitFor("! qty must be a whole number, got \"3x\"")
        try s.send("BSpace", "Enter")
        try s.waitFor("Refused: Invalid sku NOPE")
        try s.send("Escape")
        try run.allocateThroughTheForm(order: "o-big", qty: "999", prefilledSKU: "BLUE-CHAIR")
        let waiting = try s.waitFor("waiting: o-big BLUE-CHAIR x999 (out of stock for BLUE-CHAIR)")
        #expect(!waiting.contains("Refused:"), "a backorder is not a refusal")
        #expect(waiting.contains("Order o-big stays for the next line"), "the line was taken:\n\(waiting)")
        #expect(
            try Views.lines(matching: nil, from: Int64.max, newer: false, limit: 1000, in: run.db.database).count
                == linesBefore + 1)
        #expect(try Views.orderLines(orderid: "o-big", in: run.db.database).map(\.status.name) == ["waiting"])
        #expect(try Views.orderLines(orderid: "o-x", in: run.db.database).isEmpty)
    }

    @Test func receiveAndChangeEtaThroughTheForms() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("e")
        try s.waitFor("New ETA:")
        try s.type("2099-13-01")
        try s.waitFor("! eta \"2099-13-01\" is not a valid date YYYY-MM-DD")
        for _ in 0..<5 { try s.send("BSpace") }
        try s.type("02-01")
        try s.send("Enter")
        try s.waitFor("B-CHAIR-9 due 2099-02-01")
        try s.waitFor("> B-CHAIR-9" + String(repeating: " ", count: 12) + "BLUE-CHAIR  2099-02-01")
        try s.send("r")
        try s.waitFor("Received qty:")
        try s.send("Enter", "Enter")
        try s.waitFor("Receive x30 of 30: no line leaves B-CHAIR-9.")
        try s.send("Enter")
        try s.waitFor("received B-CHAIR-9 x30")
        try s.waitUntil("B-CHAIR-9 in stock") { run.line(containing: "> B-CHAIR-9", in: $0).contains("in stock") }
        try s.send("r", "Enter", "Enter")
        try s.waitFor("batch B-CHAIR-9 is already in the warehouse")
        let row = try Views.batches(in: run.db.database).first { $0.reference == "B-CHAIR-9" }
        #expect(row?.eta == nil && row?.purchased == 30)
    }

    @Test func moveAndShipThroughTheFormsFromTheSelectedLine() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try run.filterAllocations(by: "o-1001", matching: 1)
        try s.send("m")
        try s.waitFor("To batch:")
        try s.type("B-LAMP-02")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-01 to B-LAMP-02")
        try s.waitUntil("the line on B-LAMP-02") { run.line(containing: "> o-1001", in: $0).hasSuffix("B-LAMP-02") }
        try s.send("s")
        try s.waitFor("Empty SKU ships")
        try s.send("Enter")
        let refused = try s.waitFor("Refused: nothing was shipped: o-1001 RED-LAMP is on arriving")
        #expect(refused.contains("│ batch B-LAMP-02"), "the refusal is wrapped, not cut:\n\(refused)")
        try s.send("Escape", "m")
        try s.waitFor("To batch:")
        try s.type("B-LAMP-01")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-02 to B-LAMP-01")
        try s.send("s", "Enter")
        try s.waitFor("shipped o-1001 RED-LAMP x30 from B-LAMP-01")
        try s.waitFor("shipped from B-LAMP-01")
        #expect(try Views.orderLines(orderid: "o-1001", in: run.db.database).map(\.status.name) == ["shipped"])
        try s.send("Enter")
        let history = try s.waitFor("Order o-1001: shipped and its history")
        #expect(history.contains("RED-LAMP x30 shipped"), "the order's line above its history:\n\(history)")
        for kind in ["allocated", "deallocated", "shipped"] { #expect(history.contains(kind), "\(history)") }
        try s.send("Escape")
        try s.waitUntil("the panel closed") { !$0.contains("and its history") }
    }

    /// A line in two pieces, one in the warehouse and one arriving: `S` ships the first and keeps the line open.
    @Test func shipWhatIsHereFromTheSelectedLineKeepsTheRestOpen() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try run.writeElsewhere("add-batch", "P-IN", "PUFF", "4")
        try run.writeElsewhere("add-batch", "P-SHIP", "PUFF", "6", "--eta", "2099-01-01")
        try run.writeElsewhere("allocate", "o-77", "PUFF", "10")
        try run.filterAllocations(by: "o-77", matching: 1)
        try s.waitFor("P-SHIP")
        try s.send("S")
        try s.waitFor("Ship what is here")
        try s.send("Enter")
        try s.waitFor("shipped o-77 PUFF x4 from P-IN; o-77 PUFF x6 stays open: x6 on arriving batch P-SHIP")
        try s.waitFor("shipped from P-IN")
        #expect(
            try Views.orderLines(orderid: "o-77", in: run.db.database).map(\.status.name) == ["shipped", "allocated"])
    }

    /// The allocations screen as the order desk: `c` changes the selected line, `X` cancels its order, and Enter
    /// shows the order with its lines above its history.
    @Test func changeALineCancelTheOrderAndSeeItFromTheAllocationsScreen() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try run.writeElsewhere("add-batch", "P-IN", "PUFF", "10")
        try run.writeElsewhere("allocate", "o-88", "PUFF", "4")
        try run.filterAllocations(by: "o-88", matching: 1)
        try s.send("c")
        try s.waitFor("keeps its place in the queue")
        try s.type("7")
        try s.send("Enter")
        try s.waitFor("changed o-88 PUFF from x4 to x7: x7 from P-IN")
        try s.send("Enter")
        let order = try s.waitFor("Order o-88: open and its history")
        #expect(order.contains("PUFF x7 allocated"), "\(order)")
        try s.send("Escape", "X")
        try s.waitFor("Cancels every open line of the order")
        try s.send("Enter")
        try s.waitFor("order o-88 cancelled; cancelled o-88 PUFF x7: freed x7 from P-IN")
        try s.waitUntil("the line listed as cancelled") {
            run.line(containing: "> o-88", in: $0).hasSuffix("cancelled")
        }
        #expect(try Views.order("o-88", today: Clock.system.today, in: run.db.database)?.status == "cancelled")
    }

    @Test func allocateWaitingThroughTheFormWhenAutoAllocateIsOff() throws {
        let run = try ConsoleRun(width: 132, environment: ["STOCK_AUTO_ALLOCATE": "false"])
        defer { run.session.kill() }
        let s = run.session
        try s.waitFor("─ OAK-TABLE ─ 1 batch · 20 purchased · 20 allocated · 0 available · 5 waiting ─")
        let environment = ProcessInfo.processInfo.environment.merging(["STOCK_AUTO_ALLOCATE": "false"]) { $1 }
        let writer = try runProcess(
            run.executable, ["--db", run.db.path, "add-batch", "B-TABLE-78", "OAK-TABLE", "10"],
            environment: environment)
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitFor("B-TABLE-78")
        try s.send("j")
        try s.waitFor("> B-TABLE-78")
        try s.send("w")
        try s.waitFor("Allocate waiting lines")
        try s.waitFor("SKU:           OAK-TABLE")
        try s.send("Enter")
        let filled = try s.waitFor("filled o-1004 OAK-TABLE x5 from B-TABLE-78")
        #expect(!run.line(containing: "─ OAK-TABLE ─", in: filled).contains("waiting"), "\(filled)")
    }

    @Test func quantityChangeIsPreviewedAndAChangeMeanwhileShowsTheNewPreview() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try run.previewLampChangeThenAllocateElsewhere()
        try s.send("Enter")
        let refreshed = try s.waitFor("To 35: 1 line leaves B-LAMP-01:")
        #expect(refreshed.contains("o-new RED-LAMP x10 to B-LAMP-02"), "\(refreshed)")
        #expect(refreshed.contains("changed by another process meanwhile"), "\(refreshed)")
        let unchanged = try Views.batches(in: run.db.database).first { $0.reference == "B-LAMP-01" }
        #expect(unchanged?.purchased == 100, "nothing was applied")
        try s.send("Enter")
        try s.waitFor("B-LAMP-01 quantity changed; moved o-new RED-LAMP x10 from B-LAMP-01 to B-LAMP-02")
        let changed = try Views.batches(in: run.db.database).first { $0.reference == "B-LAMP-01" }
        #expect(changed?.purchased == 35 && changed?.allocated == 30)
    }

    @Test func aReceiptIsPreviewedWithItsRestAndEnterConfirmsExactlyIt() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try s.send("r")
        try s.waitFor("Rest ETA:")
        try s.type("5")
        try s.send("Enter")
        try s.type("2099-01-01")
        try s.send("Enter")
        let preview = try s.waitFor("Receive x5 of 30: 1 line leaves B-CHAIR-9:")
        #expect(preview.contains("o-1003 BLUE-CHAIR x10 to B-CHAIR-9-REST"), "\(preview)")
        #expect(preview.contains("rest B-CHAIR-9-REST x25 arriving 2099-01-01"), "\(preview)")
        #expect(preview.contains("Enter confirms"), "\(preview)")
        let unchanged = try Views.batches(in: run.db.database).first { $0.reference == "B-CHAIR-9" }
        #expect(unchanged?.eta != nil && unchanged?.purchased == 30, "nothing is received before Enter")
        try s.send("Enter")
        try s.waitFor("received B-CHAIR-9 x5; rest B-CHAIR-9-REST x25 arriving 2099-01-01")
        let rows = try Views.batches(in: run.db.database)
        let received = rows.first { $0.reference == "B-CHAIR-9" }
        let rest = rows.first { $0.reference == "B-CHAIR-9-REST" }
        #expect(received?.eta == nil && received?.purchased == 5 && received?.allocated == 0)
        #expect(rest?.purchased == 25 && rest?.allocated == 10)
    }

    @Test func aReceiptOffersToReplanAndTheReplanIsPreviewedBeforeEnterConfirmsIt() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        let writer = try runProcess(
            run.executable, ["--db", run.db.path, "add-batch", "B-CHAIR-10", "BLUE-CHAIR", "12", "--eta", "2099-01-01"])
        #expect(writer.status == 0, "\(writer.stderr)")
        try s.waitFor("B-CHAIR-10")
        try s.send("/")
        try s.waitFor("Contains:")
        try s.type("CHAIR-10")
        try s.send("Enter")
        try s.waitFor("> B-CHAIR-10")
        try s.send("r")
        try s.waitFor("Rest ETA:")
        try s.send("Enter", "Enter")
        try s.waitFor("Receive x12 of 12: no line leaves B-CHAIR-10.")
        try s.send("Enter")
        try s.waitFor("received B-CHAIR-10 x12; R re-plans: 1 line completes sooner")
        try s.send("R")
        try s.waitFor("Re-plan")
        try s.send("Enter")
        let preview = try s.waitFor("1 line completes sooner:")
        #expect(preview.contains("o-1003 BLUE-CHAIR x10 to B-CHAIR-10:"), "\(preview)")
        #expect(
            try Views.orderLines(orderid: "o-1003", in: run.db.database).map(\.batchref) == ["B-CHAIR-9"],
            "nothing moves before Enter")
        try s.send("Enter")
        try s.waitFor("moved o-1003 BLUE-CHAIR x10 from B-CHAIR-9 to B-CHAIR-10")
        #expect(try Views.orderLines(orderid: "o-1003", in: run.db.database).map(\.batchref) == ["B-CHAIR-10"])
    }
}
