import Foundation

/// The dependencies of a run, chosen by a JSON settings file instead of a container: database path, busy
/// timeout, durability, refresh interval, notifier, notification address, clock, colours, the operator's name,
/// whether waiting lines are filled automatically and how often bulk work commits.
///
/// Precedence, lowest first: built-in defaults, the settings file (`--settings` or `$STOCK_SETTINGS`), environment
/// variables (each key's in ``keys``, e.g. `STOCK_DB`), then flags (`--db`).
public struct Settings: Equatable, Sendable {
    /// The database file or server URL as set; nil means the default location
    /// (``defaultDatabasePath(environment:)``). Setting it reads it once into ``databaseLocation``.
    public var database: String? {
        didSet { databaseLocation = DatabaseLocation(databasePath) }
    }
    /// Where ``database`` (or the default) is: a file or a server, read when it was set.
    public private(set) var databaseLocation = DatabaseLocation(
        Settings.defaultDatabasePath(environment: ProcessInfo.processInfo.environment))
    public var busyTimeoutMilliseconds = 5000
    /// How hard a commit waits for the disk: `full` makes every commit durable on power loss, `normal` is faster.
    public var synchronous = Synchronous.full
    public var refreshMilliseconds = 100
    public var notifier = Notifier.log
    public var notifyAddress = "stock@made.com"
    public var clock = Clock.system
    /// The zone times are shown in; stored times stay UTC.
    public var time = TimeZoneChoice.local
    /// The local zone, resolved once from `TZ` (``LocalZone/resolve(environment:)``).
    public var localZone = Settings.processZone
    /// Whether the console and the monitor draw in colour; the front end folds `NO_COLOR` and its `--color`
    /// option into it before the console starts.
    public var colors = true
    /// The operator every event records: the operating system's user by default.
    public var user = Settings.operatingSystemUser(environment: ProcessInfo.processInfo.environment)
    /// Whether stock that appears is given to waiting lines, oldest first, in the same transaction.
    public var autoAllocate = true
    /// How a line may be spread over its SKU's batches: `batches` (the default) places it in pieces when no single
    /// batch can take it, so stock spread over batches is never stranded.
    public var splitLines = SplitLines.batches
    /// The group that may read and write a database `stock init` creates, beside its owner; nil: the owner only.
    public var group: String?
    /// Bulk work (``CommandGroup``) commits after this many commands, or sooner by ``groupMilliseconds``.
    public var groupCommands = 1000
    /// Bulk work commits after holding the write lock this long, or sooner by ``groupCommands``.
    public var groupMilliseconds = 50
    /// A PostgreSQL server's isolation for the writers' transactions (``Isolation``); SQLite ignores it.
    public var isolation = Isolation.readCommitted
    /// On a server, how long past the busy timeout a statement may wait for the server's next word before the
    /// connection is given up as unresponsive (a frozen host, a partition); SQLite ignores it.
    public var serverTimeoutMilliseconds = 5000
    /// On a standby, the replication delay past which the console's status line warns (`lagWarningMs`).
    public var lagWarningMilliseconds = 5000

    public init() {}

    /// The local zone of this process's environment, read once.
    static let processZone = LocalZone.resolve(environment: ProcessInfo.processInfo.environment)

    /// The zone times are shown in: ``localZone``, or UTC by ``time``.
    public var zone: LocalZone { time == .utc ? .utc : localZone }

    /// The name of the effective user, else `$USER`, else `unknown`.
    public static func operatingSystemUser(environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
    }

    /// The database file to open: ``database``, else the default location for this process's environment.
    public var databasePath: String {
        database ?? Settings.defaultDatabasePath(environment: ProcessInfo.processInfo.environment)
    }

    /// ``databasePath`` as messages show it: a server URL with its password hidden.
    public var shownDatabase: String { databaseLocation.shown }

    /// How the console's status line names the database (``DatabaseLocation/label(environment:)``).
    public func databaseLabel(environment: [String: String]) -> String {
        databaseLocation.label(environment: environment)
    }

