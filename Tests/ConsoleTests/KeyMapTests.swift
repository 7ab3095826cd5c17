import Testing

@testable import Console

/// The key maps drive keys, hints and help from one table; these check the table is consistent.
@Suite struct KeyMapTests {
    static let maps: [(String, KeyMap)] = [
        ("batches", .batches), ("allocations", .allocations), ("events", .events), ("monitor", .monitor),
    ]

    @Test func noTwoBindingsShareAKey() {
        for (name, map) in KeyMapTests.maps {
            var seen: [Key: String] = [:]
            for binding in map.bindings {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(name): \(key) is bound to \(seen[key] ?? "") and \(binding.summary)")
                    seen[key] = binding.summary
                }
            }
        }
    }

    @Test func helpListsEveryBindingOfTheScreen() {
        useUTF8Locale()
        for (name, map) in KeyMapTests.maps {
            let help = HelpOverlay(title: name, keyMap: map, readOnly: name == "monitor")
            var canvas = Canvas(width: 132, height: 40)
            help.render(into: &canvas, area: Area(x: 0, y: 0, width: 132, height: 40))
            for binding in map.bindings {
                #expect(canvas.text.contains("\(binding.label)"), "\(name) help lacks \(binding.label)")
                #expect(canvas.text.contains(binding.summary), "\(name) help lacks \(binding.summary)")
            }
        }
    }

    @Test func helpAt80x24ShowsEveryKeyOfEachOperatorScreen() {
        for screen in 0..<3 {
            var state = RenderingTests.console(width: 80, height: 24)
            _ = state.handle(.character(Character(String(screen + 1))))
            _ = state.handle(.character("?"))
            let text = RenderingTests.render(state).text
            for binding in state.screens[screen].keyMap.bindings {
                #expect(text.contains(binding.summary), "help of screen \(screen + 1) lacks \(binding.summary)")
            }
        }
    }

    @Test func monitorHelpGreysMutatingKeysWithTheReason() {
        useUTF8Locale()
        let help = HelpOverlay(title: "Monitor", keyMap: .monitor, readOnly: true)
        let mutating = help.lines.filter { $0.text.hasSuffix("(read-only monitor)") }
        #expect(mutating.map(\.key) == ["a", "b", "c", "d"])
        #expect(mutating.allSatisfy { $0.style == .dim })
    }

    @Test func hintsLineComesFromTheKeyMap() {
        useUTF8Locale()
        var canvas = Canvas(width: 100, height: 2)
        StatusBar().render(into: &canvas, y: 0, hints: KeyMap.batches.hints)
        #expect(canvas.line(1) == " a allocate  b batch  c change  / search  Tab screens  ? help  q quit")
    }
}
