import Allocation
import Foundation

/// A schema of its own on the PostgreSQL server for one run, made empty and dropped with everything in it by
/// ``drop()``; ``url`` selects it (`options=-csearch_path=…`), for stock and for `pgbench` alike.
final class ScratchSchema {
    let name: String
    let url: String
    private let serverURL: String
    private var dropped = false

    init(serverURL: String, purpose: String) throws {
        self.serverURL = serverURL
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
        name = "stock_bench_\(purpose)_\(suffix)"
        try Database(serverURL: serverURL).execute("CREATE SCHEMA \(name)")
        url = serverURL + (serverURL.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(name)"
    }

    /// Drops the schema; says so on standard error when the server refuses.
    func drop() {
        guard !dropped else { return }
        dropped = true
        do {
            try Database(serverURL: serverURL).execute("DROP SCHEMA \(name) CASCADE")
        } catch {
            FileHandle.standardError.write(Data("stock-bench: could not drop schema \(name): \(error)\n".utf8))
        }
    }

    deinit { drop() }
}

/// The server's version line, e.g. `PostgreSQL 15.18`.
func serverVersion(_ url: String) throws -> String {
    let full = try Database(serverURL: url).queryOne("SELECT version()") { $0.text(0) } ?? "?"
    return full.split(separator: " ").prefix(2).joined(separator: " ")
}
