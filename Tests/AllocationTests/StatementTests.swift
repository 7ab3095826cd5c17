import CSQLite
import TestSupport
import Testing

@testable import Allocation

/// How statements are found, bound and reused on the hot path.
@Suite struct StatementTests {
    @Test func textIsBoundWholeEmptyTextIsNotNullAndUnicodeKeepsItsBytes() throws {
        let store = try TestDatabase()
        let db = store.database
        let empty = try db.queryOne("SELECT CAST(? AS TEXT) IS NULL, length(CAST(? AS TEXT))", "", "") {
            ($0.int(0), $0.int(1))
        }
        #expect(empty?.0 == 0 && empty?.1 == 0)
        #expect(
            try db.queryOne("SELECT ?", "Gerät 箱 e\u{301}") { Array($0.text(0).utf8) }
                == Array("Gerät 箱 e\u{301}".utf8))
        #expect(try db.queryOne("SELECT CAST(? AS TEXT) = ?", "e\u{301}", "\u{E9}") { $0.int(0) } == 0)
    }

    /// SQLite keeps every byte of a text holding NUL; a server's text cannot hold it, and binding it is refused
    /// rather than cut short at the NUL.
    @Test func textHoldingNulIsKeptWholeOrRefused() throws {
        let store = try TestDatabase()
        let db = store.database
        try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        let insert = "INSERT INTO batches (reference, sku, purchased) VALUES (?, 'LAMP', 1)"
        if db.isSQLite {
            #expect(try db.queryOne("SELECT length(CAST(? AS BLOB))", "a\u{0}b") { $0.int(0) } == 3)
            try db.execute(insert, "a\u{0}b")
            #expect(try db.query("SELECT reference FROM batches") { $0.text(0) } == ["a\u{0}b"])
        } else {
            let error = try #require(throws: DatabaseError.self) { try db.execute(insert, "a\u{0}b") }
            #expect(error.description.hasPrefix("PostgreSQL cannot store text holding a NUL character"))
            #expect(try Views.batchCount(in: db) == 0)
        }
    }

    @Test func aParameterLeftOutIsNullNotTheValueOfTheRunBefore() throws {
        let store = try TestDatabase()
        let db = store.database
        let sql = "SELECT CAST(?1 AS INTEGER), CAST(?2 AS INTEGER)"
        #expect(try db.queryOne(sql, 1, 2) { $0.int(1) } == 2)
        #expect(try db.queryOne(sql, 1) { $0.isNull(1) } == true)
        #expect(try db.queryOne("SELECT CAST(? AS TEXT), CAST(? AS TEXT)", "a") { $0.isNull(1) } == true)
    }

    @Test func aServerNumbersThePlaceholdersAsSQLiteDoes() {
        #expect(
            Database.numberingPlaceholders("SELECT ?, '?', \"?\" -- ?\n, ?") == ("SELECT $1, '?', \"?\" -- ?\n, $2", 2))
        #expect(Database.numberingPlaceholders("SELECT ?2, ?1, ?") == ("SELECT $2, $1, $3", 3))
        #expect(Database.numberingPlaceholders("SELECT ?12") == ("SELECT $12", 12))
        #expect(Database.numberingPlaceholders("SELECT 1") == ("SELECT 1", 0))
    }

    @Test func aStatementFoundByItsSQLObjectIsTheOnePreparedForItsText() throws {
        let store = try TestDatabase()
        let db = store.database
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

    @Test(.sqliteOnly) func sqliteKeepsNoMemoryStatisticsOnceADatabaseIsOpen() throws {
        let store = try TestDatabase()
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "B-1", sku: "LAMP", qty: 5)))
        #expect(sqlite3_memory_used() == 0)
    }
}