    /// One key of a settings file: its name, the environment variable that overrides it, and how it is read.
    struct Key: Sendable {
        let name: String
        let variable: String?
        let read: @Sendable (SettingValue, inout Settings) throws -> Void

        init(
            _ name: String, variable: String? = nil,
            read: @escaping @Sendable (SettingValue, inout Settings) throws -> Void
        ) {
            self.name = name
            self.variable = variable
            self.read = read
        }
    }

    /// Every key a settings file may have, in the order environment variables are applied.
    static let keys: [Key] = [
        Key("database", variable: "STOCK_DB") { $1.database = try $0.string() },
        Key("busyTimeoutMs", variable: "STOCK_BUSY_TIMEOUT_MS") {
            $1.busyTimeoutMilliseconds = try $0.integer(0...600_000)
        },
        Key("synchronous") { value, settings in
            let text = try value.string().lowercased()
            guard let level = Synchronous(rawValue: text), Synchronous.settable.contains(level) else {
                throw value.bad(Synchronous.settable.map(\.rawValue).joinedAsChoice())
            }
            settings.synchronous = level
        },
        Key("refreshMs", variable: "STOCK_REFRESH_MS") { $1.refreshMilliseconds = try $0.integer(10...60_000) },
        Key("notifier", variable: "STOCK_NOTIFIER") { value, settings in
            guard let parsed = Notifier(setting: try value.string()) else {
                throw value.bad("log, file:PATH or command:CMD")
            }
            settings.notifier = parsed
        },
        Key("notifyAddress", variable: "STOCK_NOTIFY_ADDRESS") { $1.notifyAddress = try $0.string() },
        Key("clock", variable: "STOCK_CLOCK") { value, settings in
            let text = try value.string()
            if text == "system" {
                settings.clock = .system
            } else if let day = Day(text) {
                settings.clock = .fixed(day)
            } else {
                throw value.bad("system or a date YYYY-MM-DD")
            }
        },
        Key("time", variable: "STOCK_TIME") { value, settings in
            guard let choice = TimeZoneChoice(rawValue: try value.string().lowercased()) else {
                throw value.bad(TimeZoneChoice.allCases.map(\.rawValue).joinedAsChoice())
            }
            settings.time = choice
        },
        Key("colors") { $1.colors = try $0.bool() },
        Key("user", variable: "STOCK_USER") { value, settings in
            let name = Validation.normalized(try value.text())
            guard (try? Validation.checkIdentifier(name, field: "user")) != nil else {
                throw value.bad("a name of 1 to 255 characters, without control characters or spaces at either end")
            }
            settings.user = name
        },
        Key("autoAllocate", variable: "STOCK_AUTO_ALLOCATE") { $1.autoAllocate = try $0.bool() },
        Key("splitLines", variable: "STOCK_SPLIT_LINES") { value, settings in
            guard let policy = SplitLines(rawValue: try value.string().lowercased()) else {
                throw value.bad(SplitLines.allCases.map(\.rawValue).joinedAsChoice())
            }
            settings.splitLines = policy
        },
        Key("group", variable: "STOCK_GROUP") { $1.group = try $0.string() },
        Key("groupCommands", variable: "STOCK_GROUP_COMMANDS") { $1.groupCommands = try $0.integer(1...1_000_000) },
        Key("groupMs", variable: "STOCK_GROUP_MS") { $1.groupMilliseconds = try $0.integer(1...1000) },
        Key("isolation", variable: "STOCK_ISOLATION") { value, settings in
            guard let level = Isolation(rawValue: try value.string().lowercased()) else {
                throw value.bad(Isolation.allCases.map(\.rawValue).joinedAsChoice())
            }
            settings.isolation = level
        },
        Key("serverTimeoutMs", variable: "STOCK_SERVER_TIMEOUT_MS") {
            $1.serverTimeoutMilliseconds = try $0.integer(100...3_600_000)
        },
        Key("lagWarningMs", variable: "STOCK_LAG_WARNING_MS") {
            $1.lagWarningMilliseconds = try $0.integer(1...86_400_000)
        },
    ]

