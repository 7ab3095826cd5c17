import Foundation
import TestSupport
import Testing

/// Installing and upgrading as README's Install section says never touches a warehouse's data: the install lines
/// are read from README itself, run into a temporary home or root, and run again as the upgrade.
///
/// The one part of README's lines not run is the release build (`swift run -c release`, `swift build -c
/// release`): the tests run the debug binary they were built with, which is the same program.
@Suite(.sqliteOnly) struct UpgradeTests {
    let folder: TemporaryFolder
    let home: String

    init() throws {
        folder = try TemporaryFolder()
        home = folder.path + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    }

    /// The words after `stock` in README's install line under `marker`, with `/usr/local` moved under `root`.
    ///
    /// The line must be one of the two shapes README uses, so a change there fails here rather than going
    /// untested.
    static func readmeInstallArguments(_ marker: String, root: String = "") throws -> [String] {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let after = try #require(readme.range(of: "<!-- \(marker) -->\n```sh\n"), "README has no \(marker) block")
        let line = String(readme[after.upperBound...].prefix { $0 != "\n" })
        let builds = ["swift run -c release stock ", "swift build -c release && sudo .build/release/stock "]
        let build = try #require(builds.first { line.hasPrefix($0) }, "README's \(marker) line is \(line)")
        return line.dropFirst(build.count).split(separator: " ").map { word in
            word.hasPrefix("/usr/local") ? root + word : String(word)
        }
    }

    /// The environment of a user whose home is `home`: no `STOCK_*` or `XDG_DATA_HOME`, so every default applies.
    func userEnvironment(bin: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter {
            !$0.key.hasPrefix("STOCK_") && $0.key != "XDG_DATA_HOME"
        }
        environment["HOME"] = home
        environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        return environment
    }

    /// Runs `executable ARGUMENTS` from the folder `/` as that user.
    func run(_ executable: String, _ arguments: [String], bin: String) throws -> ProcessResult {
        let words = ([executable] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try runProcess("/bin/sh", ["-c", "cd / && exec \(words)"], environment: userEnvironment(bin: bin))
    }

    var dataFolder: String { home + "/.local/share/stock" }

    /// Makes the default database with a batch and an allocation, and the demo database where `stock demo` keeps
    /// it, with the installed `stock`.
    func makeTheWarehouseAndTheDemo(with stock: String, bin: String, assets: String? = nil) throws {
        for arguments in [["init"], ["add-batch", "B-1", "LAMP", "100"], ["allocate", "ORD-1", "LAMP", "10"]] {
            let result = try run(stock, arguments, bin: bin)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let demoArguments = ["--db", dataFolder + "/demo.sqlite", "init", "--demo"]
        let demo =
            if let assets {
                try runProcess(
                    stock, demoArguments,
                    environment: userEnvironment(bin: bin).merging(["STOCK_ASSETS": assets]) { $1 })
            } else {
                try run(stock, demoArguments, bin: bin)
            }
        #expect(demo.status == 0, "\(demo.stderr)")
    }

    /// What both databases hold, read through the installed `stock`.
    func holdings(with stock: String, bin: String) throws -> [String] {
        let warehouse = try run(stock, ["batches", "--json"], bin: bin)
        let order = try run(stock, ["allocations", "ORD-1", "--json"], bin: bin)
        let demo = try run(stock, ["--db", dataFolder + "/demo.sqlite", "batches", "--json"], bin: bin)
        for result in [warehouse, order, demo] { #expect(result.status == 0, "\(result.stderr)") }
        return [warehouse.stdout, order.stdout, demo.stdout]
    }

    @Test func readmesInstallForOneUserRunAgainKeepsTheWarehouseAndTheDemo() throws {
        let arguments = try Self.readmeInstallArguments("install-user")
        #expect(arguments == ["install"])
        let bin = home + "/.local/bin"
        let first = try run(StockProcess.executable, arguments, bin: bin)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("installed stock 1.0.0 as \(bin)/stock"), "\(first.stdout)")
        #expect(first.stdout.contains("installed the assets in \(dataFolder)/assets\n"), "\(first.stdout)")
        try makeTheWarehouseAndTheDemo(with: bin + "/stock", bin: bin)
        let before = try holdings(with: bin + "/stock", bin: bin)
        #expect(before[0].contains(#""reference":"B-1","sku":"LAMP""#), "\(before[0])")
        #expect(before[0].contains(#""allocated":10"#), "\(before[0])")
        #expect(before[2].contains(#""reference":"#), "the demo has batches: \(before[2])")

        let upgrade = try run(StockProcess.executable, arguments, bin: bin)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(upgrade.stdout.contains("installed the assets in \(dataFolder)/assets (the previous ones replaced)"))
        #expect(
            upgrade.stdout.contains("kept your databases where they are, in \(dataFolder): demo.sqlite, stock.sqlite"),
            "\(upgrade.stdout)")
        #expect(try holdings(with: bin + "/stock", bin: bin) == before)
        let integrity = try run(bin + "/stock", ["--db", dataFolder + "/stock.sqlite", "events", "--json"], bin: bin)
        #expect(integrity.stdout.split(separator: "\n").count == 2, "created, allocated: \(integrity.stdout)")
        // The upgraded binary still finds its (new) assets from any folder.
        let demoAgain = try run(
            bin + "/stock", ["--db", folder.path + "/other/demo.sqlite", "init", "--demo"], bin: bin)
        #expect(demoAgain.status == 0, "\(demoAgain.stderr)")
    }

    @Test func readmesInstallForEveryUserUnderARootRunAgainKeepsTheData() throws {
        let root = folder.path + "/root"
        let arguments = try Self.readmeInstallArguments("install-system", root: root)
        #expect(arguments == ["install", "--prefix", root + "/usr/local"])
        let bin = root + "/usr/local/bin"
        let first = try run(StockProcess.executable, arguments, bin: bin)
        #expect(first.status == 0, "\(first.stderr)")
        let assets = root + "/usr/local/share/stock/assets"
        // Readable by every user, whatever the checkout's modes or the umask.
        #expect(try mode(bin + "/stock") == 0o755)
        #expect(try mode(assets) == 0o755)
        #expect(try mode(assets + "/demo") == 0o755)
        #expect(try mode(assets + "/demo/demo.jsonl") == 0o644)
        #expect(try mode(assets + "/settings/default.json") == 0o644)
        try makeTheWarehouseAndTheDemo(with: bin + "/stock", bin: bin)
        let before = try holdings(with: bin + "/stock", bin: bin)

        let upgrade = try run(StockProcess.executable, arguments, bin: bin)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(upgrade.stdout.contains("(the previous ones replaced)"), "\(upgrade.stdout)")
        #expect(try holdings(with: bin + "/stock", bin: bin) == before)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/usr/local/share/stock") == ["assets"],
            "the system-wide folder holds the assets alone: the data is in the user's home")
    }

