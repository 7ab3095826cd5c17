import Allocation
import Foundation
import TestSupport
import Testing

/// The board's filter and orders and the allocations filter in the real binary, with other processes writing.
@Suite(.serialized) struct BoardFilterEndToEndTests {
    @Test func theFilterNarrowsTheBoardAndStaysTrueAsAnotherProcessCommits() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("f")
        try s.waitFor("filter (reference or SKU):")
        try s.type("lamp")
        try s.send("Enter")
        let narrowed = try s.waitFor("filter: \"lamp\" 2 of 6")
        #expect(!narrowed.contains("B-CHAIR-9") && narrowed.contains("B-LAMP-02"), "\(narrowed)")
        #expect(run.line(containing: "REFERENCE", in: narrowed).contains("AVAIL"), "\(narrowed)")
        try run.writeElsewhere("add-batch", "B-LAMP-03", "RED-LAMP", "5")
        try s.waitFor("filter: \"lamp\" 3 of 7", timeout: 2)
        try s.waitFor("B-LAMP-03")
        try s.send("E")
        try s.waitFor("No batch matches the filter (Esc clears it).")
        try run.writeElsewhere("change-quantity", "B-LAMP-03", "0")
        try s.waitUntil("the emptied batch on the filtered board", timeout: 2) {
            $0.contains("filter: \"lamp\" · empty 1 of 7") && $0.contains("> B-LAMP-03")
        }
        try run.writeElsewhere("change-quantity", "B-LAMP-03", "4")
        try s.waitFor("No batch matches the filter (Esc clears it).", timeout: 2)
        try s.send("Escape")
        let cleared = try s.waitFor("> B-CHAIR-9")
        #expect(!cleared.contains("filter:"), "\(cleared)")
    }

    @Test func sortByAvailableShowsTheEmptiestFirstAsAFlatList() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("o")
        try s.waitFor("sorted by ETA")
        try s.send("o")
        let sorted = try s.waitFor("sorted by available, least first")
        let rows = sorted.components(separatedBy: "\n")
        #expect(rows[3].hasPrefix("  B-TABLE-77") && rows[3].hasSuffix(" 0 ████"), "\(sorted)")
        #expect(rows[4].contains("B-VERY-LONG") && !sorted.contains("─ RED-LAMP ─"), "\(sorted)")
        #expect(rows[6].hasPrefix("> B-CHAIR-9"), "the cursor stays on its batch:\n\(sorted)")
    }

    @Test func theAllocationsFilterFindsAnyPartInAnyCaseAndKeepsTheBatchTitle() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try run.writeElsewhere("add-batch", "B-BRASS-1", "BRASS-LAMP", "10")
        try run.writeElsewhere("allocate", "o-brass", "BRASS-LAMP", "2")
        try s.send("2")
        try s.waitFor("o-brass")
        try s.send("/")
        try s.waitFor("filter (order, SKU or batch):")
        try s.type("brass")
        try s.send("Enter")
        let filtered = try s.waitFor("filter: brass (1)")
        #expect(run.line(containing: "ORDER", in: filtered).contains(" BATCH "), "\(filtered)")
        #expect(run.line(containing: "> o-brass", in: filtered).hasSuffix("B-BRASS-1"), "\(filtered)")
        #expect(!filtered.contains("o-1001"), "\(filtered)")
        try s.send("/")
        for _ in 0..<5 { try s.send("BSpace") }
        try s.type("LAMP")
        try s.send("Enter")
        let upper = try s.waitFor("filter: LAMP (2)")
        #expect(upper.contains("o-brass") && upper.contains("o-1001"), "\(upper)")
    }
}
