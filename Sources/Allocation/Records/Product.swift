/// A SKU with the batches a command loaded and a version number: the unit of consistency.
///
/// Every change to a product bumps `version` by one; saving checks that the row still has the version that was
/// read, so a write based on a stale read is refused rather than applied. `events` collects what the rules
/// decided, for the service to record in the same transaction.
struct Product: Equatable, Sendable {
    let sku: String
    var version: Int
    /// The batches loaded (a command loads only those it may touch), in allocation-preference order.
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

/// A group's later command found its product row held by another transaction (``Database/waitsForRowLocks``):
/// the group commits what it did, releasing its rows, and runs the command again in a new transaction, where it
/// may wait (``CommandGroup/handle(_:)``).
struct RowLockUnavailable: Error, CustomStringConvertible, Equatable, Sendable {
    let sku: String

    var description: String { "product \(sku) is being changed by someone else; nothing was saved" }
}

/// Another transaction changed the product between our read and our write.
public struct ConcurrentUpdate: Error, CustomStringConvertible, Equatable, Sendable {
    public let sku: String
    public let expectedVersion: Int

    public var description: String {
        "product \(sku) was changed by someone else (expected version \(expectedVersion)); nothing was saved"
    }
}

/// What a command loads of the aggregate: the product row (its version) and only the batches it touches or that
/// could take one of its lines, never every batch the SKU ever had, so a command costs the same however much
/// history (emptied and shipped batches) its SKU has.
///
/// The rules in `Logic` run on that subset and decide as they would on the whole aggregate: a line goes to the
/// preferred batch that can take it, and every batch that can take a line of quantity `q` has at least `q`
/// available, so loading the batches with at least the smallest quantity placed (in preference order) loses no
/// choice; the stock a command frees is on batches it loaded. The invariants do not rest on what was loaded:
/// - no batch is allocated beyond what it has on hand: `batches.allocated` is kept by the schema's triggers on
///   `allocations` and refused by its CHECK (`shipped + allocated <= purchased`), whatever a command read;
/// - no write is based on a stale read: every command reads the product row and ends any change with
///   `UPDATE products SET version = ? WHERE sku = ? AND version = ?` (``saveVersion(in:)``), so two commands on a
///   SKU conflict on that row even when they read disjoint batches, and a write whose read was stale changes no
///   row and is refused (``ConcurrentUpdate``); with SQLite's write lock taken before the first read, the rows a
///   command reads cannot change under it at all.
extension Product {
    /// The product row alone, with no batch loaded: its version, for a command that then loads what it needs.
    ///
    /// Inside a write transaction on a server the row is locked (`FOR UPDATE`) until the transaction ends: two
    /// commands on one SKU then take turns at this read instead of both working and one being refused by the
    /// version check; commands on other SKUs never wait for it. A command reads the lines and batches it decides
    /// on only after this lock: at `read committed` each later statement sees what the previous holder committed,
    /// whereas a row read before the wait would be acted on as it was then.
    ///
    /// When ``Database/waitsForRowLocks`` is false (a group's later command, holding the rows of earlier ones) the
    /// row is taken `NOWAIT`.
    ///
    /// - Throws: ``RowLockUnavailable`` when the row is taken `NOWAIT` and another transaction holds it (the
    ///   engine answers busy at once).
    static func loadVersion(sku: String, in db: Database) throws -> Product? {
        let sql = !db.isInTransaction ? loadVersionSQL : db.waitsForRowLocks ? lockVersionSQL : lockNowVersionSQL
        do {
            return try db.queryOne(sql, sku) { Product(sku: sku, version: $0.int(0)) }
        } catch let error as DatabaseError where sql === lockNowVersionSQL && error.isBusy {
            throw RowLockUnavailable(sku: sku)
        }
    }

    private static let loadVersionSQL = SQL("SELECT version FROM products WHERE sku = ?")
    private static let lockVersionSQL = SQL("SELECT version FROM products WHERE sku = ?", locking: .wait)
    private static let lockNowVersionSQL = SQL("SELECT version FROM products WHERE sku = ?", locking: .now)

    /// The product that holds the batch `reference`, with that batch alone loaded; nil when there is none.
    ///
    /// The batch's SKU (which never changes) is looked up first, then the product row is locked
    /// (``loadVersion(sku:in:)``), and only then is the batch read: its quantities are those of the last command
    /// that held the row, not those from before a wait for it.
    static func loadVersion(batchReference reference: String, in db: Database) throws -> Product? {
        guard let sku = try db.queryOne(skuOfBatchSQL, reference, map: { $0.text(0) }),
            var product = try loadVersion(sku: sku, in: db),
            let batch = try Batch.find(reference: reference, in: db)
        else { return nil }
        try product.include([batch])
        return product
    }

    private static let skuOfBatchSQL = SQL("SELECT sku FROM batches WHERE reference = ?")

    /// Loads the batches that could take any of `lines` (those with at least the smallest quantity available),
    /// at most `limit` of them in preference order; reads nothing when there is no line.
    mutating func includeCandidates(for lines: [OrderLine], limit: Int? = nil, in db: Database) throws {
        guard let smallest = lines.map(\.qty).min() else { return }
        try include(try Batch.candidates(sku: sku, available: smallest, limit: limit, in: db))
    }

    /// Adds loaded batches to the ones this command holds, keeping the held copy of a batch loaded twice (it may
    /// carry this command's changes), in allocation-preference order.
    ///
    /// - Throws: `ContractViolation` when a batch is for another SKU.
    mutating func include(_ loaded: [Batch]) throws {
        try require(loaded.allSatisfy { $0.sku == sku }, "a batch loaded for \(sku) is for another SKU")
        let new = loaded.filter { batch in !batches.contains { $0.reference == batch.reference } }
        guard !new.isEmpty else { return }
        batches += new
        batches.sort(by: isPreferred)
    }

    /// Reads the whole aggregate: the product and every batch of the SKU, emptied ones too. For the read views,
    /// outside the write lock; commands load only what they need (``loadVersion(sku:in:)``).
    static func load(sku: String, in db: Database) throws -> Product? {
        guard var product = try loadVersion(sku: sku, in: db) else { return nil }
        product.batches = try Batch.forSKU(sku, in: db)
        return product
    }

    /// The whole aggregate that holds the batch `reference`, as ``load(sku:in:)``.
    static func load(batchReference reference: String, in db: Database) throws -> Product? {
        guard let sku = try db.queryOne(skuOfBatchSQL, reference, map: { $0.text(0) }) else { return nil }
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
        try db.execute(Product.saveVersionSQL, version, sku, readVersion)
        guard db.changes == 1 else { throw ConcurrentUpdate(sku: sku, expectedVersion: readVersion) }
    }

    private static let saveVersionSQL = SQL("UPDATE products SET version = ? WHERE sku = ? AND version = ?")
}
