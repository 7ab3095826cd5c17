import Foundation

/// The dependencies of a run, chosen by a JSON settings file instead of a container: database path, busy
/// timeout, durability, refresh interval, notifier, notification address, clock and colours.
///
/// Precedence, lowest first: built-in defaults, the settings file (`--settings` or `$STOCK_SETTINGS`), environment
/// variables (`STOCK_DB`, `STOCK_BUSY_TIMEOUT_MS`, `STOCK_REFRESH_MS`, `STOCK_NOTIFIER`, `STOCK_NOTIFY_ADDRESS`,
/// `STOCK_CLOCK`), then flags (`--db`).
public struct Settings: Equatable, Sendable {
    /// The database file; nil means the default location (``defaultDatabasePath(environment:)``).
    public var database: String?
    public var busyTimeoutMilliseconds = 5000
    /// SQLite's `synchronous` level: `full` makes every commit durable on power loss, `normal` is faster.
    public var synchronous = "full"
    public var refreshMilliseconds = 100
    public var notifier = Notifier.log
    public var notifyAddress = "stock@made.com"
    public var clock = Clock.system
    public var colors = true

    public init() {}

    /// The keys a settings file may have.
    static let keys: Set<String> = [
        "database", "busyTimeoutMs", "synchronous", "refreshMs", "notifier", "notifyAddress", "clock", "colors",
    ]

    /// Reads a settings file over the defaults.
    ///
    /// - Throws: `SettingsError` naming the file and the bad key or value.
    public static func load(file path: String) throws -> Settings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError(message: "cannot read settings file \(path)")
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw SettingsError(message: "settings file \(path) is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw SettingsError(message: "settings file \(path) must hold a JSON object")
        }
        if let key = JSONFields.repeatedTopLevelKey(in: String(decoding: data, as: UTF8.self)) {
            throw SettingsError(message: "settings file \(path): \"\(key)\" is given twice")
        }
        var settings = Settings()
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard keys.contains(key) else {
                throw SettingsError(
                    message:
                        "settings file \(path): unknown key \"\(key)\" "
                        + "(known: \(keys.sorted().joined(separator: ", ")))"
                )
            }
            try settings.apply(key: key, value: value, source: "settings file \(path)")
        }
        return settings
    }

    /// Applies the `STOCK_*` environment variables.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        let names: [(String, String)] = [
            ("STOCK_DB", "database"), ("STOCK_BUSY_TIMEOUT_MS", "busyTimeoutMs"), ("STOCK_REFRESH_MS", "refreshMs"),
            ("STOCK_NOTIFIER", "notifier"), ("STOCK_NOTIFY_ADDRESS", "notifyAddress"), ("STOCK_CLOCK", "clock"),
        ]
        for (variable, key) in names {
            guard let text = environment[variable], !text.isEmpty else { continue }
            let numeric = ["busyTimeoutMs", "refreshMs"].contains(key)
            let value: Any = numeric ? (Int(text).map { NSNumber(value: $0) as Any } ?? text) : text
            try apply(key: key, value: value, source: "$\(variable)")
        }
    }

    mutating func apply(key: String, value: Any, source: String) throws {
        func bad(_ expected: String) -> SettingsError {
            SettingsError(message: "\(source): \(key) must be \(expected), got \(value)")
        }
        func integer(_ range: ClosedRange<Int>) throws -> Int {
            guard let int = JSONFields.wholeNumber(value), range.contains(int) else {
                throw bad("a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return int
        }
        func string() throws -> String {
            guard let text = value as? String, !text.isEmpty else { throw bad("a non-empty string") }
            return text
        }
        switch key {
        case "database": database = try string()
        case "busyTimeoutMs": busyTimeoutMilliseconds = try integer(0...600_000)
        case "refreshMs": refreshMilliseconds = try integer(10...60_000)
        case "synchronous":
            let level = try string().lowercased()
            guard ["full", "normal", "extra"].contains(level) else { throw bad("full, normal or extra") }
            synchronous = level
        case "notifier":
            guard let parsed = Notifier(setting: try string()) else { throw bad("log, file:PATH or command:CMD") }
            notifier = parsed
        case "notifyAddress": notifyAddress = try string()
        case "clock":
            let text = try string()
            if text == "system" {
                clock = .system
            } else if let day = Day(text) {
                clock = .fixed(day)
            } else {
                throw bad("system or a date YYYY-MM-DD")
            }
        case "colors":
            guard let number = value as? NSNumber, String(cString: number.objCType) == "c" else {
                throw bad("true or false")
            }
            colors = number.boolValue
        default:
            throw SettingsError(message: "\(source): unknown key \"\(key)\"")
        }
    }

    /// `$XDG_DATA_HOME/stock/stock.sqlite`, else `~/.local/share/stock/stock.sqlite`.
    public static func defaultDatabasePath(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return data + "/stock/stock.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/stock/stock.sqlite"
    }
}

/// A settings file or variable is malformed.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
