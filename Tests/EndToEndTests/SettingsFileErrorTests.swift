import Foundation
import TestSupport
import Testing

/// A settings file that cannot be read is named with the reason, exit 2, and no database is opened.
@Suite struct SettingsFileErrorTests {
    @Test func aMissingSettingsFileSaysThereIsNoSuchFile() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("nope.json").path
        let result = try StockProcess.run(["--settings", path, "batches"])
        #expect(result.status == 2)
        #expect(result.stderr == "cannot read settings file \(path): no such file\n", "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func aFolderGivenAsTheSettingsFileSaysItIsAFolder() throws {
        let folder = try TemporaryFolder()
        for arguments in [["--settings", folder.path, "batches"], ["--settings", folder.path + "/", "batches"]] {
            let result = try StockProcess.run(arguments)
            #expect(result.status == 2)
            #expect(result.stderr == "cannot read settings file \(arguments[1]): it is a folder\n", "\(result.stderr)")
        }
        let viaVariable = try StockProcess.run(["batches"], environment: ["STOCK_SETTINGS": folder.path])
        #expect(viaVariable.status == 2)
        #expect(viaVariable.stderr == "cannot read settings file \(folder.path): it is a folder\n")
    }

    @Test func aPathThroughAFileSaysAPartOfItIsNotAFolder() throws {
        let folder = try TemporaryFolder()
        let file = folder.appendingPathComponent("plain.txt").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let result = try StockProcess.run(["--settings", file + "/settings.json", "batches"])
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix(": a part of the path is not a folder\n"), "\(result.stderr)")
    }

    /// Root reads any file whatever its mode, so as root the refused read is made by `nobody` (through `setpriv`,
    /// with the binary staged where that user can reach it).
    @Test(
        .enabled(
            if: getuid() != 0 || OtherUser.canReachTemporaryFolder,
            "as root, another user must be able to enter the temporary folder's parents"))
    func anUnreadableSettingsFileSaysPermissionDenied() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("private.json").path
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o000)
        let result: ProcessResult
        if getuid() == 0 {
            let staged = try OtherUser.stage([:], in: folder)
            chmod(folder.path, 0o755)
            result = try runProcess(
                "/usr/bin/setpriv",
                [
                    "--reuid=nobody", "--regid=nogroup", "--clear-groups", staged.executable, "--settings", path,
                    "batches",
                ],
                environment: StockProcess.environment([:]))
        } else {
            result = try StockProcess.run(["--settings", path, "batches"])
        }
        #expect(result.status == 2)
        #expect(result.stderr == "cannot read settings file \(path): permission denied\n", "\(result.stderr)")
    }
}
