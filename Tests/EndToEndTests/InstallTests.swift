import Foundation
import TestSupport
import Testing

/// `stock` installed as README says, outside the checkout: the binary in `PREFIX/bin`, the assets in
/// `PREFIX/share/stock/assets`; and a failed `init` that leaves nothing behind.
///
/// The built binary is copied out of `.build`, so the rule that finds the checkout it was built in does not apply
/// to the copy: only what is beside it (or `$STOCK_ASSETS`) can give it the demo data.
@Suite struct InstallTests {
    let folder: TemporaryFolder
    let prefix: String

    init() throws {
        folder = try TemporaryFolder()
        prefix = folder.path + "/prefix"
        try FileManager.default.createDirectory(atPath: prefix + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: StockProcess.executable, toPath: prefix + "/bin/stock")
    }

    func installAssets() throws {
        try FileManager.default.createDirectory(atPath: prefix + "/share/stock", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: repositoryRoot + "/assets", toPath: prefix + "/share/stock/assets")
    }

    /// Runs `stock ARGUMENTS` from the folder `/`, with no `STOCK_*` variable but `variables`.
    func run(_ executable: String, _ arguments: [String], _ variables: [String: String] = [:]) throws -> ProcessResult {
        let words = ([executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try runProcess(
            "/bin/sh", ["-c", "cd / && exec \(words)"], environment: StockProcess.environment(variables))
    }

    /// Every file and folder under the temporary folder but the installed ones.
    func leftovers() throws -> [String] {
        let all = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
        return all.filter { !$0.hasPrefix("prefix") }.sorted()
    }

    @Test func anInstalledBinaryFindsItsAssetsFromAnyFolderAndThroughALink() throws {
        try installAssets()
        let database = folder.path + "/data/demo.sqlite"
        let made = try run(prefix + "/bin/stock", ["--db", database, "init", "--demo"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.hasPrefix("database ready at \(database) with the demo data set"))
        try FileManager.default.createDirectory(atPath: folder.path + "/links", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: folder.path + "/links/stock", withDestinationPath: prefix + "/bin/stock")
        let linked = try run(folder.path + "/links/stock", ["--db", folder.path + "/linked.sqlite", "init", "--demo"])
        #expect(linked.status == 0, "\(linked.stderr)")
    }

    @Test func withoutAssetsInitDemoNamesWhereItLookedAndLeavesNoFile() throws {
        let database = folder.path + "/new/deeper/demo.sqlite"
        let result = try run(prefix + "/bin/stock", ["--db", database, "init", "--demo"])
        #expect(result.status == 2)
        let message = result.stderr
        #expect(
            message.hasPrefix("cannot find stock's assets (demo/demo.jsonl); looked in \(prefix)/share/stock/assets"))
        #expect(message.contains("STOCK_ASSETS"), "\(message)")
        #expect(!message.contains(repositoryRoot), "the copy does not use the checkout: \(message)")
        #expect(try leftovers() == [])
    }

    @Test func aStockAssetsWithoutTheDemoIsNamed() throws {
        let result = try run(
            prefix + "/bin/stock", ["--db", folder.path + "/demo.sqlite", "init", "--demo"],
            ["STOCK_ASSETS": folder.path + "/nowhere"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("cannot find demo/demo.jsonl in $STOCK_ASSETS (\(folder.path)/nowhere)"))
        #expect(try leftovers() == [])
    }

    /// A demo file that fails half way (its third line repeats a batch) leaves none of the files the database came
    /// with: the database, its `-wal`, `-shm` and `-writers` side files, and the folder made for it.
    @Test func aDemoThatFailsHalfWayLeavesNoFileItMade() throws {
        let assets = folder.path + "/prefix/assets"
        try FileManager.default.createDirectory(atPath: assets + "/demo", withIntermediateDirectories: true)
        try """
        {"command":"CreateBatch","ref":"B-1","sku":"LAMP","qty":5}
        {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":2}
        {"command":"CreateBatch","ref":"B-1","sku":"LAMP","qty":6}

        """.write(toFile: assets + "/demo/demo.jsonl", atomically: true, encoding: .utf8)
        let result = try run(
            prefix + "/bin/stock", ["--db", folder.path + "/made/demo.sqlite", "init", "--demo"],
            ["STOCK_ASSETS": assets])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(assets)/demo/demo.jsonl line 3: batch reference B-1 already exists"))
        #expect(try leftovers() == [])
    }

    /// A failed `init --demo` on a database that was there keeps it and its side files, with what it held.
    @Test func aFailedInitNeverRemovesAFileThatWasThere() throws {
        try installAssets()
        let database = folder.path + "/stock.sqlite"
        #expect(try run(prefix + "/bin/stock", ["--db", database, "init"]).status == 0)
        #expect(try run(prefix + "/bin/stock", ["--db", database, "add-batch", "B-1", "LAMP", "5"]).status == 0)
        let before = try leftovers()
        #expect(before.contains("stock.sqlite-writers"), "\(before)")
        let refused = try run(prefix + "/bin/stock", ["--db", database, "init", "--demo"])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("\(database) already has batches"), "\(refused.stderr)")
        #expect(try leftovers() == before)
        let batches = try run(prefix + "/bin/stock", ["--db", database, "batches", "--json"])
        #expect(batches.stdout.contains(#""reference":"B-1""#), "\(batches.stderr)")
    }

    /// The binary `swift build` made finds the checkout's assets with no variable set.
    @Test func theBuiltBinaryFindsTheCheckoutsAssets() throws {
        let result = try run(StockProcess.executable, ["--db", folder.path + "/demo.sqlite", "init", "--demo"])
        #expect(result.status == 0, "\(result.stderr)")
    }
}
