import Allocation
import Foundation
import TestSupport
import Testing

/// The allocate form's promise in a real terminal: typing a quantity says when the line would be complete, before
/// Enter, and changes nothing.
@Suite(.serialized) struct PromiseConsoleEndToEndTests {
    @Test func typingAQuantitySaysWhenTheLineWouldBeComplete() throws {
        let run = try ConsoleRun.onTheBoard()
        defer { run.session.kill() }
        let s = run.session
        try s.send("a")
        try s.waitFor("SKU:           BLUE-CHAIR")
        try s.type("o-promise")
        try s.send("Enter", "Enter")
        try s.type("12")
        // B-CHAIR-9 (due in 14 days) has 20 left after o-1003's 10.
        let eta = Clock.system.today.adding(days: 14)
        let promised = try s.waitFor("promise: \(eta) (arriving B-CHAIR-9), in 14 days")
        #expect(promised.contains("goes to B-CHAIR-9"), "\(promised)")
        try s.send("C-u")
        try s.type("25")
        let cannot = try s.waitFor("cannot be promised: 20 available in all batches, 0 units")
        #expect(cannot.contains("waiting before it"), "\(cannot)")
        #expect(!cannot.contains("promise: \(eta)"), "\(cannot)")
        #expect(try Views.orderLines(orderid: "o-promise", in: run.db.database).isEmpty)
        try s.send("Escape")
        try s.waitUntil("the form closed") { !$0.contains("Allocate") }
    }
}
