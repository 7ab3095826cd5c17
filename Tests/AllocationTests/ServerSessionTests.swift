import Foundation
import TestSupport
import Testing

@testable import Allocation

/// The server driver's pure parts: where a setting names a server, how its URL is shown, how placeholders are
/// numbered.
@Suite struct ServerAddressTests {
    @Test(arguments: [
        ("postgresql://stock@db/stock", true), ("postgres://db/stock", true), ("POSTGRESQL://db", true),
        ("postgresql://", true), ("/var/lib/stock.sqlite", false), ("postgresql.sqlite", false),
        ("./postgres:x", false), ("host=h1,h2 port=5432,5433 dbname=stock", true), ("  dbname = stock", true),
        ("service=warehouse", true), ("target_session_attrs=any host=h", true), ("./host=x.sqlite", false),
        ("hostname=x", false), ("stock=1.sqlite", false), ("host", false),
    ])
    func aURLSchemeOrALibpqKeywordChoosesTheServer(location: String, isServer: Bool) {
        #expect(ServerAddress.isServer(location) == isServer)
    }

    /// The URL shown is rebuilt from what libpq reads, with the password as `***`: a `?`, `%` or `/` in it,
    /// percent-encoded or raw, never shows, and an upper-case scheme is read as a URL.
    @Test(arguments: [
        ("postgresql://stock:s3cret@db:5432/stock", "postgresql://stock:***@db:5432/stock"),
        (
            "postgresql://stock@db/stock?sslmode=require&password=s3cret",
            "postgresql://stock:***@db/stock?sslmode=require"
        ),
        ("postgresql://db/stock", "postgresql://db/stock"),
        ("postgresql://stock@/stock?host=/tmp", "postgresql://stock@/stock?host=/tmp"),
        ("postgresql://", "postgresql://"),
        ("POSTGRESQL://stock:s3cret@db/stock", "postgresql://stock:***@db/stock"),
        ("Postgres://stock:s3cret@db/stock", "postgresql://stock:***@db/stock"),
        ("postgresql://stock:s3?cret@db/stock", "postgresql://stock:***@db/stock"),
        (
            "postgresql://stock:s3?cret=1@db/stock?application_name=a",
            "postgresql://stock:***@db/stock?application_name=a"
        ),
        (
            "postgresql://stock:s3%3Fcr%25e%2Ft@db/stock?options=-csearch_path%3Dsite_b",
            "postgresql://stock:***@db/stock?options=-csearch_path%3Dsite_b"
        ),
        ("postgresql://stock@h1:5433,h2:5434/stock", "postgresql://stock@/stock?host=h1,h2&port=5433,5434"),
        ("postgresql://[::1]:5433/stock", "postgresql://[::1]:5433/stock"),
        (
            "postgresql://u:s3cret@h1:5432,h2:5433/stock?target_session_attrs=read-write",
            "postgresql://u:***@/stock?host=h1,h2&port=5432,5433&target_session_attrs=read-write"
        ),
        (
            "postgresql://u@/stock?host=h1,h2&port=5432,5433&password=s3cret",
            "postgresql://u:***@/stock?host=h1,h2&port=5432,5433"
        ),
        (
            "host=h1,h2 port=5432,5433 dbname=stock user=u password=s3cret target_session_attrs=read-write",
            "postgresql://u:***@/stock?host=h1,h2&port=5432,5433&target_session_attrs=read-write"
        ),
        ("host=db dbname=stock password='s3 cr\\'et'", "postgresql://:***@db/stock"),
    ])
    func aPasswordIsNeverShown(url: String, shown: String) {
        let address = ServerAddress(url: url)
        #expect(address.problem == nil)
        #expect(address.shown == shown)
        #expect(!address.url.hasPrefix("POSTGRESQL") && !address.url.hasPrefix("Postgres"))
        var settings = Settings()
        settings.database = url
        #expect(settings.databaseLocation == .server(address))
        #expect(settings.databaseLocation.features.lossDetection == .reconnect)
        #expect(settings.shownDatabase == shown)
    }

