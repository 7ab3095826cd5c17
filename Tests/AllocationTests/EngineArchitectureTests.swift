import Foundation
import TestSupport
import Testing

/// Where the engine may be named, checked by reading the sources: only `Sources/Allocation/Database/` reaches
/// SQLite or PostgreSQL; everything else asks a connection's features.
enum EngineRules {
    /// Text that means a line knows which engine it is on.
    static let engineKnowledge = [
        "engine ==", "engine !=", "Database.Engine", "import CSQLite", "import CPostgres", "sqlite3_", "PQexec",
        "PQgetvalue", "SQLiteConnection", "SQLiteStatement", "PostgresConnection", "PostgresStatement",
        ".connection.", ".connection as", "FOR UPDATE", "pg_", "sqlite_schema", "PRAGMA", "xid8",
    ]

    /// The folder of each target that may know the engine: the database layer itself.
    static let engineFolder = "Allocation/Database/"

    /// Targets left out: the benchmark measures each engine against its own baseline (a minimal C program on
    /// SQLite, pgbench on PostgreSQL), so it must name them; the C shims are the engines' headers.
    static let measuringTargets = ["stock-bench/", "CSQLite/", "CPostgres/", "CBaseline/", "CNcurses/", "CWideChar/"]

    /// Every line under `root` (a `Sources` folder) that knows the engine outside ``engineFolder``, as
    /// `file:line: what`; comments are not code and may name engines.
    static func violations(under root: URL) throws -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".swift") { files.append(path) }
        }
        for file in files.sorted()
        where !file.hasPrefix(engineFolder) && !measuringTargets.contains(where: { file.hasPrefix($0) }) {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                for pattern in engineKnowledge where code.contains(pattern) {
                    found.append("\(file):\(number + 1): \(pattern)")
                }
            }
        }
        return found
    }
}

@Suite struct EngineArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    @Test func onlyTheDatabaseLayerKnowsWhichEngineItIsOn() throws {
        let violations = try EngineRules.violations(under: Self.sources)
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
        let layer = Self.sources.appendingPathComponent(EngineRules.engineFolder)
        for conformance in ["SQLite/SQLiteConnection.swift", "Postgres/PostgresConnection+Connection.swift"] {
            #expect(FileManager.default.fileExists(atPath: layer.appendingPathComponent(conformance).path))
        }
    }

    @Test func theRulesCatchAnEngineNamedOutsideTheDatabaseLayer() throws {
        let folder = try TemporaryFolder()
        let files = [
            "Allocation/Views/Sneaky.swift":
                "/// pg_current_snapshot() in a comment is fine\nif db.engine == .sqlite { }\nimport CPostgres\n",
            "Console/Watch.swift": "let x = (db.connection as? SQLiteConnection)\n",
            "Allocation/Records/Lock.swift": "let sql = \"SELECT 1 FOR UPDATE\"\n",
            "Allocation/Database/SQLite/Fine.swift": "import CSQLite\nsqlite3_step(handle)\n",
            "stock-bench/Baseline.swift": "import CSQLite\n",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        #expect(
            try EngineRules.violations(under: folder.url) == [
                "Allocation/Records/Lock.swift:1: FOR UPDATE",
                "Allocation/Views/Sneaky.swift:2: engine ==",
                "Allocation/Views/Sneaky.swift:3: import CPostgres",
                "Console/Watch.swift:1: SQLiteConnection",
                "Console/Watch.swift:1: .connection as",
            ])
    }
}
