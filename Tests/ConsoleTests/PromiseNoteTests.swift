import Foundation
import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// The allocate form's promise under the placement note: when the typed line would be complete, computed by the
/// rule `stock promise` applies, before Enter.
@Suite struct PromiseNoteTests {
    /// The lines under the quantity field, without the box's frame.
    static func notes(_ app: ConsoleApp) -> [String] {
        let frame = app.frame
        guard let quantity = frame.firstIndex(where: { $0.contains("Quantity:") }) else { return [] }
        return frame[(quantity + 1)...].prefix(4).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " │|")) }
    }

    @Test func theFormSaysWhenTheTypedLineWouldBeComplete() throws {
        let (files, app) = try PlacementNoteTests.allocating(qty: 100, policy: .batches)
        app.press(.tab)
        #expect(
            Array(Self.notes(app).prefix(2)) == [
                "in 3 pieces: x40 from B1, x40 from B2, x20 from B3", "promise: in stock now (B1, B2, B3)",
            ], "\(app.frame)")
        #expect(app.frame.allSatisfy { TerminalText.width($0) <= 80 })
        #expect(try Views.orderLines(orderid: "O1", in: files.database).isEmpty)
    }

    @Test func aLineTheBatchesCannotCoverIsNotPromisedUntilStockIsOnTheWay() throws {
        let (files, app) = try PlacementNoteTests.allocating(qty: 130, policy: .batches)
        app.press(.tab)
        #expect(
            Array(Self.notes(app).prefix(3)) == [
                "waits: 120 available in 3 batches", "cannot be promised: 120 available in all batches, 0 units",
                "waiting before it",
            ], "\(app.frame)")
        let eta = PlacementNoteTests.today.adding(days: 36)
        try files.bus.handle(.createBatch(CreateBatch(ref: "W-7", sku: "TV", qty: 20, eta: eta)))
        app.reload(all: false, follow: false)
        #expect(
            Array(Self.notes(app).prefix(3)) == [
                "in 4 pieces: x40 from B1, x40 from B2, x40 from B3, x10", "from W-7",
                "promise: \(eta) (arriving W-7), in 36 days",
            ], "\(app.frame)")
    }
}
