import Allocation
import Foundation
import TestSupport
import Testing

/// Entering things through the console's forms in a real terminal: a scan replaces a pre-filled value, Ctrl-U and
/// Ctrl-W edit a field, a new SKU and a past ETA are said before anything is created.
@Suite(.serialized) struct FormEntryEndToEndTests {
    @Test func aSKUTypedIntoThePrefilledFieldReplacesIt() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-scan")
        try s.send("Enter")
        let selected = try s.waitUntil("the pre-filled SKU drawn selected") {
            run.line(containing: "SKU:", in: $0).contains("BLUE-CHAIR_")
        }
        let escapes = try s.capture(escapes: true)
        let skuLine = run.line(containing: "SKU:", in: escapes)
        #expect(skuLine.contains("\u{1B}[7mBLUE-CHAIR"), "drawn in reverse video: \(skuLine.debugDescription)")
        #expect(run.line(containing: "Order id:", in: selected).contains("o-scan"))
        try s.type("RED-LAMP")
        try s.send("Enter")
        try s.type("3")
        try s.send("Enter")
        try s.waitFor("allocated o-scan RED-LAMP x3 to B-LAMP-01")
        let lines = try Views.orderLines(orderid: "o-scan", in: run.db.database)
        #expect(lines.map(\.sku) == ["RED-LAMP"], "not BLUE-CHAIRRED-LAMP")
    }

    @Test func aNewSKUIsConfirmedAndAPastETAWarnedBeforeTheBatchIsCreated() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("b")
        try s.waitFor("New batch")
        try s.type("WRONG WORDS")
        try s.send("C-w")
        try s.waitUntil("Ctrl-W erased a word") { run.line(containing: "Reference:", in: $0).contains("WRONG _") }
        try s.send("C-u")
        try s.waitUntil("Ctrl-U cleared the field") {
            run.line(containing: "Reference:", in: $0).contains("Reference:     _")
        }
        try s.type("B-NEW-1")
        try s.send("Enter")
        try s.type("LAMP-B9")
        try s.send("Enter")
        try s.waitFor("! SKU LAMP-B9 is new: no batch has it yet")
        try s.type("5")
        try s.send("Enter")
        let eta = Clock.system.today.adding(days: -3)
        try s.type(eta.description)
        try s.waitFor("! ETA \(eta) is 3 days ago: the batch counts as late and")
        try s.send("Enter")
        try s.waitFor("SKU LAMP-B9 is new: Enter creates it, Esc goes back")
        #expect(try !Views.productExists(sku: "LAMP-B9", in: run.db.database), "nothing is created yet")
        try s.send("Escape")
        try s.waitUntil("back on the SKU field") { run.line(containing: "SKU:", in: $0).contains("LAMP-B9_") }
        try s.send("Enter", "Enter", "Enter")
        try s.waitFor("SKU LAMP-B9 is new: Enter creates it")
        try s.send("Enter")
        // The status line keeps the warning after the form closed (cut at 80 columns).
        try s.waitFor("batch B-NEW-1 created; new SKU LAMP-B9 created; ETA")
        #expect(try Views.batches(sku: "LAMP-B9", in: run.db.database).map(\.reference) == ["B-NEW-1"])
    }

    @Test func allocateOnALinePrefillsItsQuantityAndSpaceIsNamed() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("Space")
        try s.waitFor("Space does nothing here; press ? for the keys")
        try s.send("2")
        try s.waitFor("> o-1004")
        try s.send("a")
        let form = try s.waitFor("Order id:      o-1004_")
        #expect(run.line(containing: "SKU:", in: form).contains("OAK-TABLE"), "\(form)")
        #expect(run.line(containing: "Quantity:", in: form).contains("5"), "\(form)")
    }
}
