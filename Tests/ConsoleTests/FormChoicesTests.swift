import Allocation
import Testing

@testable import Allocation
@testable import Console

/// Pick lists under a field: ↑ ↓ choose while the field has the focus, Enter takes the choice, typing still works.
extension FormEditingTests {
    static let batchChoices = Form.Choices(
        key: "RED-LAMP",
        choices: [
            Form.Choice(value: "B-LAMP-02", detail: "arriving 2099-01-03  50 available"),
            Form.Choice(value: "B-LAMP-03", detail: "arriving 2099-01-05  40 available"),
        ])

    @Test func theMoveFormAsksForTheSKUsBatchesAndUpDownEnterChooseOne() {
        var form = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: nil, qty: 30, from: "B-LAMP-01")
        #expect(form.title == "Move line: Order id, SKU pre-filled")
        #expect(form.entry.index == 2)
        #expect(form.choicesRequest == .batchChoices(sku: "RED-LAMP"))
        #expect(form.batchChoiceFields == Form.BatchChoiceFields(sku: 1, batch: 2, qty: 30, excluding: "B-LAMP-01"))
        form.batchChoices = FormEditingTests.batchChoices
        #expect(form.choicesRequest == nil, "read once for the SKU")
        let listed = FormTests.render(form).text
        #expect(listed.contains("  B-LAMP-02  arriving 2099-01-03  50 available"), "\(listed)")
        #expect(listed.contains("Up/Down choose, Enter takes, or type"), "\(listed)")
        for key: Key in [.down, .down, .down, .up] { _ = form.handle(key) }
        #expect(form.chosen == 0 && form.entry.index == 2, "the arrows choose and stay on the field")
        #expect(FormTests.render(form).text.contains("> B-LAMP-02"))
        #expect(form.entry.fields[2].text == "", "not taken before Enter")
        #expect(
            form.handle(.enter).sent == .moveLine(MoveLine(orderid: "o-1", sku: "RED-LAMP", batchref: "B-LAMP-02")))
    }

    @Test func withNoBatchToOfferTheMoveFormSaysSo() {
        var form = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: nil, qty: 500)
        form.batchChoices = Form.Choices(key: "RED-LAMP", choices: [])
        #expect(FormTests.render(form).text.contains("no other batch of RED-LAMP has room for the line"))
        _ = form.handle(.down)
        #expect(form.entry.index == 0, "with no list, ↓ moves between fields as ever")
    }

    @Test func typingStillWorksNarrowingTheListAndTabMovesOn() {
        var form = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: nil)
        form.batchChoices = FormEditingTests.batchChoices
        FormEditingTests.type("lamp-03", into: &form)
        #expect(form.shownChoices.map(\.value) == ["B-LAMP-03"])
        _ = form.handle(.tab)
        #expect(form.entry.index == 0, "Tab moves between fields")
        var scanned = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: nil)
        scanned.batchChoices = FormEditingTests.batchChoices
        #expect(
            FormTests.scan("B-LAMP-09", into: &scanned).sent
                == .moveLine(MoveLine(orderid: "o-1", sku: "RED-LAMP", batchref: "B-LAMP-09")))
    }

    @Test func aSKUFieldCompletesFromTheKnownSKUsOnceTyped() {
        var form = Form.allocate(orderid: nil, sku: "RED-LAMP")
        _ = FormTests.scan("o-1", into: &form)
        #expect(form.choicesRequest == nil, "nothing typed in the SKU yet")
        FormEditingTests.type("oak", into: &form)
        #expect(form.choicesRequest == .skuChoices(prefix: "oak"))
        form.skuChoices = Form.Choices(key: "oak", choices: [Form.Choice(value: "OAK-TABLE")])
        #expect(FormTests.render(form).text.contains("│   OAK-TABLE"))
        _ = form.handle(.down)
        _ = form.handle(.enter)
        #expect(form.entry.fields[1].text == "OAK-TABLE" && form.entry.index == 2)
        #expect(form.shownChoices.isEmpty, "the list goes with the focus")
    }

    @Test func theAllocateFormSaysAnUnknownSKUAsUnknownWithTheOneMeant() {
        var form = Form.allocate(orderid: nil, sku: nil)
        #expect(form.lookupField == 1 && !form.lookupCreatesSKU)
        form.entry.fields[1].text = "red-lmap"
        form.skuAnswer = Form.SKUAnswer(sku: "red-lmap", isNew: true, suggestion: "RED-LAMP")
        #expect(form.warning(1) == "SKU red-lmap is unknown: did you mean RED-LAMP?")
        form.skuAnswer = Form.SKUAnswer(sku: "red-lmap", isNew: true)
        #expect(form.warning(1) == "SKU red-lmap is unknown: no batch has it")
    }

    @Test func aNewSKUInTheWrongCaseNamesTheOneMeant() {
        var form = Form.newBatch(sku: nil)
        form.entry.fields[1].text = "red-lamp"
        form.skuAnswer = Form.SKUAnswer(sku: "red-lamp", isNew: true, suggestion: "RED-LAMP")
        #expect(form.warning(1) == "SKU red-lamp is new: did you mean RED-LAMP?")
        form.skuAnswer = Form.SKUAnswer(sku: "red-lamp", isNew: true)
        #expect(form.warning(1) == "SKU red-lamp is new: no batch has it yet")
    }
}

