import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// What a form makes the operator look at twice: a SKU with no product yet (confirmed before it is created), an
/// ETA in the past (warned about), and the allocate form pre-filled from an existing line.
@Suite struct FormWarningTests {
    static let today = RenderingTests.today

    /// The new-batch form filled in as far as its ETA, the SKU `sku` typed over the pre-filled one.
    static func newBatch(sku: String, answer isNew: Bool?) -> Form {
        var form = Form.newBatch(sku: "RED-LAMP")
        form.today = today
        _ = FormTests.scan("B-9", into: &form)
        let reaction = FormTests.scan(sku, into: &form)
        #expect(reaction.text == "preview(Console.Form.PreviewRequest.sku(\"\(sku)\"))", "leaving the SKU asks")
        if let isNew { form.skuAnswer = Form.SKUAnswer(sku: sku, isNew: isNew) }
        _ = FormTests.scan("10", into: &form)
        return form
    }

    /// The form open over the console.
    static func form(of state: ConsoleState) throws -> Form {
        let form: Form? = if case .form(let form) = state.overlay { form } else { nil }
        return try #require(form, "no form is open")
    }

    @Test func theNewBatchFormAsksAboutItsPrefilledSKUWhenItOpens() {
        #expect(Form.newBatch(sku: "RED-LAMP").previewRequest == .sku("RED-LAMP"))
        #expect(Form.newBatch(sku: nil).previewRequest == nil)
    }

    @Test func aNewSKUIsSaidUnderTheFieldAndTheLastEnterAsksToConfirmIt() throws {
        var form = FormWarningTests.newBatch(sku: "B-9X", answer: true)
        #expect(FormTests.render(form).text.contains("! SKU B-9X is new: no batch has it yet"))
        #expect(form.handle(.enter).text == "redraw", "the last Enter asks first")
        let confirmation = try #require(form.confirmation)
        #expect(confirmation.lines == ["SKU B-9X is new: Enter creates it, Esc goes back"])
        let text = FormTests.render(form).text
        #expect(text.contains("SKU B-9X is new: Enter creates it, Esc goes back"))
        #expect(text.contains("Enter confirms  Esc back to the fields"))
        #expect(form.handle(.enter).sent == .createBatch(CreateBatch(ref: "B-9", sku: "B-9X", qty: 10)))
    }

    @Test func escFromTheConfirmationGoesBackToTheSKUSelected() {
        var form = FormWarningTests.newBatch(sku: "LAMP", answer: true)
        _ = form.handle(.enter)
        #expect(form.handle(.escape).text == "redraw", "the form stays open")
        #expect(form.confirmation == nil && form.entry.index == 1 && form.entry.selected)
        #expect(FormTests.scan("RED-LAMP", into: &form).text.contains("preview"), "the corrected SKU is asked about")
        form.skuAnswer = Form.SKUAnswer(sku: "RED-LAMP", isNew: false)
        _ = form.handle(.enter)
        #expect(form.handle(.enter).sent == .createBatch(CreateBatch(ref: "B-9", sku: "RED-LAMP", qty: 10)))
    }

    @Test func aKnownSKUIsCreatedAtTheLastEnter() {
        var form = FormWarningTests.newBatch(sku: "RED-LAMP", answer: false)
        #expect(!FormTests.render(form).text.contains("is new"))
        #expect(form.handle(.enter).sent == .createBatch(CreateBatch(ref: "B-9", sku: "RED-LAMP", qty: 10)))
    }

    @Test func aSKUNotLookedUpYetIsNeverCreatedWithoutAConfirmingEnter() {
        var form = FormWarningTests.newBatch(sku: "B-9X", answer: nil)
        #expect(form.handle(.enter).text.contains("preview"), "the lookup is asked for again")
        #expect(form.confirmation?.lines.first?.hasPrefix("SKU B-9X is not looked up yet") == true)
        #expect(form.handle(.enter).sent == .createBatch(CreateBatch(ref: "B-9", sku: "B-9X", qty: 10)))
    }

    /// The console over a real database: opening the form and leaving its SKU field is answered at the reload.
    @Test func theReloadAnswersWhetherTheSKUIsNew() throws {
        let db = try ConsoleDatabase()
        try db.fillDemo(today: FormWarningTests.today)
        var state = ConsoleState.operatorConsole(database: "stock.sqlite", today: FormWarningTests.today)
        state.resize(width: 80, height: 24)
        try state.reload(from: db.database, all: true, follow: false)
        #expect(state.handle(.character("b")).text == "reload(all: false)", "the pre-filled SKU is asked about")
        try state.reload(from: db.database, all: false, follow: false)
        let opened = try FormWarningTests.form(of: state)
        #expect(opened.skuAnswer == Form.SKUAnswer(sku: "BLUE-CHAIR", isNew: false))
        for key in "B-9" { _ = state.handle(.character(key)) }
        _ = state.handle(.enter)
        for key in "NEW-SKU" { _ = state.handle(.character(key)) }
        #expect(state.handle(.enter).text == "reload(all: false)")
        try state.reload(from: db.database, all: false, follow: false)
        let asked = try FormWarningTests.form(of: state)
        #expect(asked.skuAnswer == Form.SKUAnswer(sku: "NEW-SKU", isNew: true))
        var canvas = Canvas(width: 80, height: 24)
        state.render(into: &canvas)
        #expect(canvas.text.contains("! SKU NEW-SKU is new"))
    }

