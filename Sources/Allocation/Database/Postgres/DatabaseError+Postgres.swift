extension DatabaseError {
    /// A failure a PostgreSQL server reported (or libpq, for the connection), with its SQLSTATE.
    static func server(message: String, state: String, sql: String? = nil, path: String? = nil) -> DatabaseError {
        DatabaseError(
            kind: kind(ofState: state),
            engineReport: EngineReport(
                codeName: "PostgreSQL SQLSTATE", code: state.isEmpty ? "none (a libpq failure)" : state),
            message: message, sql: sql, path: path,
            systemError: 0)
    }

    /// PostgreSQL's SQLSTATE, nil for SQLite and for stock's own checks.
    var sqlState: String? {
        guard let report = engineReport, report.codeName == "PostgreSQL SQLSTATE" else { return nil }
        return report.code
    }

    /// The kind of a PostgreSQL SQLSTATE: `55P03` (lock_timeout) and `57014` (a cancelled statement) are a
    /// lock held too long; class 23 is a constraint, `P0001` a trigger's `RAISE`; `25006` a read-only session and
    /// `42501` a role without the right.
    private static func kind(ofState state: String) -> Kind {
        switch state {
        case "55P03", "57014": .busy
        case "23505": .uniqueViolation
        case "P0001": .constraintViolation
        case "40001", "40P01": .conflict
        case "08007": .commitUnknown
        case "25006", "42501": .readOnly
        case "53100": .diskFull
        case _ where state.hasPrefix("23"): .constraintViolation
        case _ where state.hasPrefix("08"): .connection
        default: .other
        }
    }
}
