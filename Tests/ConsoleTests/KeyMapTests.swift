import Allocation
import Foundation
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
            let lines = canvas.text.split(separator: "\n")
            for binding in map.bindings {
                // The key in its 9-cell column, then what it does: a one-letter key alone is in any text.
                let pad = String(repeating: " ", count: max(1, 9 - TerminalText.width(binding.label)))
                let line = binding.label + pad + binding.summary
                #expect(lines.contains { $0.contains(line) }, "\(name) help lacks \"\(line)\":\n\(canvas.text)")
            }
        }
    }

    @Test func helpAt80x24ShowsEveryKeyOfEachOperatorScreen() {
        for screen in 0..<3 {
            var state = RenderingTests.console(width: 80, height: 24)
            _ = state.handle(.character(Character(String(screen + 1))))
            _ = state.handle(.character("?"))
            let text = RenderingTests.render(state).text
            #expect(text.contains("Keys: \(state.page.title)"))
            for binding in state.page.keyMap.bindings {
                #expect(text.contains(binding.summary), "help of screen \(screen + 1) lacks \(binding.summary)")
            }
        }
    }

    @Test func monitorHelpGreysMutatingKeysWithTheReason() {
        useUTF8Locale()
        let help = HelpOverlay(title: "Monitor", keyMap: .monitor, readOnly: true)
        let mutating = help.lines.filter { $0.text.hasSuffix("(read-only monitor)") }
        #expect(mutating.map(\.key) == ["a", "b", "c", "d", "r", "e", "s", "S", "m", "w", "R"])
        #expect(mutating.allSatisfy { $0.style == .dim })
    }

    @Test func hintsLineComesFromTheKeyMap() {
        useUTF8Locale()
        var canvas = Canvas(width: 160, height: 2)
        StatusBar().render(into: &canvas, y: 0, hints: KeyMap.batches.hints, readOnly: false, paused: false)
        #expect(
            canvas.line(1)
                == " a allocate  b batch  c change  r receive  e eta  s ship  m move  w waiting  Enter history"
                + "  f filter  o order  / search  Tab screens  ? help  q quit")
    }

    @Test func narrowHintsLeaveOutWholeCommandHintsButKeepTheWaysAround() {
        useUTF8Locale()
        var canvas = Canvas(width: 80, height: 2)
        StatusBar().render(into: &canvas, y: 0, hints: KeyMap.batches.hints, readOnly: false, paused: false)
        #expect(canvas.line(1) == " a allocate  b batch  c change  / search  Tab screens  ? help  q quit")
        canvas = Canvas(width: 80, height: 2)
        StatusBar().render(into: &canvas, y: 0, hints: KeyMap.allocations.hints, readOnly: false, paused: false)
        #expect(canvas.line(1) == " a allocate  d deallocate  s ship  / filter  Tab screens  ? help  q quit")
        canvas = Canvas(width: 30, height: 2)
        StatusBar().render(into: &canvas, y: 0, hints: KeyMap.batches.hints, readOnly: false, paused: false)
        #expect(canvas.line(1) == " / search  Tab screens  ? hel…", "cut only when even those do not fit")
    }
}

/// README's table of keys says what the key maps bind.
@Suite struct ReadmeKeysTests {
    /// The screens in README's column order.
    static let columns: [(String, KeyMap)] = [
        ("Batches board", .batches), ("Allocations", .allocations), ("Event log", .events), ("Monitor", .monitor),
    ]

    /// The rows of the table under `### Keys`, each split into its cells.
    static func table() throws -> [[String]] {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "\n### Keys\n").dropFirst().first)
        let rows = section.components(separatedBy: "\n").drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.map { row in
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    /// The keys a cell names in backticks, by their labels.
    static func keys(in cell: String, labels: [String: Key]) throws -> [Key] {
        try cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }
            .map { try #require(labels[String($0.element)], "README names an unknown key `\($0.element)`") }
    }

    /// A cell says which of its row's keys the screen binds: `—` none, keys in backticks those, else all; a
    /// mutating binding reads `*read-only monitor*` in the monitor.
    @Test func theKeysTableListsExactlyTheBindingsOfEachScreen() throws {
        let table = try ReadmeKeysTests.table()
        let header = try #require(table.first)
        #expect(header == ["Key"] + ReadmeKeysTests.columns.map(\.0))
        let labels = Dictionary(
            KeyMapTests.maps.flatMap(\.1.bindings).flatMap(\.keys).map { ($0.label, $0) },
            uniquingKeysWith: { a, _ in a })
        for (column, (name, map)) in ReadmeKeysTests.columns.enumerated() {
            var listed: Set<Key> = []
            for row in table.dropFirst(2) {
                let rowKeys = try ReadmeKeysTests.keys(in: row[0], labels: labels)
                let cell = row[column + 1]
                let named = try ReadmeKeysTests.keys(in: cell, labels: labels)
                let bound = cell == "—" ? [] : named.isEmpty ? rowKeys : named
                listed.formUnion(bound)
                for key in bound where map.binding(for: key) != nil {
                    let readOnly = name == "Monitor" && map.binding(for: key)?.mutating == true
                    #expect((cell == "*read-only monitor*") == readOnly, "README: \(key.label) in \(name): \(cell)")
                }
            }
            let keys = Set(map.bindings.flatMap(\.keys))
            #expect(listed.map(\.label).sorted() == keys.map(\.label).sorted(), "README's \(name) column")
        }
    }
}
