import Foundation
import TestSupport
import Testing

@testable import Allocation

/// Opening a stock database from the settings, noticing other connections' commits, and what errors mean.
@Suite struct DatabaseTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    func settings(_ name: String) throws -> Settings {
        try testSettings(database: folder.appendingPathComponent(name).path)
    }

    @Test(.sqliteOnly) func createMakesTheFolderAndTheSchemaWithTheSettingsPragmas() throws {
        let settings = try settings("new/folder/stock.sqlite")
        let database = try Database.open(settings: settings, access: .create)
        #expect(database.path == settings.databasePath)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
        #expect(try database.queryOne("PRAGMA journal_mode") { $0.text(0) } == "wal")
        #expect(try database.queryOne("PRAGMA synchronous") { $0.int(0) } == 1)
        let connection = try #require(database.connection as? SQLiteConnection)
        #expect(connection.busyWaiter.timeoutSeconds * 1000 == Double(settings.busyTimeoutMilliseconds))
        #expect(try database.queryOne("PRAGMA foreign_keys") { $0.int(0) } == 1)
        #expect(try database.queryOne("PRAGMA wal_autocheckpoint") { $0.int(0) } == 4096)
        #expect(try Database.open(settings: settings, access: .readOnly).access == .readOnly)
    }

    @Test(.sqliteOnly) func openingAMissingFileNamesInitAndCreatesNothing() throws {
        let settings = try settings("missing.sqlite")
        for access in [Database.Access.readWrite, .readOnly] {
            do {
                _ = try Database.open(settings: settings, access: access)
                Issue.record("opened a missing file \(access)")
            } catch let error as DatabaseError {
                let path = settings.databasePath
                #expect(error.message == "no database at \(path); create it with: stock --db \(path) init")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: settings.databasePath))
    }

    @Test(.sqliteOnly) func onlyCreateTouchesAFileWithoutTheCurrentSchema() throws {
        let settings = try settings("old.sqlite")
        let old = try Database(path: settings.databasePath, access: .create)
        for sql in Schema.migrations[0].sqlite { try old.execute(sql) }
        try old.execute("PRAGMA user_version = 1")
        #expect(throws: DatabaseError.self) { try Database.open(settings: settings, access: .readWrite) }
        #expect(try Schema.version(of: old) == 1)
        _ = try Database.open(settings: settings, access: .create)
        #expect(try Schema.version(of: old) == Schema.currentVersion)
    }

    @Test(.sqliteOnly) func createRefusesAnotherProgramsFile() throws {
        let settings = try settings("notes.sqlite")
        try Database(path: settings.databasePath, access: .create).execute("CREATE TABLE notes (text TEXT)")
        do {
            _ = try Database.open(settings: settings, access: .create)
            Issue.record("migrated another program's file")
        } catch let error as DatabaseError {
            #expect(error.message.contains("already holds tables of another program"))
        }
    }

    @Test func changedSinceLastCheckSeesOnlyOtherConnectionsCommits() throws {
        let store = try TestDatabase()
        let watcher = try store.openAnotherConnection(access: .readOnly)
        #expect(try watcher.changedSinceLastCheck() == false)
        #expect(try watcher.changedSinceLastCheck() == false)
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 1)))
        #expect(try watcher.changedSinceLastCheck() == true)
        #expect(try watcher.changedSinceLastCheck() == false)
        #expect(try store.database.changedSinceLastCheck() == false)
        try store.makeBus().handle(.createBatch(CreateBatch(ref: "b2", sku: "LAMP", qty: 1)))
        #expect(try store.database.changedSinceLastCheck() == false)
        #expect(try watcher.changedSinceLastCheck() == true)
    }

    @Test func errorsSayWhatTheyMeanWithoutResultCodes() throws {
        let store = try TestDatabase()
        let db = store.database
        try db.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        try db.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('b1', 'LAMP', 1)")
        let failures: [(String, DatabaseError.Kind)] = [
            ("INSERT INTO products (sku) VALUES ('LAMP')", .uniqueViolation),
            ("INSERT INTO batches (reference, sku, purchased) VALUES ('b1', 'LAMP', 1)", .uniqueViolation),
            ("INSERT INTO batches (reference, sku, purchased) VALUES ('b2', 'LAMP', -1)", .constraintViolation),
            ("INSERT INTO batches (reference, sku, purchased) VALUES ('b2', 'NOPE', 1)", .constraintViolation),
            ("SELECT nothing FROM nowhere", .other),
        ]
        for (sql, kind) in failures {
            do {
                try db.execute(sql)
                Issue.record("accepted \(sql)")
            } catch let error as DatabaseError {
                #expect(error.kind == kind, "\(sql): \(error)")
                #expect(error.sql == sql)
            }
        }
    }
}
