import TestSupport
import Testing

@testable import Allocation
@testable import Console

/// Editing a form's fields as an operator and a barcode scanner do: a pre-filled value is selected and replaced
/// by what is typed, Backspace edits it, Ctrl-U clears and Ctrl-W erases a word.
@Suite struct FormEditingTests {
    /// Types `text` into the form's current field, one key per character, as a scanner does.
    static func type(_ text: String, into form: inout Form) {
        for character in text { _ = form.handle(.character(character)) }
    }

    /// The form, its current field's text and whether it is selected.
    static func current(_ form: Form) -> (String, Bool) {
        (form.entry.fields[form.entry.index].text, form.entry.selected)
    }

    @Test func aScanIntoAPrefilledFieldReplacesItsValue() {
        var form = Form.allocate(orderid: nil, sku: "BLUE-CHAIR")
        #expect(form.entry.index == 0 && !form.entry.selected, "the empty order id is current")
        _ = FormTests.scan("o-1", into: &form)
        #expect(FormEditingTests.current(form) == ("BLUE-CHAIR", true), "Enter selects the pre-filled SKU")
        _ = FormTests.scan("PINE-TABLE", into: &form)
        #expect(form.entry.fields[1].text == "PINE-TABLE", "not BLUE-CHAIRPINE-TABLE")
        #expect(
            FormTests.scan("3", into: &form).sent
                == .allocate(Allocate(orderid: "o-1", sku: "PINE-TABLE", qty: 3)))
    }

    @Test func backspaceEditsTheSelectedValueInsteadOfReplacingIt() {
        var form = Form.allocate(orderid: "o-1", sku: "BLUE-CHAIR")
        _ = form.handle(.down)
        #expect(FormEditingTests.current(form) == ("BLUE-CHAIR", true))
        _ = form.handle(.backspace)
        #expect(FormEditingTests.current(form) == ("BLUE-CHAI", false))
        FormEditingTests.type("RS", into: &form)
        #expect(form.entry.fields[1].text == "BLUE-CHAIRS", "after Backspace, typing appends")
    }

    @Test func arrowsAndEndKeepTheValueAndTypingAppends() {
        for key in [Key.right, .left, .end] {
            var form = Form.prompt(title: "Search", label: "Contains", text: "LAMP")
            _ = form.handle(key)
            FormEditingTests.type("-02", into: &form)
            #expect(form.entry.fields[0].text == "LAMP-02", "\(key)")
        }
    }

    @Test func theSearchPromptReopeningWithTheLastTermIsReplacedByTheNewOne() {
        var form = Form.prompt(title: "Search", label: "Contains", text: "lamp-02")
        #expect(form.entry.selected)
        FormEditingTests.type("chair", into: &form)
        #expect(form.handle(.enter).text == "typed(\"chair\")")
    }

    @Test func movingIntoAFieldSelectsItsValueEveryWay() {
        var form = Form.move(orderid: "o-1", sku: "RED-LAMP", batch: "B-2")
        #expect(FormEditingTests.current(form) == ("B-2", true), "the field the form opens on")
        for key in [Key.tab, .down, .backTab, .up] {
            _ = form.handle(.backspace)
            #expect(!form.entry.selected)
            _ = form.handle(key)
            #expect(form.entry.selected, "\(key) selects the value of the field it moves to")
        }
        FormEditingTests.type("B-3", into: &form)
        #expect(form.entry.fields[2].text == "B-3")
    }

    @Test func anEmptyFieldHasNothingSelected() {
        var form = Form.allocate(orderid: nil, sku: nil)
        _ = form.handle(.tab)
        #expect(!form.entry.selected)
        FormEditingTests.type("TV", into: &form)
        #expect(form.entry.fields[1].text == "TV")
    }

    @Test func ctrlUClearsTheField() {
        var form = Form.allocate(orderid: "o-1", sku: "BLUE-CHAIR")
        _ = form.handle(.down)
        _ = form.handle(.control("u"))
        #expect(FormEditingTests.current(form) == ("", false))
        FormEditingTests.type("PINE", into: &form)
        _ = form.handle(.control("u"))
        #expect(form.entry.fields[1].text == "")
    }

    @Test func ctrlWErasesTheWordBeforeTheCursor() {
        var form = Form.prompt(title: "Search", label: "Contains", text: "BLUE-CHAIR")
        _ = form.handle(.control("w"))
        #expect(FormEditingTests.current(form) == ("BLUE-", false))
        _ = form.handle(.control("w"))
        #expect(form.entry.fields[0].text == "")
        _ = form.handle(.control("w"))
        #expect(form.entry.fields[0].text == "")
        #expect(FormFields.erasingWord("order 12 -- ") == "order ")
        #expect(FormFields.erasingWord("在庫-ランプ") == "在庫-")
        #expect(FormFields.erasingWord("...") == "")
    }

    @Test func editingRechecksTheField() {
        var form = Form.allocate(orderid: "o-1", sku: "RED-LAMP", qty: 5)
        _ = form.handle(.up)
        _ = form.handle(.control("w"))
        _ = form.handle(.enter)
        #expect(form.entry.fields[2].problem != nil, "an empty quantity is refused on Enter")
        FormEditingTests.type("x", into: &form)
        #expect(form.entry.fields[2].problem == "qty must be a whole number, got \"x\"")
        _ = form.handle(.control("u"))
        #expect(form.entry.fields[2].problem == nil)
    }

    @Test func theSelectedValueIsDrawnSelectedAndTypedTextIsNot() throws {
        var form = Form.allocate(orderid: nil, sku: "BLUE-CHAIR")
        _ = form.handle(.tab)
        let canvas = FormTests.render(form)
        let lines = canvas.text.split(separator: "\n", omittingEmptySubsequences: false)
        let y = try #require(lines.firstIndex { $0.contains("SKU:") })
        let x = try #require(lines[y].range(of: "BLUE-CHAIR")).lowerBound.utf16Offset(in: lines[y])
        #expect(canvas[x: x, y: y].style == .selected)
        #expect(canvas[x: x + 9, y: y].style == .selected)
        #expect(canvas[x: x + 10, y: y] == Cell(text: "_", style: .input), "the cursor follows the value")
        _ = form.handle(.character("P"))
        let typed = FormTests.render(form)
        #expect(typed[x: x, y: y] == Cell(text: "P", style: .input))
    }

    @Test func theFooterNamesCtrlU() {
        let text = FormTests.render(Form.allocate(orderid: nil, sku: nil)).text
        #expect(text.contains("Ctrl-U clear"))
    }

    @Test func ctrlUAndCtrlWComeFromTheTerminal() {
        #expect(Terminal.characterKey(0x15) == .control("u"))
        #expect(Terminal.characterKey(0x17) == .control("w"))
        #expect(Key.control("u").label == "Ctrl-U")
    }
}
