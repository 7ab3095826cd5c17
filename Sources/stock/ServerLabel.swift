import Allocation
import Foundation

extension ServerAddress {
    /// How the console's status line names a server database, as it names a file by its name alone: the
    /// database's name (`stocktest`), from the URL or else the `PGDATABASE` environment variable; never the
    /// password, the host or the options.
    func label(environment: [String: String]) -> String {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        let beforeQuery = afterScheme.prefix { $0 != "?" }
        let name = beforeQuery.firstIndex(of: "/").map { beforeQuery[beforeQuery.index(after: $0)...] } ?? ""
        if !name.isEmpty { return name.removingPercentEncoding ?? String(name) }
        return environment["PGDATABASE"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgresql"
    }
}
