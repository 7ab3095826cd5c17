import CSQLite

/// SQL functions this program gives every connection, so SQL filters apply the same rules as Swift.
extension Database {
    /// The name of `stock_contains(text, needle)`: 1 when `text` contains `needle` by the ``Search`` rule (both
    /// folded by Swift's Unicode lowercase mapping), 0 when not, NULL when either is NULL.
    ///
    /// SQLite's own `lower()`, `LIKE` and `NOCASE` fold ASCII only; this function runs ``Search`` itself, so what a
    /// filter in SQL finds and what the screen highlights cannot disagree. It reads no table and changes nothing,
    /// and it is deterministic.
    static let containsFunction = "stock_contains"
}

extension SQLiteConnection {

    /// Registers ``containsFunction`` on this connection.
    ///
    /// - Throws: `DatabaseError` when SQLite refuses the registration.
    func registerFunctions() throws {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        let rc = sqlite3_create_function_v2(
            handle, Database.containsFunction, 2, flags, nil,
            { context, _, arguments in
                guard let context, let arguments, let text = arguments[0], let needle = arguments[1],
                    sqlite3_value_type(text) != SQLITE_NULL, sqlite3_value_type(needle) != SQLITE_NULL
                else {
                    sqlite3_result_null(context)
                    return
                }
                let search = SQLiteConnection.search(for: needle, argument: 1, in: context)
                sqlite3_result_int(context, search.matches(utf8: SQLiteConnection.bytes(of: text)) ? 1 : 0)
            }, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, sql: nil) }
    }

    /// The UTF-8 bytes of a text value, valid until the value changes.
    private static func bytes(of value: OpaquePointer) -> UnsafeBufferPointer<UInt8> {
        let start = sqlite3_value_text(value)
        return UnsafeBufferPointer(start: start, count: Int(sqlite3_value_bytes(value)))
    }

    /// The search for a needle argument, folded once per statement: SQLite keeps it with the argument (its
    /// "auxiliary data") for as long as the argument stays the same bound value.
    private static func search(for value: OpaquePointer, argument: Int32, in context: OpaquePointer) -> Search {
        if let kept = sqlite3_get_auxdata(context, argument) {
            return Unmanaged<SearchBox>.fromOpaque(kept).takeUnretainedValue().search
        }
        let search = Search(utf8: bytes(of: value))
        let box = Unmanaged.passRetained(SearchBox(search)).toOpaque()
        sqlite3_set_auxdata(context, argument, box) { kept in
            if let kept { Unmanaged<SearchBox>.fromOpaque(kept).release() }
        }
        return search
    }
}

/// A search kept by SQLite between calls, as a reference it can hold.
private final class SearchBox {
    let search: Search

    init(_ search: Search) {
        self.search = search
    }
}
