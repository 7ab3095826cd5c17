import Foundation
import TestSupport

@testable import Allocation

/// How the engine plans a statement as the production code wrote it (with its `?` parameters): the tables or
/// indexes it reads whole, the rows it sorts itself, the indexes it reads.
///
/// SQLite: `EXPLAIN QUERY PLAN`. A server: the generic plan of the statement prepared on it
/// (`plan_cache_mode = force_generic_plan`, a plan for any values), with sequential scans priced as high as the
/// planner allows (`enable_seqscan` off). A test's tables hold a few rows, on which a scan is rightly the
/// cheapest plan; priced out, a scan still appears when no index can serve the statement, so the plan says what
/// SQLite's does: whether indexes find the rows. Only SQLite's temporary B-trees count as sorts: a server sorts
/// the few rows its indexes found where SQLite reads them in an index's order, since it does not carry that
/// order through a join on a unique key.
struct QueryPlan {
    /// SQLite's plan lines, or the server's plan nodes as `node type, relation, index`.
    let steps: [String]
    /// The steps that read a whole table or index.
    let fullScans: [String]
    /// The steps that sort rows SQLite could not read in an index's order (a temporary B-tree). SQLite only:
    /// always empty on a server, whose Sort nodes order the few rows its indexes found (see above), so a test
    /// asserts on it only when the engine is SQLite.
    let sorts: [String]

    init(of sql: String, in db: Database) throws {
        guard !db.isSQLite else {
            steps = try db.query("EXPLAIN QUERY PLAN " + sql, arguments: []) { $0.text(3) }
            fullScans = steps.filter { $0.hasPrefix("SCAN") }
            sorts = steps.filter { $0.contains("TEMP B-TREE") }
            return
        }
        guard let statement = try db.statement(sql) as? PostgresStatement else { throw QueryPlanError(sql: sql) }
        let (name, parameters) = (statement.name, statement.parameters)
        let settings = ["plan_cache_mode = force_generic_plan", "enable_seqscan = off"]
        for setting in settings { try db.execute("SET " + setting) }
        defer {
            for setting in settings { try? db.execute("RESET " + setting.prefix { $0 != " " }) }
        }
        let nulls =
            parameters == 0 ? "" : "(" + Array(repeating: "NULL", count: parameters).joined(separator: ", ") + ")"
        let json = try db.queryOne("EXPLAIN (FORMAT JSON) EXECUTE \(name)\(nulls)") { $0.text(0) } ?? ""
        let plans = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        var nodes: [[String: Any]] = plans.compactMap { $0["Plan"] as? [String: Any] }
        var steps: [String] = []
        var fullScans: [String] = []
        while let node = nodes.popLast() {
            let type = node["Node Type"] as? String ?? ""
            let step = [type, node["Relation Name"] as? String, node["Index Name"] as? String].compactMap { $0 }
                .joined(separator: ", ")
            steps.append(step)
            let readsAnIndexWhole = type.contains("Index") && type.hasSuffix("Scan") && node["Index Cond"] == nil
            if type == "Seq Scan" || readsAnIndexWhole { fullScans.append(step) }
            nodes += node["Plans"] as? [[String: Any]] ?? []
        }
        self.steps = steps
        self.fullScans = fullScans
        sorts = []
    }

    /// Whether a step reads the index `name`.
    func uses(_ name: String) -> Bool {
        steps.contains { $0.contains(name) }
    }
}

/// A statement the server did not prepare under a name.
struct QueryPlanError: Error {
    let sql: String
}
