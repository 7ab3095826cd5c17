import Allocation
import Foundation
import TestSupport
import Testing

/// What the database file looks like to the system: who may read it, and what a refused read or write says.
@Suite struct FileSafetyTests {
    /// The permission bits of `path`.
    func mode(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    @Test func aRawByteOrderMarkInAnApplyStringOrASettingIsRefusedAndNothingStored() throws {
        let fixture = try CommandLineFixture()
        try fixture.stock("add-batch", "b1", "LAMP", "5")
        let before = try fixture.contents()
        let mark = "\u{FEFF}"
        let lines = [
            #"{"command":"CreateBatch","ref":"\#(mark)BOM-REF","sku":"LAMP","qty":5}"#,
            #"{"command":"CreateBatch","ref":"B\#(mark)2","sku":"LAMP","qty":5}"#,
            #"{"command":"Allocate","orderid":"\#(mark)o1","sku":"LAMP","qty":1}"#,
        ]
        let result = try fixture.stock("apply", "-", input: lines.joined(separator: "\n") + "\n")
        #expect(result.status == 2)
        let answers = result.stdout.split(separator: "\n")
        #expect(answers.count == 3)
        #expect(answers.allSatisfy { $0.contains("contains control character U+FEFF") })
        #expect(answers.first?.contains(#"\"\\u{feff}BOM-REF\""#) == true)
        #expect(try fixture.contents() == before)

        let settings = fixture.folder.appendingPathComponent("settings.json").path
        try Data(#"{"notifyAddress":"\#(mark)ops@example.com"}"#.utf8).write(to: URL(fileURLWithPath: settings))
        let refused = try StockProcess.run([
            "--settings", settings, "--db", fixture.path, "add-batch", "b2", "LAMP", "5",
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(#"notifyAddress "\u{feff}ops@example.com" contains control character U+FEFF"#))
        #expect(try fixture.contents() == before)
    }

    @Test(.sqliteOnly) func aNewDatabaseAndItsSideFilesAreTheOwnersOnlyWhateverTheUmask() throws {
        let fixture = try CommandLineFixture(initialize: false)
        let result = try runProcess(
            "/bin/sh",
            [
                "-c", "umask 000; exec \"$0\" \"$@\"", StockProcess.executable, "--db",
                fixture.path, "init",
            ], environment: StockProcess.environment(fixture.environment))
        #expect(result.status == 0)
        #expect(try mode(fixture.path) == 0o600)
        // SQLite removes the side files when the last connection closes: this one keeps them while stock writes.
        let reader = try Database(path: fixture.path, access: .readOnly)
        try fixture.stock("add-batch", "b1", "LAMP", "5")
        #expect(try reader.queryOne("SELECT count(*) FROM batches") { $0.int(0) } == 1)
        for file in [fixture.path, fixture.path + "-wal", fixture.path + "-shm"] {
            #expect(try mode(file) == 0o600, "\(file)")
        }
    }

    @Test(.sqliteOnly) func theGroupSettingSharesANewDatabaseWithThatGroup() throws {
        let fixture = try CommandLineFixture(initialize: false)
        let group = try #require(getgrgid(65534)).pointee
        let name = String(cString: try #require(group.gr_name))
        let result = try StockProcess.run(
            ["--db", fixture.path, "init"], environment: fixture.environment.merging(["STOCK_GROUP": name]) { $1 })
        #expect(result.status == 0)
        try fixture.stock("add-batch", "b1", "LAMP", "5")
        #expect(try mode(fixture.path) == 0o660)
        let owner = try #require(FileManager.default.attributesOfItem(atPath: fixture.path)[.groupOwnerAccountName])
        #expect(owner as? String == name)

        let missing = try StockProcess.run(
            ["--db", fixture.path + "2", "init"], environment: ["STOCK_GROUP": "no-such-group-here"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("there is no group named no-such-group-here"))
    }

    /// Runs as `nobody`, who cannot enter a private checkout (what `mktemp -d` makes, and root's home): the binary
    /// and the settings it reads are staged beside the database, in the temporary folder that user can reach.
    @Test(
        .sqliteOnly,
        .enabled(if: OtherUser.canReachTemporaryFolder, "another user cannot enter the temporary folder's parents"))
    func aReadInAReadOnlyFolderSaysWhatIsWrongAndWhatToDo() throws {
        let setpriv = "/usr/bin/setpriv"
        try #require(FileManager.default.isExecutableFile(atPath: setpriv), "setpriv runs stock as another user")
        let fixture = try CommandLineFixture()
        try fixture.stock("add-batch", "b1", "LAMP", "5")
        let staged = try OtherUser.stage(fixture.environment, in: fixture.folder)
        // Another user may enter the folder and read the file, but not write beside it.
        chmod(fixture.folder.path, 0o755)
        chmod(fixture.path, 0o644)
        for arguments in [["batches"], ["events"]] {
            let result = try runProcess(
                setpriv,
                ["--reuid=nobody", "--regid=nogroup", "--clear-groups", staged.executable, "--db", fixture.path]
                    + arguments, environment: StockProcess.environment(staged.environment))
            #expect(result.status == 3, "\(result.stderr)")
            #expect(result.stderr.contains("its folder \(fixture.folder.path) is read-only to this user"))
            #expect(result.stderr.contains("copy the database"))
            #expect(result.stderr.contains("ask for write permission on the folder"))
        }
    }

    /// The limit is set by a plain shell that leaves SIGXFSZ at its default, as a user's shell does: stock itself
    /// must ignore the signal to report the failure instead of being killed by it.
    @Test(.sqliteOnly) func aWritePastTheFileSizeLimitSaysFileTooLargeAndAppliesNothing() throws {
        let fixture = try CommandLineFixture()
        let filler = String(repeating: "x", count: 100)
        let lines = (1...300).map { #"{"command":"CreateBatch","ref":"R\#($0)-\#(filler)","sku":"S","qty":5}"# }
        let input = fixture.folder.appendingPathComponent("big.jsonl").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: input))
        let result = try runProcess(
            "/bin/bash",
            [
                "-c", "ulimit -f 100; exec \"$0\" \"$@\"", StockProcess.executable, "--db", fixture.path, "apply",
                input,
            ], environment: StockProcess.environment(fixture.environment))
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("file too large: \(fixture.path) reached this process's file-size limit"))
        let answers = result.stdout.split(separator: "\n")
        let failed = try #require(answers.last)
        #expect(failed.contains("file too large"))
        let committed = answers.count - 1
        #expect(committed > 0)
        #expect(result.stderr.contains("committed through line \(committed); re-run with --from-row \(committed + 1)"))
        // Every answered line is stored, the failed one not at all.
        let stored = try fixture.contents()["batches"]?.count
        #expect(stored == committed)
        let check = try Database(path: fixture.path, access: .readOnly)
        #expect(try check.queryOne("PRAGMA integrity_check") { $0.optionalText(0) } == "ok")
        #expect(try check.queryOne("SELECT count(*) FROM events") { $0.int(0) } == stored)
        let references = try check.query("SELECT reference FROM batches ORDER BY id") { $0.text(0) }
        #expect(references == (1...committed).map { "R\($0)-\(filler)" })
    }
}

/// What a test needs to run `stock` as another user, who may not enter the checkout or the build folder.
enum OtherUser {
    /// Whether every folder above the temporary folder lets others pass (the `x` bit for others), so a file
    /// staged in a test's temporary folder is reachable by another user.
    static let canReachTemporaryFolder: Bool = {
        var folder = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        while true {
            guard
                let mode = (try? FileManager.default.attributesOfItem(atPath: folder.path))?[.posixPermissions] as? Int,
                mode & 0o001 != 0
            else { return false }
            if folder.path == "/" { return true }
            folder.deleteLastPathComponent()
        }
    }()

    /// Copies the `stock` binary and the settings file `environment` names into `folder` (readable by all), and
    /// returns the copy's path and `environment` pointing at the copied settings.
    static func stage(_ environment: [String: String], in folder: TemporaryFolder) throws
        -> (executable: String, environment: [String: String])
    {
        let executable = folder.appendingPathComponent("stock").path
        try FileManager.default.copyItem(atPath: StockProcess.executable, toPath: executable)
        chmod(executable, 0o755)
        var staged = environment
        if let settings = environment["STOCK_SETTINGS"] {
            let copy = folder.appendingPathComponent("settings.json").path
            try FileManager.default.copyItem(atPath: settings, toPath: copy)
            chmod(copy, 0o644)
            staged["STOCK_SETTINGS"] = copy
        }
        return (executable, staged)
    }
}