    /// Reads a settings file over the defaults.
    ///
    /// - Throws: `SettingsError` naming the file and why it cannot be read, or the bad key or value.
    public static func load(file path: String) throws -> Settings {
        let data = try contents(ofSettingsFile: path)
        // JSONSerialization would drop a byte-order mark at the start of a string value without a word.
        let document: (value: JSONValue, repeatedKey: String?)
        do {
            guard let text = String(validating: data, as: UTF8.self) else { throw JSONSyntaxError() }
            document = try JSONReader.read(text)
        } catch {
            throw SettingsError(message: "settings file \(path) is not valid JSON")
        }
        guard case .object(let fields) = document.value else {
            throw SettingsError(message: "settings file \(path) must hold a JSON object")
        }
        if let key = document.repeatedKey {
            throw SettingsError(message: "settings file \(path): \"\(key)\" is given twice")
        }
        var settings = Settings()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            guard let key = keys.first(where: { $0.name == name }) else {
                throw SettingsError(
                    message:
                        "settings file \(path): unknown key \"\(name)\" "
                        + "(known: \(keys.map(\.name).sorted().joined(separator: ", ")))"
                )
            }
            try key.read(SettingValue(raw: value, key: name, source: "settings file \(path)"), &settings)
        }
        return settings
    }

    /// Applies the `STOCK_*` environment variables; an empty variable counts as unset.
    public mutating func applyEnvironment(_ environment: [String: String]) throws {
        for key in Settings.keys {
            guard let variable = key.variable, let text = environment[variable], !text.isEmpty else { continue }
            try key.read(SettingValue(raw: .string(text), key: key.name, source: "$\(variable)", isText: true), &self)
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

/// One value as a settings file or an environment variable gives it, read by its key's rule.
struct SettingValue {
    let raw: JSONValue
    let key: String
    /// Where it came from, for the message: `settings file PATH` or `$VARIABLE`.
    let source: String
    /// An environment variable's value: numbers arrive as text.
    var isText = false

    /// The refusal naming what was expected; the value is shown with control characters made visible, so a
    /// message never carries a terminal escape sequence.
    func bad(_ expected: String) -> SettingsError {
        let text: String
        if case .string(let string) = raw { text = string } else { text = raw.shown }
        let shown = Validation.shown(text).dropFirst().dropLast()
        return SettingsError(message: "\(source): \(key) must be \(expected), got \(shown)")
    }

    func integer(_ range: ClosedRange<Int>) throws -> Int {
        let number: Int?
        switch raw {
        case .string(let text) where isText: number = Int(text)
        case .integer(let value) where !isText: number = value
        default: number = nil
        }
        guard let number, range.contains(number) else {
            throw bad("a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `true` or `false`: a JSON boolean in a file, the word in a variable.
    func bool() throws -> Bool {
        switch raw {
        case .string(let text) where isText:
            if let value = Bool(text) { return value }
        case .bool(let value) where !isText: return value
        default: break
        }
        throw bad("true or false")
    }

    /// A non-empty string, checked by its key's own rule.
    func text() throws -> String {
        guard case .string(let text) = raw, !text.isEmpty else { throw bad("a non-empty string") }
        return text
    }

    /// A non-empty string without control characters or text-direction marks (the byte-order mark among them).
    func string() throws -> String {
        let text = try text()
        do {
            try Validation.checkNoControlCharacters(text, field: key)
        } catch let violation as ContractViolation {
            throw SettingsError(message: "\(source): \(violation.message)")
        }
        return text
    }
}

extension [String] {
    /// `a, b or c`.
    fileprivate func joinedAsChoice() -> String {
        count < 2 ? joined() : dropLast().joined(separator: ", ") + " or " + (last ?? "")
    }
}

/// A settings file or variable is malformed.
public struct SettingsError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
