import Foundation
import TestSupport
import Testing

@testable import Allocation

/// What an operator reads when the database is missing, misplaced or unusable: sentences, never result codes.
@Suite struct DatabaseErrorMessageTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    /// The error `Database.open` throws for the file at `name` with `access`.
    func openingFails(_ name: String, access: Database.Access) throws -> DatabaseError {
        let settings = try testSettings(database: folder.appendingPathComponent(name).path)
        return try #require(throws: DatabaseError.self) { try Database.open(settings: settings, access: access) }
    }

    @Test func aMissingDatabaseAdvisesInitAndTheCallerMayShortenIt() throws {
        let path = folder.appendingPathComponent("missing.sqlite").path
        let error = try openingFails("missing.sqlite", access: .readWrite)
        #expect(error.description == "no database at \(path); create it with: stock --db \(path) init")
        #expect(
            error.advising(initCommand: "stock init").description
                == "no database at \(path); create it with: stock init")
        #expect(error.debugDetails == "found by stock's own check, not reported by the database engine")
    }

    @Test func anOlderSchemaAdvisesInitToBringItUpToDate() throws {
        let path = folder.appendingPathComponent("old.sqlite").path
        do {
            let old = try Database(path: path, access: .create)
            for sql in Schema.migrations[0].sqlite { try old.execute(sql) }
            try old.execute("PRAGMA user_version = 1")
        }
        let error = try openingFails("old.sqlite", access: .readOnly)
        #expect(
            error.advising(initCommand: "stock init").description
                == "\(path) was made by an older stock (schema version 1); bring it up to date with: stock init")
    }

    @Test(arguments: [Database.Access.create, .readWrite, .readOnly])
    func aFolderIsNamedAsAFolderAndLeftEmpty(_ access: Database.Access) throws {
        let path = folder.appendingPathComponent("a-folder").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let error = try openingFails("a-folder", access: access)
        #expect(error.description == "\(path) is a folder, not a database file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }

    @Test(arguments: [Database.Access.create, .readWrite, .readOnly])
    func aFileThatIsNotADatabaseSaysSo(_ access: Database.Access) throws {
        let path = folder.appendingPathComponent("notes.txt").path
        try "shopping list\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try openingFails("notes.txt", access: access)
        #expect(error.description == "\(path) is not a stock database (file is not a database)")
        #expect(error.debugDetails.hasPrefix("SQLite result code 26"))
    }

    /// The engine's own message comes first, the database it concerns after it; the code only in the debugging
    /// details.
    @Test func anEngineMessageNamesTheDatabaseAndKeepsTheCodeForDebugging() throws {
        let store = try TestDatabase()
        let error = try #require(throws: DatabaseError.self) { try store.database.execute("SELECT x FROM nowhere") }
        let (message, code) =
            TestEngine.isPostgres
            ? (#"relation "nowhere" does not exist"#, "PostgreSQL SQLSTATE 42P01")
            : ("no such table: nowhere", "SQLite result code 1")
        #expect(error.description == "\(message) (\(store.path))")
        #expect(error.debugDetails == "\(code), SQL: SELECT x FROM nowhere")
        #expect(error.kind == .other)
    }

    /// A server's refusals have the kinds SQLite's have, and its messages name the database as SQLite's do.
    @Test(.postgresOnly) func aServersRefusalsSayWhatTheyMean() throws {
        let store = try TestDatabase()
        try store.database.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        let duplicate = try #require(throws: DatabaseError.self) {
            try store.database.execute("INSERT INTO products (sku) VALUES ('LAMP')")
        }
        #expect(duplicate.kind == .uniqueViolation)
        #expect(duplicate.description.hasPrefix("duplicate key value violates unique constraint"))
        #expect(duplicate.description.hasSuffix(" (\(store.path))"))
        #expect(duplicate.debugDetails.hasPrefix("PostgreSQL SQLSTATE 23505"))
        let impossible = try #require(throws: DatabaseError.self) {
            try store.database.execute("INSERT INTO batches (reference, sku, purchased) VALUES ('b', 'LAMP', -1)")
        }
        #expect(impossible.kind == .constraintViolation)
        let reader = try store.openAnotherConnection(access: .readOnly)
        let readOnly = try #require(throws: DatabaseError.self) {
            try reader.execute("INSERT INTO products (sku) VALUES ('RUG')")
        }
        #expect(readOnly.description.hasPrefix("this session is read-only: the monitor's connection cannot write"))
        #expect(try Views.batchCount(in: store.database) == 0)
    }

    @Test func noMessageShowsAResultCode() throws {
        let errors: [DatabaseError] = [
            .noDatabase(at: "x.sqlite"), .folder(at: "x"), .turnHeldTooLong(milliseconds: 5),
            .wrongFile("x.sqlite refused WAL mode (journal_mode=delete)"), .misuse("nested transactions"),
            DatabaseError(sqliteCode: 13, message: "database or disk is full", path: "x.sqlite"),
            DatabaseError(sqliteCode: 10, message: "disk I/O error", path: "x.sqlite", systemError: EFBIG),
            DatabaseError(sqliteCode: 5, message: "database is locked", path: "x.sqlite"),
        ]
        for error in errors {
            #expect(!error.description.contains("database error"), "\(error.description)")
            let code = error.sqlitePrimaryCode.map { "(\($0))" } ?? "result code"
            #expect(!error.description.contains(code), "\(error.description)")
        }
    }

    /// Every error says what it means by its kind, found by stock's own check or reported by an engine; only an
    /// engine's report carries a code, and only in the details for whoever debugs.
    @Test func eachErrorCarriesItsMeaningAndOnlyAnEnginesReportACode() {
        let owned: [(DatabaseError, DatabaseError.Kind)] = [
            (.noDatabase(at: "x.sqlite"), .notFound), (.folder(at: "x"), .notFound),
            (.wrongFile("x.sqlite holds another program's tables"), .wrongSchema),
            (.needsInit("made by an older stock", path: "x.sqlite", action: "bring it up to date with"), .wrongSchema),
            (.unreadable("an event of kind Nothing"), .unreadable), (.misuse("nested transactions"), .misuse),
            (.turnHeldTooLong(milliseconds: 5), .busy),
        ]
        for (error, kind) in owned {
            #expect(error.kind == kind, "\(error.description)")
            #expect(error.engineReport == nil)
            #expect(error.debugDetails.hasPrefix("found by stock's own check"), "\(error.debugDetails)")
        }
        let reported: [(DatabaseError, DatabaseError.Kind)] = [
            (DatabaseError(sqliteCode: 13, message: "database or disk is full"), .diskFull),
            (DatabaseError(sqliteCode: 10, message: "disk I/O error", systemError: EFBIG), .fileTooLarge),
            (DatabaseError(sqliteCode: 10, message: "disk I/O error", systemError: ENOSPC), .diskFull),
            (DatabaseError(sqliteCode: 26, message: "file is not a database"), .notADatabase),
            (DatabaseError(sqliteCode: 2067, message: "UNIQUE constraint failed"), .uniqueViolation),
            (DatabaseError(sqliteCode: 275, message: "CHECK constraint failed"), .constraintViolation),
            (.server(message: "read-only transaction", state: "25006"), .readOnly),
            (.server(message: "permission denied", state: "42501"), .readOnly),
            (.server(message: "deadlock detected", state: "40P01"), .conflict),
            (.server(message: "server closed the connection", state: "08006"), .connection),
        ]
        for (error, kind) in reported {
            #expect(error.kind == kind, "\(error.debugDetails)")
            #expect(error.engineReport != nil)
        }
    }
}
