import Allocation
import Foundation

/// A fresh database (a SQLite file, or a schema on the test server: ``TestEngine``) in its own temporary folder,
/// migrated, with a bus wired as production wires it but with
/// the test settings (`assets/settings/test.json`) and a file notifier whose lines tests can read.
public final class TestDatabase {
    public let folder: TemporaryFolder
    public let location: TestDatabaseLocation
    public var path: String { location.path }
    public let database: Database
    public let settings: Settings
    public let notificationsPath: String
    public private(set) var handlerFailures: [String] = []

    public init() throws {
        folder = try TemporaryFolder()
        location = try TestDatabaseLocation(in: folder)
        let path = location.path
        notificationsPath = folder.appendingPathComponent("notifications.log").path
        var settings = try testSettings(database: path)
        settings.notifier = .file(path: notificationsPath)
        self.settings = settings
        database = try Database.open(settings: settings, access: .create)
    }

    /// The production bus over this file; handler failures are collected in ``handlerFailures``.
    /// The production bus over this database; `splitLines` chooses the placement policy (the settings' default
    /// when nil).
    public func makeBus(splitLines: SplitLines? = nil) -> MessageBus {
        var settings = settings
        if let splitLines { settings.splitLines = splitLines }
        return MessageBus.standard(database: database, settings: settings) { [weak self] in
            self?.handlerFailures.append($0)
        }
    }

    /// A second connection to the same file, as another process would have.
    public func openAnotherConnection(access: Database.Access = .readWrite) throws -> Database {
        try Database.open(settings: settings, access: access)
    }

    /// The newest event, read the way the console's event log reads it.
    public func latestEvent() throws -> EventRow? {
        try Views.events(from: Int64.max, newer: false, limit: 1, in: database).first
    }

    /// The order lines whose order id or SKU contains `filter` (the ``Search`` rule), newest first, as `orderid sku qty batch` (`waiting` or
    /// `shipped from BATCH` instead of the batch), read the way the console's allocations screen reads them.
    public func lines(matching filter: String) throws -> [String] {
        try Views.lines(matching: filter, from: Int64.max, newer: false, limit: 100, in: database).map {
            switch $0.status {
            case .allocated(let batchref): "\($0.orderid) \($0.sku) \($0.qty) \(batchref)"
            case .waiting: "\($0.orderid) \($0.sku) \($0.qty) waiting"
            case .shipped(_, let from): "\($0.orderid) \($0.sku) \($0.qty) shipped from \(from)"
            case .cancelled: "\($0.orderid) \($0.sku) \($0.qty) cancelled"
            }
        }
    }

    /// The lines the notifier wrote, e.g. `to stock@made.com: Out of stock for LAMP`.
    public var notifications: [String] {
        guard let text = try? String(contentsOfFile: notificationsPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Every row of every table, as text, to check that a refused command changed nothing.
    public func contents() throws -> [String: [String]] {
        try Self.contents(of: database)
    }

    public static func contents(of database: Database) throws -> [String: [String]] {
        var tables: [String: [String]] = [:]
        // Every table's first column is its primary key, or begins it (an allocation's is its line and batch), so
        // rows sorted by their first two columns come in one order. A server's event row also holds the id of the
        // transaction that wrote it, which says nothing about the data.
        let columns = [
            "products": "*", "batches": "*", "order_lines": "*", "allocations": "*",
            "events": "id, at, kind, payload, operator, orderid, ref",
        ]
        for (table, selected) in columns {
            tables[table] = try database.query("SELECT \(selected) FROM \(table) ORDER BY 1, 2") { row in
                (0..<row.columnCount).map { row.optionalText($0) ?? "NULL" }.joined(separator: "|")
            }
        }
        return tables
    }

    /// Checks the invariant the rules rely on: no batch has more allocated than purchased.
    public func overAllocatedBatches() throws -> [String] {
        try Views.batches(in: database).filter { $0.allocated > $0.purchased }.map(\.reference)
    }

    /// Batches whose `allocated` column differs from the sum of the quantities of the allocations on them (the
    /// triggers' job).
    public func miscountedBatches() throws -> [String] {
        try Self.miscountedBatches(in: database)
    }

    public static func miscountedBatches(in database: Database) throws -> [String] {
        try database.query(
            """
            SELECT b.reference FROM batches AS b
            WHERE b.allocated != (SELECT coalesce(sum(a.qty), 0) FROM allocations AS a WHERE a.batch_id = b.id)
            """
        ) { $0.text(0) }
    }
}

/// The test settings (`assets/settings/test.json`) with the database at `path`.
public func testSettings(database path: String) throws -> Settings {
    var settings = try Settings.load(file: repositoryRoot + "/assets/settings/test.json")
    settings.database = path
    return settings
}

/// The checkout this test target was built from.
public let repositoryRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
}()

/// A fresh folder under the temporary directory, removed with everything in it when the object goes away.
public final class TemporaryFolder: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("stock-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    public func appendingPathComponent(_ name: String) -> URL {
        url.appendingPathComponent(name)
    }
}
