import CPostgres

/// A statement prepared on the server under a name: ``bind(_:)`` keeps the arguments, the first ``step()`` runs
/// it and holds the rows of its result, and ``reset()`` frees them.
final class PostgresStatement: PreparedStatement {
    let name: String
    /// How many parameters it takes.
    let parameters: Int
    let sql: String
    private let connection: PostgresConnection
    /// The arguments, held between ``bind(_:)`` and the first ``step()``.
    private var arguments: [SQLValue] = []
    /// The result while its rows are read, and the row ``row`` reads.
    private var result: OpaquePointer?
    private var rowIndex: Int32 = -1

    init(name: String, parameters: Int, sql: String, connection: PostgresConnection) {
        self.name = name
        self.parameters = parameters
        self.sql = sql
        self.connection = connection
    }

    deinit {
        if let result { PQclear(result) }
    }

    func bind(_ arguments: [any SQLBindable]) throws {
        reset()
        self.arguments = arguments.map(\.sqlValue)
        if self.arguments.count < parameters {
            self.arguments += Array(repeating: .null, count: parameters - self.arguments.count)
        }
    }

    /// The first step runs the statement; a statement that changes rows leaves their count (its command tag's)
    /// as the connection's ``PostgresConnection/changes``.
    func step() throws -> Bool {
        if result == nil {
            let ran = try connection.run(prepared: name, sql: sql, arguments: arguments)
            result = ran
            rowIndex = -1
            if PQresultStatus(ran) == PGRES_COMMAND_OK || !sql.hasPrefix("SELECT") {
                connection.lastChanges = Int(PQcmdTuples(ran).map { String(cString: $0) } ?? "") ?? 0
            }
        }
        rowIndex += 1
        return rowIndex < PQntuples(result)
    }

    var row: Row { Row(cursor: PostgresRow(result: result!, row: rowIndex)) }

    func reset() {
        if let result { PQclear(result) }
        result = nil
        rowIndex = -1
    }
}

/// A row of a server's result; its values arrive as text.
struct PostgresRow: RowCursor {
    let result: OpaquePointer
    let row: Int32

    var columnCount: Int32 { PQnfields(result) }

    func int64(_ column: Int32) -> Int64 {
        guard let value = PQgetvalue(result, row, column) else { return 0 }
        return Self.parseInteger(value)
    }

    /// A server's text as SQLite reads text as an integer: the leading sign and digits, 0 when there are none;
    /// `t` (a true boolean) is 1.
    private static func parseInteger(_ text: UnsafePointer<CChar>) -> Int64 {
        var index = 0
        var negative = false
        if text[0] == 0x74 { return 1 }
        if text[0] == 0x2D {
            negative = true
            index = 1
        }
        var value: Int64 = 0
        while text[index] >= 0x30 && text[index] <= 0x39 {
            value = value &* 10 &+ Int64(text[index] - 0x30)
            index += 1
        }
        return negative ? -value : value
    }

    func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) == 1 }

    func text(_ column: Int32) -> String {
        String(decoding: utf8(column), as: UTF8.self)
    }

    func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        guard let value = PQgetvalue(result, row, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
        let count = Int(PQgetlength(result, row, column))
        return UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), count: count)
    }
}