    /// A URL libpq cannot read, or reads as something else than meant (a raw `/` or `@` in the password makes
    /// part of it the host, port or database name), is refused, and neither the refusal nor the URL shown quotes
    /// any of it.
    @Test(arguments: [
        "postgresql://stock:s3%cret@db/stock", "postgresql://stock:s3/cret@db/stock",
        "postgresql://stock:12/s3cret@db/stock", "postgresql://stock:s3@cret@db/stock",
        "postgresql://stock:s3cret@db/stock?s3cret", "postgresql:s3cret", "postgresql://stock:s3cret@db:5x/stock",
        "host=db password='s3cret", "host=db s3cret", "host=db port=5x password=s3cret",
    ])
    func anUnreadableURLIsRefusedWithoutQuotingIt(url: String) {
        let address = ServerAddress(url: url)
        let problem = address.problem ?? ""
        #expect(problem.contains("cannot be read"), "\(url)")
        for shown in [problem, address.shown, address.label(environment: [:])] {
            #expect(!shown.contains("s3") && !shown.contains("cret"), "\(url): \(shown)")
        }
    }

    @Test(arguments: [
        ("postgresql://stock:s3cret@db:5432/stock?sslmode=require", [:], "stock"),
        ("postgresql://postgres@/stock%20b?host=/tmp&options=-csearch_path%3Dsite_b", [:], "stock b"),
        ("postgresql://db", ["PGDATABASE": "warehouse"], "warehouse"),
        ("postgresql://", [:], "postgresql"),
        ("POSTGRESQL://stock:s3?cret@db/warehouse%20b", [:], "warehouse b"),
        ("postgresql://stock:s3/cret@db/stock", [:], "postgresql"),
        ("host=h1,h2 port=5432,5433 dbname=warehouse password=s3cret", [:], "warehouse"),
    ])
    func theStatusLineNamesAServerDatabaseByItsNameAlone(url: String, environment: [String: String], label: String) {
        var settings = Settings()
        settings.database = url
        #expect(settings.databaseLabel(environment: environment) == label)
    }

    /// Only an address whose `target_session_attrs` asks for a standby first has the console say that it
    /// landed on a primary.
    @Test(arguments: [
        ("postgresql://h1,h2/stock?target_session_attrs=prefer-standby", true),
        ("host=h1,h2 target_session_attrs=standby", true),
        ("postgresql://h/stock?target_session_attrs=read-only", true),
        ("postgresql://h1,h2/stock?target_session_attrs=read-write", false), ("postgresql://h/stock", false),
        ("/tmp/stock.sqlite", false),
    ])
    func anAddressAsksForAStandbyByItsTargetSessionAttributes(location: String, asks: Bool) {
        #expect(DatabaseLocation(location).asksForStandby == asks)
    }

    @Test func aFileIsNamedByItsNameAlone() {
        var settings = Settings()
        settings.database = "/var/lib/stock/site-a.sqlite"
        #expect(settings.databaseLabel(environment: [:]) == "site-a.sqlite")
    }

    @Test func placeholdersAreNumberedOutsideQuotesAndComments() {
        #expect(
            Database.numberingPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- ?\nLIMIT ?").sql
                == "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2 -- ?\nLIMIT $3")
        #expect(Database.numberingPlaceholders("SELECT 'it''s ?', ?").sql == "SELECT 'it''s ?', $1")
    }
}

/// What a server session is set up with: the settings' timeout and durability, and a read-only session that the
/// server itself keeps from writing.
@Suite(.postgresOnly) struct ServerSessionTests {
    let store: TestDatabase

    init() throws {
        store = try TestDatabase()
    }

    private func setting(_ name: String, in db: Database) throws -> String? {
        try db.queryOne("SELECT current_setting('\(name)')") { $0.text(0) }
    }