    @Test func aPastETAIsWarnedAboutAsItIsTypedAndSentWithoutAnotherEnter() {
        var form = Form.changeEta(FormTests.arriving)
        form.today = FormWarningTests.today
        FormEditingTests.type("2026-11-20", into: &form)
        let text = FormTests.render(form).text
        #expect(text.contains("│ ! ETA 2026-11-20 is 5 days ago: the batch counts as late and │"))
        #expect(text.contains("│   is preferred over batches still to come "), "the warning is wrapped, not cut")
        #expect(form.cautions.count == 1)
        let eta = Day(year: 2026, month: 11, day: 20) ?? FormWarningTests.today
        #expect(form.handle(.enter).sent == .changeBatchEta(ChangeBatchEta(ref: "B-CHAIR-9", eta: eta)))
    }

    @Test func todayOrLaterIsNoWarning() {
        var form = FormWarningTests.newBatch(sku: "RED-LAMP", answer: false)
        FormEditingTests.type("2026-11-25", into: &form)
        #expect(form.cautions.isEmpty)
        #expect(!FormTests.render(form).text.contains("days ago"))
    }

    @Test func theNewBatchFormWarnsOfAPastETAAndTheStatusLineKeepsTheWarning() throws {
        var state = RenderingTests.console(width: 132, height: 24)
        _ = state.handle(.character("b"))
        var form = try FormWarningTests.form(of: state)
        #expect(form.today == RenderingTests.today, "the form knows the day it opened on")
        form.skuAnswer = Form.SKUAnswer(sku: "RED-LAMP", isNew: false)
        state.overlay = .form(form)
        for key in "B-9\n\n10\n2026-11-24" {
            _ = state.handle(key == "\n" ? .enter : .character(key))
        }
        var canvas = Canvas(width: 132, height: 24)
        state.render(into: &canvas)
        #expect(canvas.text.contains("! ETA 2026-11-24 is 1 day ago"))
        #expect(state.handle(.enter).sent != nil)
        state.commandDone("batch B-9 created")
        #expect(state.status.message?.hasPrefix("batch B-9 created; ETA 2026-11-24 is 1 day ago") == true)
        #expect(state.status.messageStyle == .alert)
    }

    @Test func pastETAWarningWording() {
        let today = FormWarningTests.today
        #expect(today.pastETAWarning(today: today) == nil)
        #expect(today.adding(days: 1).pastETAWarning(today: today) == nil)
        #expect(
            Day(year: 2020, month: 1, day: 1)?.pastETAWarning(today: Day(year: 2026, month: 11, day: 25) ?? today)
                == "ETA 2020-01-01 is 2520 days ago: the batch counts as late and is preferred over batches still to "
                + "come")
    }

    @Test func allocateOnAnExistingLinePrefillsItsQuantityToo() throws {
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character("2"))
        let line = try #require(state.allocations.selectedRow)
        _ = state.handle(.character("a"))
        var form = try FormWarningTests.form(of: state)
        #expect(form.entry.fields.map(\.text) == [line.orderid, line.sku, String(line.qty)])
        #expect(form.entry.index == 0 && form.entry.selected, "the order id first, as from the board, selected")
        _ = form.handle(.up)
        #expect(form.entry.index == 2 && form.entry.selected, "and so is every pre-filled field moved to")
        #expect(form.handle(.enter).sent == .allocate(Allocate(orderid: line.orderid, sku: line.sku, qty: line.qty)))
    }

    @Test func keysWithoutAGlyphHaveANameInMessages() {
        #expect(Key.character(" ").label == "Space")
        #expect(Key.name(of: "\u{7}") == "U+0007")
        #expect(Key.name(of: "\u{A0}") == "U+00A0")
        #expect(Key.name(of: "\u{200B}") == "U+200B")
        #expect(Key.name(of: "x") == "x" && Key.name(of: "é") == "é" && Key.name(of: "東") == "東")
        var state = RenderingTests.console(width: 80, height: 24)
        _ = state.handle(.character(" "))
        #expect(state.status.message == "Space does nothing here; press ? for the keys")
    }
}
