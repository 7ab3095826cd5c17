import Allocation
import Foundation
import Testing

@testable import Allocation
@testable import Console

/// Forms alone: long input, field limits.
@Suite struct FormTests {
    /// A form drawn alone on an 80×24 canvas.
    static func render(_ form: Form) -> Canvas {
        useUTF8Locale()
        var canvas = Canvas(width: 80, height: 24)
        form.render(into: &canvas, area: Area(x: 0, y: 1, width: 80, height: 21))
        return canvas
    }

    @Test func aVeryLongValueRendersQuicklyShowingItsTail() {
        var form = Form.prompt(title: "Search", label: "Contains", text: "")
        // Dropping one character at a time until the rest fits took seconds for this (and minutes for longer).
        form.entry.fields[0].text = String(repeating: "x", count: 5_000) + "THE-END"
        let started = Date()
        let canvas = FormTests.render(form)
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 0.5, "one frame took \(seconds) s")
        let line = canvas.text.split(separator: "\n").first { $0.contains("Contains:") }.map(String.init) ?? ""
        #expect(line.contains("Contains:      …xxxx") && line.contains("xxxxTHE-END_"), "\(line)")
        #expect(TerminalText.width(line) <= 80)
    }

    @Test func theTailOfWideTextFitsItsRoomWithTheEllipsis() {
        useUTF8Locale()
        #expect(TerminalText.tail("abc", room: 3, ellipsis: "…") == "abc")
        #expect(TerminalText.tail("abcd", room: 3, ellipsis: "…") == "…cd")
        #expect(TerminalText.tail("在庫在庫", room: 5, ellipsis: "…") == "…在庫")
        #expect(TerminalText.tail("在庫在庫", room: 4, ellipsis: "…") == "…庫")
        #expect(TerminalText.tail("abcd", room: 0, ellipsis: "…") == "")
    }

    @Test func typingPastAFieldsLimitIsRefusedWithAMessage() {
        var form = Form.allocate(orderid: nil, sku: "RED-LAMP")
        for _ in 0..<300 { _ = form.handle(.character("o")) }
        #expect(form.entry.fields[0].text.count == Validation.maximumTextLength)
        #expect(form.entry.fields[0].problem == "at most 255 characters")
        #expect(FormTests.render(form).text.contains("! at most 255 characters"))
        _ = form.handle(.backspace)
        #expect(form.entry.fields[0].problem == nil)
        #expect(form.entry.fields[0].text.count == 254)
    }

    @Test func quantityAndDateFieldsTakeOnlyWhatTheCoreAccepts() {
        var form = Form.newBatch(sku: "RED-LAMP")
        form.entry.index = 2
        for character in "1234567890123456" { _ = form.handle(.character(character)) }
        #expect(form.entry.fields[2].text == "12345678901")
        #expect(form.entry.fields[2].problem == "at most 11 characters")
        form.entry.index = 3
        for character in "2099-02-28-extra" { _ = form.handle(.character(character)) }
        #expect(form.entry.fields[3].text == "2099-02-28")
        #expect(form.entry.fields[3].problem == "at most 10 characters")
    }

    /// Types `text` into the form's current field and presses Enter, as a scanner does.
    static func scan(_ text: String, into form: inout Form) -> Reaction {
        for character in text { _ = form.handle(.character(character)) }
        return form.handle(.enter)
    }

    static let arriving = BatchRow(
        reference: "B-CHAIR-9", sku: "BLUE-CHAIR", eta: RenderingTests.today.adding(days: 14), purchased: 30,
        allocated: 10)

    /// The receipt the form asks the loop to preview; nil for any other reaction.
    static func previewed(_ reaction: Reaction) -> ReceiveBatch? {
        guard case .preview(.receipt(let receipt)) = reaction else { return nil }
        return receipt
    }

    @Test func receiveTakesAnOptionalQuantityAndRestEtaAndAsksForItsPreview() {
        var form = Form.receive(FormTests.arriving)
        #expect(form.entry.fields[0].text == "B-CHAIR-9" && form.entry.index == 1)
        _ = FormTests.scan("", into: &form)
        #expect(FormTests.previewed(FormTests.scan("", into: &form)) == ReceiveBatch(ref: "B-CHAIR-9"))
        var counted = Form.receive(FormTests.arriving)
        _ = FormTests.scan("2x", into: &counted)
        #expect(counted.entry.fields[1].problem == "qty must be a whole number, got \"2x\"")
        _ = counted.handle(.backspace)
        _ = counted.handle(.enter)
        #expect(
            FormTests.previewed(FormTests.scan("2099-01-01", into: &counted))
                == ReceiveBatch(ref: "B-CHAIR-9", qty: 2, restEta: Day("2099-01-01")))
    }

    @Test func changeEtaNeedsAValidDate() {
        var form = Form.changeEta(FormTests.arriving)
        #expect(form.note == "B-CHAIR-9 (BLUE-CHAIR): due 2026-12-09")
        #expect(FormTests.scan("", into: &form).sent == nil)
        #expect(
            form.entry.fields[1].problem?.contains("not a valid date") == true, "\(form.entry.fields[1].problem ?? "")")
        let eta = Day(year: 2026, month: 12, day: 20) ?? RenderingTests.today
        #expect(
            FormTests.scan("2026-12-20", into: &form).sent
                == .changeBatchEta(ChangeBatchEta(ref: "B-CHAIR-9", eta: eta)))
    }

    @Test func shipTakesTheOrderAndAnOptionalSKU() {
        var whole = Form.ship(orderid: nil, sku: nil)
        _ = FormTests.scan("o-1", into: &whole)
        #expect(whole.handle(.enter).sent == .ship(Ship(orderid: "o-1")))
        var line = Form.ship(orderid: "o-1", sku: "RED-LAMP")
        #expect(line.handle(.enter).sent == .ship(Ship(orderid: "o-1", sku: "RED-LAMP")))
        var bad = Form.ship(orderid: nil, sku: nil)
        _ = FormTests.scan("o 1\u{7}", into: &bad)
        #expect(bad.entry.fields[0].problem != nil && bad.entry.index == 0)
    }

    @Test func shipWhatIsHereSendsAPartialShipment() {
        var form = Form.ship(orderid: "o-1", sku: "RED-LAMP", partial: true)
        #expect(form.title == "Ship what is here: Order id pre-filled", "it opens on the SKU")
        #expect(form.handle(.enter).sent == .ship(Ship(orderid: "o-1", sku: "RED-LAMP", partial: true)))
    }

    @Test func moveFromTheBoardAsksForTheOrderFromTheLinesForTheBatch() {
        var fromBoard = Form.move(orderid: nil, sku: "RED-LAMP", batch: "B-LAMP-02")
        #expect(fromBoard.entry.index == 0)
        _ = FormTests.scan("o-1", into: &fromBoard)
        _ = fromBoard.handle(.enter)
        #expect(
            fromBoard.handle(.enter).sent == .moveLine(MoveLine(orderid: "o-1", sku: "RED-LAMP", batchref: "B-LAMP-02"))
        )
        var fromLine = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: nil)
        #expect(fromLine.entry.index == 2)
        #expect(FormTests.scan("", into: &fromLine).sent == nil, "the target batch is needed")
        #expect(
            FormTests.scan("B-LAMP-03", into: &fromLine).sent
                == .moveLine(MoveLine(orderid: "o-1", sku: "RED-LAMP", batchref: "B-LAMP-03")))
    }

    /// The values are read by the fields' labels, so a form whose fields are put in another order still sends
    /// each value as the argument it is (a swapped order id and batch would otherwise pass unseen).
    @Test func reorderedFieldsStillSendEachValueAsItsArgument() {
        var form = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: "B-LAMP-03")
        form.entry.fields.reverse()
        #expect(form.entry.fields.map(\.label) == ["To batch", "SKU", "Order id"])
        #expect(form.handle(.enter).sent == .moveLine(MoveLine(orderid: "o-1", sku: "RED-LAMP", batchref: "B-LAMP-03")))
    }

    @Test func allocateWaitingTakesAnOptionalSKU() {
        var one = Form.allocateWaiting(sku: "RED-LAMP")
        #expect(one.handle(.enter).sent == .allocateWaiting(AllocateWaiting(sku: "RED-LAMP")))
        var all = Form.allocateWaiting(sku: nil)
        #expect(all.handle(.enter).sent == .allocateWaiting(AllocateWaiting()))
    }
}

/// The deallocate form says what `d` would do to the selected line.
@Suite struct DeallocateFormTests {
    @Test func theNoteOfAShippedLineSaysItWasShippedNotThatItWaits() {
        let shipped = Views.LineRow(
            id: 1, orderid: "o-1", sku: "TV", qty: 6, status: .shipped(at: "2026-11-25T11:00:00.000Z", from: "B-1"))
        let note = Form.deallocate(shipped).note ?? ""
        #expect(note == "o-1 TV x6 was shipped from B-1; nothing to free.")
        let waiting = Views.LineRow(
            id: 2, orderid: "o-2", sku: "TV", qty: 1, status: .waiting(since: "2026-11-25T11:00:00.000Z"))
        #expect(Form.deallocate(waiting).note == "Cancels the waiting line o-2 TV x1; Enter to confirm.")
        let allocated = Views.LineRow(id: 3, orderid: "o-3", sku: "TV", qty: 2, status: .allocated(batchref: "B-2"))
        #expect(Form.deallocate(allocated).note == "Frees o-3 TV x2 from B-2; Enter to confirm.")
    }
}