    /// An install made by the lines README gave before `stock install`: the assets copied *as* the data folder,
    /// with the databases among them.
    @Test func theFirstUpgradeOfAnEarlierLayoutKeepsItsDatabasesWhereTheyAre() throws {
        let bin = home + "/.local/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.local/share", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: StockProcess.executable, toPath: bin + "/stock")
        try FileManager.default.copyItem(atPath: repositoryRoot + "/assets", toPath: dataFolder)
        try FileManager.default.removeItem(atPath: dataFolder + "/STOCK-ASSETS.txt")
        // The earlier binary found its assets in PREFIX/share/stock itself.
        try makeTheWarehouseAndTheDemo(with: bin + "/stock", bin: bin, assets: dataFolder)
        let before = try holdings(with: bin + "/stock", bin: bin)

        let upgrade = try run(StockProcess.executable, try Self.readmeInstallArguments("install-user"), bin: bin)
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        #expect(
            upgrade.stdout.contains("kept your databases where they are, in \(dataFolder): demo.sqlite, stock.sqlite"))
        #expect(
            upgrade.stdout.contains(
                "an earlier install's assets are still in \(dataFolder) (demo, samples, settings)"), "\(upgrade.stdout)"
        )
        #expect(try holdings(with: bin + "/stock", bin: bin) == before)
        #expect(FileManager.default.fileExists(atPath: dataFolder + "/assets/demo/demo.jsonl"))
        #expect(
            FileManager.default.fileExists(atPath: dataFolder + "/demo/demo.jsonl"), "nothing it did not ship removed")
    }

    @Test func aDatabaseInsideTheAssetsFolderIsRefusedHoweverItIsNamedAndNothingIsMade() throws {
        let bin = home + "/.local/bin"
        #expect(try run(StockProcess.executable, ["install"], bin: bin).status == 0)
        let assets = dataFolder + "/assets"
        let inside = [assets + "/stock.sqlite", assets + "/demo/new/stock.sqlite", repositoryRoot + "/assets/x.sqlite"]
        for database in inside {
            let viaOption = try run(bin + "/stock", ["--db", database, "init"], bin: bin)
            #expect(viaOption.status == 2, "\(database): \(viaOption.stderr)")
            #expect(viaOption.stderr.hasPrefix("\(database) is inside stock's assets folder "), "\(viaOption.stderr)")
            #expect(viaOption.stderr.contains("which every install or upgrade replaces whole"))
            #expect(!FileManager.default.fileExists(atPath: database))
        }
        #expect(!FileManager.default.fileExists(atPath: assets + "/demo/new"), "no folder made for it")
        let viaVariable = try runProcess(
            bin + "/stock", ["init"], environment: userEnvironment(bin: bin).merging(["STOCK_DB": inside[0]]) { $1 })
        #expect(viaVariable.status == 2, "\(viaVariable.stderr)")
        let settings = folder.path + "/settings.json"
        try Data(#"{"database": "\#(inside[0])"}"#.utf8).write(to: URL(fileURLWithPath: settings))
        let viaSettings = try run(bin + "/stock", ["--settings", settings, "init"], bin: bin)
        #expect(viaSettings.status == 2, "\(viaSettings.stderr)")
        #expect(viaSettings.stderr.hasPrefix("\(inside[0]) is inside stock's assets folder"), "\(viaSettings.stderr)")
        // Through a symbolic link into the folder too.
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link", withDestinationPath: assets)
        let viaLink = try run(bin + "/stock", ["--db", folder.path + "/link/stock.sqlite", "init"], bin: bin)
        #expect(viaLink.status == 2, "\(viaLink.stderr)")
        let export = try run(
            bin + "/stock", ["--db", dataFolder + "/stock.sqlite", "export", "batches", assets + "/b.csv"], bin: bin)
        #expect(export.status == 2, "\(export.stderr)")
        #expect(export.stderr.hasPrefix("\(assets)/b.csv is inside stock's assets folder"), "\(export.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: assets).sorted() == [
                ".installed-files", "STOCK-ASSETS.txt", "demo", "samples", "settings",
            ])
    }

    @Test func anAssetsFolderHoldingAFileNoInstallShippedIsNotReplacedAndNothingChanges() throws {
        let bin = home + "/.local/bin"
        #expect(try run(StockProcess.executable, ["install"], bin: bin).status == 0)
        let assets = dataFolder + "/assets"
        let kept = assets + "/settings/my-site.json"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: kept))
        let binaryBefore = try FileManager.default.attributesOfItem(atPath: bin + "/stock")[.systemFileNumber] as? Int
        let refused = try run(StockProcess.executable, ["install"], bin: bin)
        #expect(refused.status == 2)
        #expect(
            refused.stderr.hasPrefix("cannot replace \(assets): it holds files stock did not ship (\(kept))"),
            "\(refused.stderr)")
        #expect(refused.stderr.contains("Nothing was changed"))
        #expect(FileManager.default.fileExists(atPath: kept))
        let binaryAfter = try FileManager.default.attributesOfItem(atPath: bin + "/stock")[.systemFileNumber] as? Int
        #expect(binaryBefore == binaryAfter, "the binary was not replaced either")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dataFolder).sorted() == ["assets"])
    }

    @Test func installRefusesAnEmptyPrefixAndADataFolderInsideTheAssets() throws {
        let empty = try run(StockProcess.executable, ["install", "--prefix", ""], bin: home + "/bin")
        #expect(empty.status == 2)
        #expect(empty.stderr.hasPrefix("--prefix needs a folder"))
        let prefix = folder.path + "/p"
        var environment = userEnvironment(bin: prefix + "/bin")
        environment["XDG_DATA_HOME"] = prefix + "/share/stock/assets"
        let inside = try runProcess(StockProcess.executable, ["install", "--prefix", prefix], environment: environment)
        #expect(inside.status == 2)
        #expect(inside.stderr.contains("would be inside it, and an upgrade replaces that folder whole"))
        #expect(!FileManager.default.fileExists(atPath: prefix))
    }

    /// A user who may not write under the prefix (`nobody` here, as a user without sudo would be) is told which
    /// folder and why, exit 3, and nothing is made.
    @Test(
        .enabled(if: OtherUser.canReachTemporaryFolder, "another user cannot enter the temporary folder's parents"))
    func anInstallWhereTheUserMayNotWriteSaysWhereAndWhy() throws {
        let staged = try OtherUser.stage([:], in: folder)
        let assets = folder.path + "/assets"
        try FileManager.default.copyItem(atPath: repositoryRoot + "/assets", toPath: assets)
        _ = try runProcess("/bin/chmod", ["-R", "a+rX", folder.path])
        let prefix = folder.path + "/system"
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: false)
        let result = try runProcess(
            "/usr/bin/setpriv",
            ["--reuid=nobody", "--regid=nogroup", "--clear-groups", staged.executable, "install", "--prefix", prefix],
            environment: StockProcess.environment(["STOCK_ASSETS": assets, "HOME": home]))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(
            result.stderr.hasPrefix(
                "cannot make the folder \(prefix)/share: Permission denied (sudo for a system-wide prefix)"),
            "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: prefix) == [])
    }

    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
}
