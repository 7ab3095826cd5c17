import Foundation

/// Where the database is, read once from the `database` setting: a SQLite file, or a PostgreSQL server named by a
/// `postgresql://` URL (its scheme in any case). Everything that asks which engine a setting names, how to show
/// it, or how the console labels it asks this value instead of looking at the text again.
public enum DatabaseLocation: Sendable, Equatable {
    case file(path: String)
    case server(ServerAddress)

    public init(_ setting: String) {
        self = ServerAddress.isServer(setting) ? .server(ServerAddress(url: setting)) : .file(path: setting)
    }

    /// The file the database is, nil for a server's.
    public var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    /// Whether two locations name one database: the same URL, or the same file by path or by identity.
    public func isSameDatabase(as other: DatabaseLocation) -> Bool {
        switch (self, other) {
        case (.server(let first), .server(let second)): return first.url == second.url
        case (.file(let first), .file(let second)):
            if let one = FileIdentity(path: first), let other = FileIdentity(path: second) { return one == other }
            return URL(fileURLWithPath: first).standardized.path == URL(fileURLWithPath: second).standardized.path
        default: return false
        }
    }

    /// Whether it names a server through an address that asks for a standby first
    /// (``ServerAddress/asksForStandby``).
    public var asksForStandby: Bool {
        if case .server(let address) = self { return address.asksForStandby }
        return false
    }

    /// As messages show it: the file's path, or the server's URL with its password hidden.
    public var shown: String {
        switch self {
        case .file(let path): path
        case .server(let address): address.shown
        }
    }

    /// How the console's status line names it: a file by its name, a server database by its name
    /// (``ServerAddress/label(environment:)``).
    public func label(environment: [String: String]) -> String {
        switch self {
        case .file(let path): URL(fileURLWithPath: path).lastPathComponent
        case .server(let address): address.label(environment: environment)
        }
    }
}
