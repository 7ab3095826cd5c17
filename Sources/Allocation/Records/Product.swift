/// A SKU with its batches and a version number: the unit of consistency.
///
/// Every change to a product bumps `version` by one; saving checks that the row still has the version that was
/// read, so a write based on a stale read is refused rather than applied. `events` collects what the rules
/// decided, for the service to record in the same transaction.
struct Product: Equatable, Sendable {
    let sku: String
    var version: Int
    /// Batches in allocation-preference order.
    var batches: [Batch]
    var events: [Event] = []
    /// The version the product was read at; a command's changes make it this plus one, however many there are.
    let readVersion: Int

    init(sku: String, version: Int = 0, batches: [Batch] = []) {
        self.sku = sku
        self.version = version
        self.batches = batches
        readVersion = version
    }

    /// Marks the product changed: its version becomes one more than it was read at.
    mutating func bumpVersion() {
        version = readVersion + 1
    }
}

/// Another transaction changed the product between our read and our write.
public struct ConcurrentUpdate: Error, CustomStringConvertible, Equatable, Sendable {
    public let sku: String
    public let expectedVersion: Int

    public var description: String {
        "product \(sku) was changed by someone else (expected version \(expectedVersion)); nothing was saved"
    }
}

extension Product {
    /// Reads the product and its batches with their allocated quantities, through the SKU's indexes only.
    static func load(sku: String, in db: Database) throws -> Product? {
        guard let version = try db.queryOne("SELECT version FROM products WHERE sku = ?", sku, map: { $0.int(0) })
        else { return nil }
        return Product(sku: sku, version: version, batches: try Batch.forSKU(sku, in: db))
    }

    /// The product that holds the batch `reference`.
    static func load(batchReference reference: String, in db: Database) throws -> Product? {
        guard let sku = try db.queryOne("SELECT sku FROM batches WHERE reference = ?", reference, map: { $0.text(0) })
        else { return nil }
        return try load(sku: sku, in: db)
    }

    /// Inserts the row of a product that was not there when it was read, at the version it was read at.
    ///
    /// - Throws: ``ConcurrentUpdate`` when another transaction inserted the SKU since: a server engine lets two
    ///   transactions read "no such product" at once; SQLite's write lock, taken before the read, does not.
    func insert(into db: Database) throws {
        try db.execute("INSERT INTO products (sku, version) VALUES (?, ?) ON CONFLICT DO NOTHING", sku, version)
        guard db.changes == 1 else { throw ConcurrentUpdate(sku: sku, expectedVersion: version) }
    }

    /// Saves the new version, refusing the write if the row no longer has the version this product was read at.
    ///
    /// - Throws: ``ConcurrentUpdate`` when `UPDATE … WHERE version = ?` changed no row.
    func saveVersion(in db: Database) throws {
        try db.execute(
            "UPDATE products SET version = ? WHERE sku = ? AND version = ?", version, sku, readVersion)
        guard db.changes == 1 else { throw ConcurrentUpdate(sku: sku, expectedVersion: readVersion) }
    }
}
