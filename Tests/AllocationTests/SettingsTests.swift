import Foundation
import TestSupport
import Testing

@testable import Allocation

@Suite struct SettingsTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    func write(_ json: String) throws -> String {
        let path = folder.appendingPathComponent("settings-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The `database` setting is read once into where the database is, whatever sets it.
    @Test func theDatabaseSettingIsReadOnceIntoItsLocation() {
        var settings = Settings()
        settings.database = "POSTGRESQL://ann:s3cret@db.example/stock"
        #expect(settings.databaseLocation.filePath == nil)
        #expect(settings.databaseLocation == .server(ServerAddress(url: "postgresql://ann:s3cret@db.example/stock")))
        #expect(settings.shownDatabase == "postgresql://ann:***@db.example/stock")
        #expect(settings.databaseLabel(environment: [:]) == "stock")
        settings.database = "/tmp/warehouse/stock.sqlite"
        #expect(settings.databaseLocation == .file(path: "/tmp/warehouse/stock.sqlite"))
        #expect(settings.databaseLocation.filePath == "/tmp/warehouse/stock.sqlite")
        #expect(settings.databaseLocation.features.sideFileSuffixes?.contains("-wal") == true)
        #expect(settings.databaseLabel(environment: [:]) == "stock.sqlite")
        settings.database = nil
        let defaultPath = Settings.defaultDatabasePath(environment: ProcessInfo.processInfo.environment)
        #expect(settings.databaseLocation == .file(path: defaultPath))
    }

    @Test func theShippedDefaultFileMatchesTheBuiltInDefaults() throws {
        #expect(try Settings.load(file: repositoryRoot + "/assets/settings/default.json") == Settings())
    }

    @Test func theTestFileFixesTheClockAndRelaxesDurability() throws {
        let settings = try Settings.load(file: repositoryRoot + "/assets/settings/test.json")
        #expect(settings.clock == .fixed(try #require(Day("2026-01-15"))))
        #expect(settings.clock.today.description == "2026-01-15")
        #expect(settings.synchronous == .normal)
        #expect(try Settings.load(file: repositoryRoot + "/assets/settings/demo.json").notifier == .log)
    }

    @Test func notifiersAreChosenBySetting() throws {
        let settings = try Settings.load(
            file: try write(#"{"notifier": "file:/tmp/x.log", "notifyAddress": "ops@example.com"}"#))
        #expect(settings.notifier == .file(path: "/tmp/x.log"))
        #expect(settings.notifyAddress == "ops@example.com")
        #expect(Notifier(setting: "command:mail -s stock ops") == .command("mail -s stock ops"))
        #expect(Notifier(setting: "carrier-pigeon") == nil)
        #expect(Notifier(setting: "file:") == nil)
    }

    @Test(arguments: [
        (#"{"colour": true}"#, "unknown key \"colour\""),
        (#"{"busyTimeoutMs": "soon"}"#, "busyTimeoutMs must be a whole number from 0 to 600000, got soon"),
        (#"{"busyTimeoutMs": true}"#, "busyTimeoutMs must be a whole number"),
        (#"{"refreshMs": 2.5}"#, "refreshMs must be a whole number"),
        (#"{"clock": "2025-02-30"}"#, "clock must be system or a date YYYY-MM-DD"),
        (#"{"notifier": "pigeon"}"#, "notifier must be log, file:PATH or command:CMD"),
        (#"{"colors": 1}"#, "colors must be true or false"),
        (#"{"synchronous": "off"}"#, "synchronous must be full, normal or extra, got off"),
        (#"{"synchronous": "FULL; DROP TABLE batches"}"#, "synchronous must be full, normal or extra"),
        (#"["not", "an", "object"]"#, "must hold a JSON object"),
        ("{nope", "is not valid JSON"),
        (#"{"refreshMs": 50, "refreshMs": 5000}"#, "\"refreshMs\" is given twice"),
        (#"{"user": ""}"#, "user must be a non-empty string"),
        (#"{"user": " ann"}"#, "user must be a name of 1 to 255 characters"),
        (#"{"user": "ann\u001b[31m"}"#, #"spaces at either end, got ann\u{1b}[31m"#),
    ])
    func badSettingsFilesAreRefusedNamingTheProblem(_ json: String, _ message: String) throws {
        let path = try write(json)
        do {
            _ = try Settings.load(file: path)
            Issue.record("accepted \(json)")
        } catch let error as SettingsError {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.message.contains(path))
        }
    }

    @Test func environmentOverridesTheFile() throws {
        var settings = try Settings.load(file: try write(#"{"database": "/from/file.sqlite", "clock": "2026-01-01"}"#))
        try settings.applyEnvironment([
            "STOCK_DB": "/from/env.sqlite", "STOCK_CLOCK": "system", "STOCK_REFRESH_MS": "250",
        ])
        #expect(settings.database == "/from/env.sqlite")
        #expect(settings.clock == .system)
        #expect(settings.refreshMilliseconds == 250)
        #expect(throws: SettingsError.self) { try settings.applyEnvironment(["STOCK_BUSY_TIMEOUT_MS": "-3"]) }
    }

    /// README's settings table lists every key with its environment variable; `(NO_COLOR)` is not a setting's.
    @Test func theReadmeListsEveryKeyWithItsVariable() throws {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "\n## Settings\n").dropFirst().first)
            .components(separatedBy: "\n## ")[0]
        let rows = section.split(separator: "\n").filter { $0.hasPrefix("| `") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let documented = rows.map { cells in
            (
                cells[0].trimmingCharacters(in: ["`"]),
                cells[1].hasPrefix("`") ? cells[1].trimmingCharacters(in: ["`"]) : ""
            )
        }
        #expect(documented.map(\.0) == Settings.keys.map(\.name))
        #expect(documented.map(\.1) == Settings.keys.map { $0.variable ?? "" })
    }

    @Test func everyVariableOverridesItsKey() throws {
        var settings = Settings()
        try settings.applyEnvironment([
            "STOCK_DB": "/env.sqlite", "STOCK_BUSY_TIMEOUT_MS": "7", "STOCK_REFRESH_MS": "20",
            "STOCK_NOTIFIER": "file:/tmp/n.log", "STOCK_NOTIFY_ADDRESS": "ops@example.com", "STOCK_CLOCK": "2026-03-04",
            "STOCK_USER": "night-shift", "STOCK_AUTO_ALLOCATE": "false", "STOCK_GROUP": "operators",
            "STOCK_TIME": "UTC", "STOCK_GROUP_COMMANDS": "250", "STOCK_GROUP_MS": "20",
            "STOCK_ISOLATION": "Serializable", "STOCK_SERVER_TIMEOUT_MS": "1500", "STOCK_LAG_WARNING_MS": "800",
            "STOCK_SPLIT_LINES": "partial",
        ])
        var expected = Settings()
        expected.database = "/env.sqlite"
        expected.busyTimeoutMilliseconds = 7
        expected.refreshMilliseconds = 20
        expected.notifier = .file(path: "/tmp/n.log")
        expected.notifyAddress = "ops@example.com"
        expected.clock = .fixed(try #require(Day("2026-03-04")))
        expected.user = "night-shift"
        expected.autoAllocate = false
        expected.group = "operators"
        expected.time = .utc
        expected.groupCommands = 250
        expected.groupMilliseconds = 20
        expected.isolation = .serializable
        expected.serverTimeoutMilliseconds = 1500
        expected.lagWarningMilliseconds = 800
        expected.splitLines = .partial
        #expect(settings == expected)
        #expect(Settings.keys.compactMap(\.variable).count == 16)
    }

    @Test func theDefaultDatabaseFollowsXdg() {
        #expect(
            Settings.defaultDatabasePath(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/stock/stock.sqlite")
        #expect(Settings.defaultDatabasePath(environment: ["HOME": "/h"]) == "/h/.local/share/stock/stock.sqlite")
    }

    @Test func clockTimestampsAreIso8601Utc() {
        #expect(Clock.timestamp(0) == "1970-01-01T00:00:00.000Z")
        #expect(Clock.timestamp(86_399.007) == "1970-01-01T23:59:59.007Z")
        #expect(Clock.timestamp(-0.5) == "1969-12-31T23:59:59.500Z")
        #expect(Clock.timestamp(1_764_100_000.25) == "2025-11-25T19:46:40.250Z")
        #expect(Clock.fixed(Day(year: 2026, month: 1, day: 15)!).timestamp() == "2026-01-15T12:00:00.000Z")
    }
}

@Suite struct GroupSettingsTests {
    @Test func groupLimitsDefaultToAThousandCommandsOrFiftyMillisecondsAndRefuseZero() throws {
        #expect(Settings().groupCommands == 1000)
        #expect(Settings().groupMilliseconds == 50)
        var settings = Settings()
        #expect(throws: SettingsError.self) { try settings.applyEnvironment(["STOCK_GROUP_MS": "0"]) }
        #expect(throws: SettingsError.self) { try settings.applyEnvironment(["STOCK_GROUP_COMMANDS": "0"]) }
    }
}