    @Test func theSessionTakesTheSettingsTimeoutAndDurability() throws {
        let lockTimeout = try store.database.queryOne(
            "SELECT setting, unit FROM pg_settings WHERE name = 'lock_timeout'"
        ) {
            "\($0.text(0)) \($0.text(1))"
        }
        #expect(lockTimeout == "\(store.settings.busyTimeoutMilliseconds) ms")
        // The test settings ask for `synchronous: normal`, which a server session turns into an asynchronous commit.
        #expect(try setting("synchronous_commit", in: store.database) == "off")
        var durable = store.settings
        durable.synchronous = .full
        #expect(try setting("synchronous_commit", in: Database.open(settings: durable, access: .readWrite)) == "on")
        #expect(try setting("transaction_read_only", in: store.database) == "off")
    }

    /// The follower reads finished transactions in the order of their ids as numbers: `9` before `10`, the
    /// order its place is compared in, so nothing is read twice or skipped where transaction ids gain a digit
    /// (seen on a fresh server, whose ids pass 1000 early).
    @Test func theFollowerOrdersTransactionsAsNumbersNotAsText() throws {
        let db = store.database
        for (id, transaction) in [(1, "8"), (2, "10"), (3, "9"), (4, "100")] {
            try db.execute(
                "INSERT INTO events (id, at, kind, payload, operator, tx) VALUES (?, 'now', 'Note', '{}', 'x', "
                    + "CAST(? AS xid8))", id, transaction)
        }
        guard case .byTransaction(let order) = db.features.commitOrder else {
            Issue.record("a server orders events by transaction")
            return
        }
        let following = EventFollower.queries(order).following
        let read = try db.query(following, 0, "8", 1, 10) { $0.int64(0) }
        #expect(read == [3, 2, 4])
        #expect(try db.query(following, 0, "9", 3, 10) { $0.int64(0) } == [2, 4])
    }

    @Test func aReadOnlySessionCannotWriteEvenBySQL() throws {
        let monitor = try store.openAnotherConnection(access: .readOnly)
        #expect(try setting("default_transaction_read_only", in: monitor) == "on")
        let before = try store.contents()
        do {
            try monitor.execute("INSERT INTO products (sku) VALUES ('SNEAKED-IN')")
            Issue.record("a read-only session wrote")
        } catch let error as DatabaseError {
            #expect(error.description.contains("read-only"), "\(error.description)")
        }
        do {
            _ = try MessageBus(database: monitor, clock: store.settings.clock, log: { _ in })
                .handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 5)))
            Issue.record("a command went through a read-only session")
        } catch let error as DatabaseError {
            #expect(error.description.contains("read-only"), "\(error.description)")
        }
        #expect(try store.contents() == before)
    }

    /// A commit whose notification never came (here: the trigger that sends it switched off) is still seen, by the
    /// poll of the newest event id every few seconds.
    @Test func aMissedNotificationIsCaughtByThePoll() throws {
        let watcher = try store.openAnotherConnection(access: .readOnly)
        #expect(try watcher.changedSinceLastCheck() == false)
        let writer = try store.openAnotherConnection()
        try writer.execute("ALTER TABLE events DISABLE TRIGGER events_announce")
        try MessageBus(database: writer, clock: store.settings.clock, log: { _ in })
            .handle(.createBatch(CreateBatch(ref: "b1", sku: "LAMP", qty: 5)))
        #expect(try watcher.changedSinceLastCheck() == false, "no notification came")
        let deadline = monotonicNow() + ServerWatch.pollSeconds + 2
        var seen = false
        while !seen, monotonicNow() < deadline {
            usleep(50_000)
            seen = try watcher.changedSinceLastCheck()
        }
        #expect(seen)
        #expect(try watcher.changedSinceLastCheck() == false)
    }

    @Test func theSchemaVersionIsTheSharedOneInASingleRow() throws {
        #expect(try store.database.schemaVersion == Schema.currentVersion)
        #expect(try store.database.queryOne("SELECT count(*) FROM stock_schema") { $0.int(0) } == 1)
        do {
            try store.database.execute("INSERT INTO stock_schema (version) VALUES (7)")
            Issue.record("a second version row was accepted")
        } catch let error as DatabaseError {
            #expect(error.kind == .uniqueViolation || error.kind == .constraintViolation)
        }
    }
}
