import Foundation
import TestSupport
import Testing

extension CommandLineFixture {
    /// Allocates `d1`, `d2` and `d3` (2 DESK each, from batch `d1` of DESK) by three `stock allocate` processes
    /// in turn, as a second writer does while a long bulk run holds the database, and checks each answer.
    ///
    /// - Returns: the seconds the slowest of the three took.
    func allocateThreeDesks() throws -> Double {
        var slowest = 0.0
        for order in 1...3 {
            let started = monotonicSeconds()
            let allocate = try stock("allocate", "d\(order)", "DESK", "2")
            slowest = max(slowest, monotonicSeconds() - started)
            #expect(allocate.stdout == "allocated d\(order) DESK x2 to d1\n", "\(allocate.stderr)")
        }
        return slowest
    }
}