/// The allocate form as an order's entry, one first field, text that fits, and a closed form's message.
extension FormTests {
    @Test func theAllocateFormKeepsItsOrderForTheNextLineUntilCleared() throws {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("a"))
        for key in "o-7" { _ = state.handle(.character(key)) }
        _ = state.handle(.enter)
        _ = state.handle(.enter)
        for key in "2" { _ = state.handle(.character(key)) }
        #expect(state.handle(.enter).sent == .allocate(Allocate(orderid: "o-7", sku: "RED-LAMP", qty: 2)))
        state.commandDone("allocated o-7 RED-LAMP x2 to B-LAMP-01")
        guard case .form(var form) = state.overlay else {
            Issue.record("the form closed")
            return
        }
        #expect(form.entry.fields.map(\.text) == ["o-7", "", ""] && form.entry.index == 1)
        #expect(state.status.message == "allocated o-7 RED-LAMP x2 to B-LAMP-01")
        let text = RenderingTests.render(state).text
        #expect(text.contains("Order o-7 stays for the next line (1 entered)"), "\(text)")
        _ = FormTests.scan("OAK-TABLE", into: &form)
        #expect(FormTests.scan("1", into: &form).sent == .allocate(Allocate(orderid: "o-7", sku: "OAK-TABLE", qty: 1)))
        form.keepOrderForNextLine()
        #expect(form.keptOrder?.lines == 2)
        form.entry.index = 0
        _ = form.handle(.control("u"))
        #expect(form.shownNote == form.note, "cleared, the order is no longer said to stay")
    }

    @Test func allocateOpensOnTheOrderIdWhateverItPrefilled() {
        #expect(Form.allocate(orderid: nil, sku: "RED-LAMP").entry.index == 0)
        let line = Form.allocate(orderid: "o-1", sku: "RED-LAMP", qty: 4)
        #expect(line.entry.index == 0 && line.entry.selected && line.title == "Allocate")
    }

    @Test func aLongDescriptionIsWrappedNotCut() {
        let text = FormTests.render(Form.ship(orderid: nil, sku: nil, partial: true)).text
        #expect(text.contains("Ships the pieces in the warehouse now; the rest of each line"), "\(text)")
        #expect(text.contains("stays open. Empty SKU: every line."), "\(text)")
        #expect(
            Form.wrap("  o-1001 RED-LAMP x30 to B-LAMP-02 and a long tail of words", width: 30) == [
                "  o-1001 RED-LAMP x30 to", "    B-LAMP-02 and a long tail", "    of words",
            ])
    }

    @Test func aClosedFormsMessageIsDroppedButACommandsRefusalIsHeld() {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("c"))
        state.previewOutdated(ChangeBatchQuantity(ref: "B-LAMP-01", qty: 10), sku: "RED-LAMP")
        #expect(state.status.message?.contains("changed by another process meanwhile") == true)
        _ = state.handle(.escape)
        #expect(state.overlay == nil && state.status.message == nil, "gone with the form")
        _ = state.handle(.character("c"))
        state.commandRefused("database busy")
        _ = state.handle(.escape)
        #expect(state.status.message == "database busy", "a refusal of a command is held")
    }
}
