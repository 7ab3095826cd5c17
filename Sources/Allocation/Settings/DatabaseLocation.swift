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

    public var isServer: Bool {
        if case .server = self { return true }
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
