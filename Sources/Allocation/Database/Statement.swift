import CPostgres
import CSQLite

/// A prepared statement, kept in its database's cache and reused: bound, stepped, then reset.
///
/// On SQLite it is a `sqlite3_stmt`, stepped row by row. On PostgreSQL it is a statement prepared on the server
/// under a name: ``bind(_:in:)`` keeps the arguments, the first ``step(in:)`` runs it and holds the rows of its
/// result, and ``reset()`` frees them.
final class Statement {
    enum Prepared {
        case sqlite(OpaquePointer)
        /// A statement prepared on the server under `name`, taking `parameters` parameters.
        case postgres(name: String, parameters: Int)
    }

    let prepared: Prepared
    let sql: String
    /// A server statement's arguments, held between ``bind(_:in:)`` and the first ``step(in:)``.
    private var arguments: [SQLValue] = []
    /// A server statement's result while its rows are read, and the row ``row`` reads.
    private var result: OpaquePointer?
    private var rowIndex: Int32 = -1
    /// The rows a server statement changed (its command tag's count), or returned.
    private(set) var serverChanges = 0

    init(prepared: Prepared, sql: String) {
        self.prepared = prepared
        self.sql = sql
    }

    deinit {
        switch prepared {
        case .sqlite(let handle): sqlite3_finalize(handle)
        case .postgres: if let result { PQclear(result) }
        }
    }

    /// Binds `arguments` to the parameters in order, and NULL to any parameter after them.
    ///
    /// On SQLite each parameter is bound anew, so no `sqlite3_clear_bindings` (whose frees cost as much as the
    /// binds); text is bound from the string's UTF-8 bytes with their length, copied by SQLite.
    func bind(_ arguments: [any SQLBindable], in database: Database) throws {
        let handle: OpaquePointer
        switch prepared {
        case .sqlite(let sqlite): handle = sqlite
        case .postgres(_, let parameters):
            reset()
            self.arguments = arguments.map(\.sqlValue)
            if self.arguments.count < parameters {
                self.arguments += Array(repeating: .null, count: parameters - self.arguments.count)
            }
            return
        }
        sqlite3_reset(handle)
        let count = Int(sqlite3_bind_parameter_count(handle))
        for offset in 0..<max(count, arguments.count) {
            let index = Int32(offset + 1)
            let rc: Int32
            switch offset < arguments.count ? arguments[offset].sqlValue : .null {
            case .null: rc = sqlite3_bind_null(handle, index)
            case .integer(let number): rc = sqlite3_bind_int64(handle, index, number)
            case .text(var string):
                rc = string.withUTF8 { bytes in
                    guard let start = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                    }
                    return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(bytes.count), csqlite_transient())
                    }
                }
            }
            guard rc == SQLITE_OK else { throw database.error(rc, sql: sql) }
        }
    }

    /// Steps once: `true` when a row is ready, `false` when done.
    func step(in database: Database) throws -> Bool {
        switch prepared {
        case .sqlite(let handle):
            let rc = sqlite3_step(handle)
            switch rc {
            case SQLITE_ROW: return true
            case SQLITE_DONE: return false
            default:
                let failure = database.error(rc, sql: sql)
                sqlite3_reset(handle)
                throw failure
            }
        case .postgres(let name, _):
            if result == nil {
                guard let server = database.server else { preconditionFailure("a server statement without a server") }
                let ran = try server.run(prepared: name, sql: sql, arguments: arguments)
                result = ran
                rowIndex = -1
                let tag = PQcmdTuples(ran).map { String(cString: $0) } ?? ""
                serverChanges = Int(tag) ?? 0
            }
            rowIndex += 1
            return rowIndex < PQntuples(result)
        }
    }

    /// The current row, valid until the next step or reset.
    var row: Row {
        switch prepared {
        case .sqlite(let handle): Row(source: .sqlite(handle))
        case .postgres: Row(source: .postgres(result: result!, row: rowIndex))
        }
    }

    func reset() {
        switch prepared {
        case .sqlite(let handle):
            sqlite3_reset(handle)
        case .postgres:
            if let result { PQclear(result) }
            result = nil
            rowIndex = -1
        }
    }
}
