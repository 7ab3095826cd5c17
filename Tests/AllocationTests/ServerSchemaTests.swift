import Foundation
import TestSupport
import Testing

@testable import Allocation

/// What `DatabaseTests` and `SchemaTests` check of a SQLite file's schema and session, on a server: `stock init`
/// creates the schema only where no other program's tables are, opening for work requires the current version,
/// and the session has the settings' lock timeout and the monitor's read-only mode.
@Suite(.postgresOnly) struct ServerSchemaTests {
    let folder: TemporaryFolder
    let location: TestDatabaseLocation
    let settings: Settings

    init() throws {
        folder = try TemporaryFolder()
        location = try TestDatabaseLocation(in: folder)
        settings = try testSettings(database: location.path)
    }

    @Test func createMakesTheSchemaAndTheSessionFollowsTheSettings() throws {
        let database = try Database.open(settings: settings, access: .create)
        #expect(!database.isSQLite)
        #expect(try Schema.version(of: database) == Schema.currentVersion)
        #expect(
            try database.queryOne("SELECT setting FROM pg_settings WHERE name = 'lock_timeout'") { $0.int(0) }
                == settings.busyTimeoutMilliseconds)
        #expect(try database.queryOne("SHOW transaction_read_only") { $0.text(0) } == "off")
        let reader = try Database.open(settings: settings, access: .readOnly)
        #expect(try reader.queryOne("SHOW transaction_read_only") { $0.text(0) } == "on")
    }

    @Test func openingASchemaWithoutStocksTablesNamesInitAndCreatesNothing() throws {
        for access in [Database.Access.readWrite, .readOnly] {
            let error = try #require(throws: DatabaseError.self) {
                try Database.open(settings: settings, access: access)
            }
            #expect(
                error.message
                    == "\(location.path) is not a stock database (it has no stock schema); create one with: "
                    + "stock --db \(location.path) init")
        }
        let admin = try Database(serverURL: location.path)
        #expect(
            try admin.queryOne("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()") { $0.int(0) } == 0)
    }

    @Test func createRefusesASchemaHoldingAnotherProgramsTables() throws {
        let admin = try Database(serverURL: location.path)
        try admin.execute("CREATE TABLE notes (text text)")
        let error = try #require(throws: DatabaseError.self) { try Database.open(settings: settings, access: .create) }
        #expect(error.message.contains("already holds tables of another program"))
        #expect(
            try admin.query("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()") { $0.text(0) }
                == ["notes"])
    }

    @Test func aSchemaFromANewerStockIsRefusedForWorkAndForInit() throws {
        let database = try Database.open(settings: settings, access: .create)
        try database.execute("UPDATE stock_schema SET version = 99")
        for access in [Database.Access.create, .readWrite, .readOnly] {
            let error = try #require(throws: DatabaseError.self) {
                try Database.open(settings: settings, access: access)
            }
            #expect(error.message.contains("has schema version 99, newer than this stock knows"), "\(access)")
        }
        #expect(try Schema.version(of: database) == 99)
    }
}
