import Testing

@testable import Console

/// How ncurses codes become keys: Enter from a scanner (CR or LF), Backspace both ways, no control characters.
@Suite struct KeyDecodingTests {
    @Test func charactersFromTheTerminal() {
        #expect(Terminal.characterKey(13) == .enter)
        #expect(Terminal.characterKey(10) == .enter)
        #expect(Terminal.characterKey(127) == .backspace)
        #expect(Terminal.characterKey(8) == .backspace)
        #expect(Terminal.characterKey(27) == .escape)
        #expect(Terminal.characterKey(9) == .tab)
        #expect(Terminal.characterKey(UInt32(Character("q").unicodeScalars.first?.value ?? 0)) == .character("q"))
        #expect(Terminal.characterKey(0x6771) == .character("東"))
        #expect(Terminal.characterKey(1) == nil, "Ctrl-A is no character for a field")
        #expect(Terminal.characterKey(0x9B) == nil, "a C1 control is no character for a field")
        #expect(Terminal.characterKey(0x202E) == nil, "a bidi override is no character for a field")
    }

    @Test func functionKeysFromTheTerminal() {
        // ncurses' codes: KEY_DOWN 0402, KEY_UP 0403, KEY_NPAGE 0522, KEY_PPAGE 0523, KEY_RESIZE 0632.
        #expect(Terminal.functionKey(0o402) == .down)
        #expect(Terminal.functionKey(0o403) == .up)
        #expect(Terminal.functionKey(0o522) == .pageDown)
        #expect(Terminal.functionKey(0o523) == .pageUp)
        #expect(Terminal.functionKey(0o632) == .resize)
    }
}
