import Allocation
import Testing

extension TestDatabase {
    /// Another connection holding the lock a write to `sku` needs, without taking a turn among stock's writers:
    /// on SQLite the file's write lock (`BEGIN IMMEDIATE`, as the `sqlite3` shell takes it); on a server the row
    /// of the product `sku` (`SELECT … FOR UPDATE`), which every command on the SKU locks first. The product must
    /// exist. The caller ends the holder's transaction (`COMMIT` or `ROLLBACK`), or closes the connection.
    public func holdingTheWriteLock(on sku: String) throws -> Database {
        guard TestEngine.isPostgres else {
            let other = try Database(path: path)
            try other.execute("BEGIN IMMEDIATE")
            return other
        }
        let other = try openAnotherConnection()
        try other.execute("BEGIN")
        try #require(
            try other.queryOne("SELECT version FROM products WHERE sku = ? FOR UPDATE", sku) { $0.int(0) } != nil)
        return other
    }
}
