import Allocation
import Foundation

/// A temporary database file for console tests, filled through the bus like an operator would.
public final class ConsoleDatabase {
    public var path: String { location.path }
    public let database: Database
    public let bus: MessageBus
    private let directory: TemporaryFolder
    private let location: TestDatabaseLocation

    /// Creates an empty, migrated database in a fresh temporary folder.
    public init() throws {
        directory = try TemporaryFolder()
        location = try TestDatabaseLocation(in: directory)
        let path = location.path
        database = try Database.open(settings: testSettings(database: path), access: .create)
        var settings = Settings()
        settings.database = path
        bus = MessageBus.standard(database: database, settings: settings) { _ in }
    }

    /// A small demo-like data set, ETAs relative to `today`: lamps in stock and arriving, a late table, chairs,
    /// a long reference, and wide characters.
    public func fillDemo(today: Day) throws {
        let commands: [Command] = [
            .createBatch(CreateBatch(ref: "B-LAMP-01", sku: "RED-LAMP", qty: 100)),
            .createBatch(CreateBatch(ref: "B-LAMP-02", sku: "RED-LAMP", qty: 50, eta: today.adding(days: 3))),
            .createBatch(CreateBatch(ref: "B-TABLE-77", sku: "OAK-TABLE", qty: 20, eta: today.adding(days: -2))),
            .createBatch(CreateBatch(ref: "B-CHAIR-9", sku: "BLUE-CHAIR", qty: 30, eta: today.adding(days: 14))),
            .createBatch(CreateBatch(ref: "B-東京-箱", sku: "在庫-ランプ", qty: 12)),
            .createBatch(CreateBatch(ref: "B-VERY-LONG-REFERENCE-NUMBER-2026-0001", sku: "SMALL-TABLE", qty: 5)),
            .allocate(Allocate(orderid: "o-1001", sku: "RED-LAMP", qty: 30)),
            .allocate(Allocate(orderid: "o-1002", sku: "OAK-TABLE", qty: 20)),
            .allocate(Allocate(orderid: "o-1003", sku: "BLUE-CHAIR", qty: 10)),
            .allocate(Allocate(orderid: "o-1004", sku: "OAK-TABLE", qty: 5)),
        ]
        for command in commands { try bus.handle(command) }
    }
}

extension Database {
    /// Whether this connection is to a SQLite file, for the checks that only one engine can make.
    public var isSQLite: Bool { features.name == "SQLite" }
}
