import Allocation
import Testing

@testable import Console

/// Widths by `wcwidth` and the cut with an ellipsis, cell by cell.
@Suite struct TerminalTextTests {
    @Test func widthsOfWideCombiningAndControlCharacters() {
        useUTF8Locale()
        #expect(TerminalText.width("LAMP") == 4)
        #expect(TerminalText.width("在庫") == 4)
        #expect(TerminalText.width("Cafe\u{301}") == 4, "a combining accent takes no cell")
        #expect(TerminalText.width("a\u{1B}[2J") == 5, "ESC becomes one visible mark")
    }

    @Test func combiningCharactersStayInTheirCell() {
        useUTF8Locale()
        var canvas = Canvas(width: 12, height: 1)
        canvas.put("Cafe\u{301}|", x: 0, y: 0)
        #expect(canvas[x: 3, y: 0].text == "e\u{301}")
        #expect(canvas[x: 4, y: 0].text == "|")
    }

    @Test func cutNeverSplitsAWideCharacterOrWritesPastTheLimit() {
        useUTF8Locale()
        var canvas = Canvas(width: 10, height: 1)
        canvas.fill(x: 0, y: 0, count: 10, text: "x")
        let written = canvas.put("在庫在庫在庫", x: 0, y: 0, limit: 6)
        #expect(written == 5, "a wide character that would end past the limit is left out")
        #expect(canvas.line(0) == "在庫…xxxxx")
        let odd = canvas.put("在庫在庫", x: 0, y: 0, limit: 4)
        #expect(odd == 3)
        #expect(canvas.line(0) == "在… …xxxxx", "the cut-off half of 庫 is blanked")
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        useUTF8Locale()
        var canvas = Canvas(width: 6, height: 1)
        canvas.put("東京", x: 0, y: 0)
        canvas.put("|", x: 1, y: 0)
        #expect(canvas.line(0) == " |京")
        canvas.put("|", x: 2, y: 0)
        #expect(canvas.line(0) == " ||", "trailing blanks are trimmed")
    }
}
