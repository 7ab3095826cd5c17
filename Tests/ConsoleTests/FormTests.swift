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
        form.fields[0].text = String(repeating: "x", count: 5_000) + "THE-END"
        let started = Date()
        let canvas = FormTests.render(form)
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 0.5, "one frame took \(seconds) s")
        let line = canvas.text.split(separator: "\n").first { $0.contains("Contains:") }.map(String.init) ?? ""
        #expect(line.contains("Contains:      …xxxx") && line.contains("xxxxTHE-END_"), "\(line)")
        #expect(DisplayText.width(line) <= 80)
    }

    @Test func theTailOfWideTextFitsItsRoomWithTheEllipsis() {
        useUTF8Locale()
        #expect(DisplayText.tail("abc", room: 3, ellipsis: "…") == "abc")
        #expect(DisplayText.tail("abcd", room: 3, ellipsis: "…") == "…cd")
        #expect(DisplayText.tail("在庫在庫", room: 5, ellipsis: "…") == "…在庫")
        #expect(DisplayText.tail("在庫在庫", room: 4, ellipsis: "…") == "…庫")
        #expect(DisplayText.tail("abcd", room: 0, ellipsis: "…") == "")
    }

    @Test func typingPastAFieldsLimitIsRefusedWithAMessage() {
        var form = Form.allocate(orderid: nil, sku: "RED-LAMP")
        for _ in 0..<300 { _ = form.handle(.character("o")) }
        #expect(form.fields[0].text.count == Validation.maximumTextLength)
        #expect(form.fields[0].problem == "at most 255 characters")
        #expect(FormTests.render(form).text.contains("! at most 255 characters"))
        _ = form.handle(.backspace)
        #expect(form.fields[0].problem == nil)
        #expect(form.fields[0].text.count == 254)
    }

    @Test func quantityAndDateFieldsTakeOnlyWhatTheCoreAccepts() {
        var form = Form.newBatch(sku: "RED-LAMP")
        form.index = 2
        for character in "1234567890123456" { _ = form.handle(.character(character)) }
        #expect(form.fields[2].text == "12345678901")
        #expect(form.fields[2].problem == "at most 11 characters")
        form.index = 3
        for character in "2099-02-28-extra" { _ = form.handle(.character(character)) }
        #expect(form.fields[3].text == "2099-02-28")
        #expect(form.fields[3].problem == "at most 10 characters")
    }
}
