import CSQLite
import TestSupport
import Testing

@testable import Allocation

/// How statements are found, bound and reused on the hot path.
@Suite struct StatementTests {
    @Test func textIsBoundWholeEmptyTextIsNotNullAndUnicodeKeepsItsBytes() throws {
        let store = try TestDatabase()
        let db = store.database
        let empty = try db.queryOne("SELECT ? IS NULL, length(?)", "", "") { ($0.int(0), $0.int(1)) }
        #expect(empty?.0 == 0 && empty?.1 == 0)
        #expect(try db.queryOne("SELECT ?", "Gerät 箱 e\u{301}") { $0.text(0) } == "Gerät 箱 e\u{301}")
        #expect(try db.queryOne("SELECT length(CAST(? AS BLOB))", "a\u{0}b") { $0.int(0) } == 3)
    }

    @Test func aParameterLeftOutIsNullNotTheValueOfTheRunBefore() throws {
        let db = try TestDatabase().database
        #expect(try db.queryOne("SELECT ?1, ?2", 1, 2) { $0.int(1) } == 2)
        #expect(try db.queryOne("SELECT ?1, ?2", 1) { $0.isNull(1) } == true)
    }

    @Test func aStatementFoundByItsSQLObjectIsTheOnePreparedForItsText() throws {
        let db = try TestDatabase().database
        let sql = SQL("SELECT count(*) FROM products")
        var seen: [String] = []
        db.willRun = { seen.append($0) }
        let byText = try db.statement(sql.text)
        let byObject = try db.statement(sql)
        let again = try db.statement(SQL("SELECT count(*) FROM products"))
        db.willRun = nil
        #expect(byText === byObject && byObject === again)
        #expect(seen == Array(repeating: sql.text, count: 3))
    }

    @Test func sqliteKeepsNoMemoryStatisticsOnceADatabaseIsOpen() throws {
        let store = try TestDatabase()
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 5)))
        #expect(sqlite3_memory_used() == 0)
    }
}
