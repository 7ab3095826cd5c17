import Allocation
import Testing

/// An outcome is worded once: the command line's lines, and the console's status line made of the same words.
@Suite struct OutcomeWordingTests {
    @Test func theStatusLineJoinsTheCommandLinesLinesAndSaysABareReferenceInWords() {
        let create = Command.createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 5))
        let created = Outcome.batchCreated(
            reference: "B-1", sku: "LAMP", skuIsNew: true,
            filled: [LineOnBatch(orderid: "o-1", sku: "LAMP", qty: 3, batchref: "B-1")])
        #expect(created.lines(for: create) == ["B-1", "new SKU LAMP created", "filled o-1 LAMP x3 from B-1"])
        #expect(
            created.statusLine(for: create) == "batch B-1 created; new SKU LAMP created; filled o-1 LAMP x3 from B-1")

        let deallocate = Command.deallocate(Deallocate(orderid: "o-1", sku: "LAMP"))
        let deallocated = Outcome.deallocated(batchReference: "B-1", filled: [])
        #expect(deallocated.lines(for: deallocate) == ["B-1"])
        #expect(deallocated.statusLine(for: deallocate) == "deallocated o-1 LAMP from B-1")

        let change = Command.changeBatchQuantity(ChangeBatchQuantity(ref: "B-1", qty: 40))
        let changed = Outcome.quantityChanged(reference: "B-1", moved: [], filled: [])
        #expect(changed.lines(for: change).isEmpty)
        #expect(changed.statusLine(for: change) == "B-1 quantity changed")
    }

    @Test func whenNothingChangedTheStatusLineIsTheRemark() {
        let allocate = Command.allocate(Allocate(orderid: "o-1", sku: "LAMP", qty: 3))
        let again = Outcome.allocated(batchReference: "B-1", wasAlreadyAllocated: true)
        #expect(again.lines(for: allocate) == ["allocated o-1 LAMP x3 to B-1"])
        #expect(again.unchangedNote(for: allocate) == "o-1 LAMP x3 was already allocated to B-1; nothing changed")
        #expect(again.statusLine(for: allocate) == again.unchangedNote(for: allocate))

        let waiting = Outcome.waiting(orderid: "o-2", sku: "TV", qty: 8)
        let wait = Command.allocate(Allocate(orderid: "o-2", sku: "TV", qty: 8))
        #expect(waiting.unchangedNote(for: wait) == nil)
        #expect(waiting.statusLine(for: wait) == "waiting: o-2 TV x8 (out of stock for TV)")
    }
}
