import Allocation
import Foundation
import TestSupport
import Testing

/// Issue 24's forms in a real terminal: pick lists instead of memory, an order of several lines, one first field,
/// text that fits, and no message left about a form once it is closed.
@Suite(.serialized) struct FormPickListEndToEndTests {
    @Test func theMoveFormListsTheBatchesWithRoomAndUpDownEnterChooseOne() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        let eta = Clock.system.today.adding(days: 5)
        try run.writeElsewhere("add-batch", "B-LAMP-03", "RED-LAMP", "40", "--eta", eta.description)
        try run.writeElsewhere("add-batch", "B-LAMP-04", "RED-LAMP", "10")
        try run.filterAllocations(by: "o-1001", matching: 1)
        try s.send("m")
        let form = try s.waitFor("B-LAMP-03  arriving \(eta)  40 available")
        #expect(form.contains("Move line: Order id, SKU pre-filled"), "the title says what is pre-filled:\n\(form)")
        #expect(form.contains("B-LAMP-02  arriving"), "\(form)")
        #expect(!form.contains("B-LAMP-04 "), "10 available is no room for the line's 30:\n\(form)")
        #expect(!run.line(containing: "Up/Down choose", in: form).isEmpty, "\(form)")
        try s.send("Down", "Down", "Up", "Down")
        let chosen = try s.waitFor("> B-LAMP-03")
        #expect(run.line(containing: "To batch:", in: chosen).contains("To batch:      _"), "not taken before Enter")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-01 to B-LAMP-03")
        #expect(try Views.orderLines(orderid: "o-1001", in: run.db.database).map(\.batchref) == ["B-LAMP-03"])
        // Typing still works, for scanners; the list narrows to what is typed.
        try s.send("m")
        try s.waitFor("B-LAMP-01  in stock")
        try s.type("LAMP-0")
        try s.send("Tab")
        try s.waitUntil("Tab moved to the order id") { run.line(containing: "Order id:", in: $0).contains("_") }
        try s.send("Tab", "Tab")
        try s.waitUntil("back on the batch, its text kept") {
            run.line(containing: "To batch:", in: $0).contains("LAMP-0_")
        }
        try s.send("C-u")
        try s.type("B-LAMP-01")
        try s.send("Enter")
        try s.waitFor("moved o-1001 RED-LAMP from B-LAMP-03 to B-LAMP-01")
    }

    @Test func aSKUFieldCompletesFromKnownSKUsAndAWrongCaseOrSpellingIsNamed() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-c1")
        try s.send("Enter")
        try s.type("oak")
        let listed = try s.waitFor("Up/Down choose")
        let lines = listed.components(separatedBy: "\n")
        let sku = try #require(lines.firstIndex { $0.contains("SKU:") })
        #expect(lines[sku].contains("oak_") && lines[sku + 1].contains("│   OAK-TABLE "), "\(listed)")
        try s.send("Down")
        try s.waitFor("> OAK-TABLE")
        try s.send("Enter")
        try s.waitUntil("the choice taken, on to the quantity") {
            run.line(containing: "SKU:", in: $0).contains("OAK-TABLE")
                && run.line(containing: "Quantity:", in: $0).contains("_")
        }
        try s.type("1")
        try s.send("Enter")
        try s.waitFor("waiting: o-c1 OAK-TABLE x1")
        // The allocate form names the SKU meant as the field is left, a wrong case or a misspelling, and the last
        // Enter is refused with the same words as the command line.
        try s.type("red-lamp")
        try s.send("Enter")
        let left = try s.waitFor("! SKU red-lamp is unknown: did you mean RED-LAMP?")
        #expect(run.line(containing: "Quantity:", in: left).contains("_"), "on the quantity:\n\(left)")
        try s.type("2")
        try s.send("Enter")
        try s.waitFor("Refused: Invalid sku red-lamp; did you mean RED-LAMP?")
        try s.send("BTab")
        try s.send("C-u")
        try s.type("RED-LMAP")
        try s.send("Tab")
        try s.waitFor("! SKU RED-LMAP is unknown: did you mean RED-LAMP?")
        try s.send("Escape")
        // The new-batch form says it as the SKU field is left.
        try s.send("b")
        try s.waitFor("New batch")
        try s.type("B-NEW-1")
        try s.send("Enter")
        try s.type("red-lamp")
        try s.send("Tab")
        try s.waitFor("! SKU red-lamp is new: did you mean RED-LAMP?")
        #expect(try !Views.productExists(sku: "red-lamp", in: run.db.database))
    }

    @Test func anOrderOfSeveralLinesKeepsItsOrderIdUntilCleared() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-multi")
        try s.send("Enter")
        for (number, (sku, qty)) in [("RED-LAMP", "2"), ("BLUE-CHAIR", "1"), ("SMALL-TABLE", "3")].enumerated() {
            try s.type(sku)
            try s.send("Enter")
            try s.type(qty)
            try s.send("Enter")
            let kept = try s.waitFor("Order o-multi stays for the next line (\(number + 1) entered)")
            #expect(run.line(containing: "Order id:", in: kept).contains("o-multi"), "\(kept)")
            #expect(run.line(containing: "SKU:", in: kept).contains("SKU:           _"), "\(kept)")
        }
        let lines = try Views.orderLines(orderid: "o-multi", in: run.db.database)
        #expect(lines.map(\.sku).sorted() == ["BLUE-CHAIR", "RED-LAMP", "SMALL-TABLE"])
        // Ctrl-U on the order id clears it, and the form no longer says it stays.
        try s.send("BTab", "C-u")
        try s.waitUntil("the order id cleared") { !$0.contains("stays for the next line") }
        try s.type("o-other")
        try s.send("Enter")
        try s.type("RED-LAMP")
        try s.send("Enter")
        try s.type("1")
        try s.send("Enter")
        try s.waitFor("Order o-other stays for the next line (1 entered)")
        try s.send("Escape")
        try s.waitUntil("Esc closed the form") { !$0.contains("Order id:") }
        #expect(try Views.orderLines(orderid: "o-other", in: run.db.database).map(\.sku) == ["RED-LAMP"])
    }

    @Test func allocateOpensOnTheOrderIdFromTheBoardAndFromTheAllocations() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        let board = try s.waitFor("SKU:           BLUE-CHAIR")
        #expect(run.line(containing: "Order id:", in: board).contains("Order id:      _"), "\(board)")
        try s.send("Escape", "2")
        try s.waitFor("> o-1004")
        try s.send("a")
        try s.waitFor("Order id:      o-1004_")
        try s.type("WEB-3")
        let typed = try s.waitFor("Order id:      WEB-3_")
        #expect(run.line(containing: "Quantity:", in: typed).contains("5"), "\(typed)")
        #expect(!run.line(containing: "Quantity:", in: typed).contains("WEB"), "\(typed)")
    }

    @Test(arguments: [80, 132]) func aFormsLongDescriptionIsWrappedNotCut(width: Int) throws {
        let run = try ConsoleRun.onTheBoard(width: width)
        defer { run.session.kill() }
        let s = run.session
        try s.send("S")
        let form = try s.waitFor("Ship what is here")
        for words in ["Ships the pieces in the warehouse now;", "stays open.", "Empty SKU: every line."] {
            #expect(form.contains(words), "\(form)")
        }
        #expect(!form.contains("…"), "nothing is cut:\n\(form)")
        try s.send("Escape")
        try run.writeElsewhere("allocate", "o-with-a-rather-long-order-id-2026", "RED-LAMP", "3")
        try s.send("2")
        try s.waitFor("> o-with-a-rather")
        try s.send("d")
        let deallocate = try s.waitFor("Deallocate")
        #expect(deallocate.contains("Enter to confirm."), "\(deallocate)")
    }

    @Test func aClosedFormsMessageIsNotLeftOnTheStatusLine() throws {
        let run = try ConsoleRun.onTheBoard(width: 132)
        defer { run.session.kill() }
        let s = run.session
        try run.previewLampChangeThenAllocateElsewhere()
        try s.send("Enter")
        try s.waitFor("changed by another process meanwhile")
        // Esc goes back from the new preview to the field, Esc again closes the form.
        try s.send("Escape")
        try s.waitUntil("back on the field") { !$0.contains("Enter confirms") }
        let closed = monotonicSeconds()
        try s.send("Escape")
        try s.waitUntil("the message gone with the form", timeout: 2) {
            !$0.contains("changed by another process") && !$0.contains("New quantity:")
        }
        // A refusal is held 4 seconds (`StatusBar.holdSeconds`); a message about a closed form goes at once.
        #expect(monotonicSeconds() - closed < 4, "dropped at once, not after the refusals' hold")
    }
}
