import Foundation
import TestSupport
import Testing

/// What the console's sources may contain, checked by reading them: the console reads through the core's views
/// and changes data only through the bus, and only the Terminal wrapper talks to ncurses.
enum SourceRules {
    /// Text that means a file runs SQL or calls the database itself.
    static let databaseAccess = [
        ".execute(", ".query(", ".queryOne(", ".transaction", "beginReadSnapshot", "\"SELECT", "\"INSERT",
        "\"UPDATE", "\"DELETE", "\"PRAGMA", "sqlite3_", "import CSQLite",
    ]

    /// The one allowed use, by file relative to `Sources/Console`: the pause holds a read snapshot.
    static let allowed: [String: Set<String>] = ["beginReadSnapshot": ["ConsoleApp.swift"]]

    /// Only files in this folder may import the ncurses module, and the rule has no exception.
    static let cursesFolder = "Terminal/"

    /// The Swift files under `root`, relative to it.
    static func files(under root: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".swift") { files.append(path) }
        }
        return files.sorted()
    }

    /// Every broken rule under `root`, as `file:line: what`.
    static func violations(under root: URL) throws -> [String] {
        var found: [String] = []
        for file in files(under: root) {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                for pattern in databaseAccess
                where line.contains(pattern) && !(allowed[pattern]?.contains(file) ?? false) {
                    found.append("\(file):\(number + 1): \(pattern)")
                }
                if line.contains("import CNcurses"), !file.hasPrefix(cursesFolder) {
                    found.append("\(file):\(number + 1): import CNcurses outside \(cursesFolder)")
                }
            }
        }
        return found
    }
}

@Suite struct ArchitectureTests {
    static let consoleSources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/Console")

    @Test func theConsoleNeitherWritesSQLNorCallsTheDatabaseNorNcursesOutsideTerminal() throws {
        let files = SourceRules.files(under: ArchitectureTests.consoleSources)
        #expect(files.count > 20 && files.contains("ConsoleApp.swift"), "the sources were found: \(files)")
        let violations = try SourceRules.violations(under: ArchitectureTests.consoleSources)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }

    @Test func theRulesCatchViolations() throws {
        let folder = try TemporaryFolder()
        let files = [
            "ConsoleApp.swift": "try database.beginReadSnapshot()\n",
            "Screens/Sneaky.swift": "let x = try database.query(\"SELECT 1\") { $0 }\ntry db.transaction { }\n",
            "Widgets/Curses.swift": "@preconcurrency import CNcurses\ntry database.beginReadSnapshot()\n",
            "Terminal/Fine.swift": "import CNcurses\n",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let violations = try SourceRules.violations(under: folder.url)
        #expect(
            violations == [
                "Screens/Sneaky.swift:1: .query(", "Screens/Sneaky.swift:1: \"SELECT",
                "Screens/Sneaky.swift:2: .transaction",
                "Widgets/Curses.swift:1: import CNcurses outside Terminal/",
                "Widgets/Curses.swift:2: beginReadSnapshot",
            ])
    }
}
