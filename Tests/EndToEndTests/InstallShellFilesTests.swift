import Foundation
import TestSupport
import Testing

@testable import stock

/// `stock install` also writes the completion scripts and the manual page where the shells and `man` look, each
/// replaced whole by an upgrade, and never anything else.
@Suite struct InstallShellFilesTests {
    let folder: TemporaryFolder
    var prefix: String { folder.path + "/prefix" }

    init() throws {
        folder = try TemporaryFolder()
    }

    /// `PATH` with the prefix's `bin` first, as README asks, and nothing of the test run's `STOCK_*`, `MANPATH`
    /// or `XDG_DATA_HOME`.
    var environment: [String: String] {
        var environment = StockProcess.environment(["HOME": folder.path + "/home"])
        environment["PATH"] = prefix + "/bin:/usr/bin:/bin"
        environment["MANPATH"] = nil
        environment["XDG_DATA_HOME"] = nil
        return environment
    }

    func install() throws -> ProcessResult {
        try runProcess(StockProcess.executable, ["install", "--prefix", prefix], environment: environment)
    }

    static let files = [
        "share/bash-completion/completions/stock", "share/zsh/site-functions/_stock",
        "share/fish/vendor_completions.d/stock.fish", "share/man/man1/stock.1",
    ]

    @Test func theScriptsAndThePageAreInstalledAndUpgraded() throws {
        let first = try install()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(
            first.stdout.contains(
                "installed the completions for bash, zsh and fish in \(prefix)/share: "
                    + "bash-completion/completions/stock, zsh/site-functions/_stock, "
                    + "fish/vendor_completions.d/stock.fish\n"), "\(first.stdout)")
        #expect(first.stdout.contains("installed the manual page as \(prefix)/share/man/man1/stock.1 (man stock)\n"))
        let expected = [
            try StockProcess.run(["completions", "bash"]).stdout, try StockProcess.run(["completions", "zsh"]).stdout,
            try StockProcess.run(["completions", "fish"]).stdout, try StockProcess.run(["help", "--man"]).stdout,
        ]
        for (file, contents) in zip(Self.files, expected) {
            #expect(try String(contentsOfFile: prefix + "/" + file, encoding: .utf8) == contents, "\(file)")
            #expect(try mode(prefix + "/" + file) == 0o644, "\(file)")
        }
        // An upgrade replaces each whole: an edited copy goes, and nothing is left beside them.
        try "edited".write(toFile: prefix + "/" + Self.files[3], atomically: true, encoding: .utf8)
        #expect(try install().status == 0)
        #expect(try String(contentsOfFile: prefix + "/" + Self.files[3], encoding: .utf8) == expected[3])
        for file in Self.files {
            let folder = URL(fileURLWithPath: prefix + "/" + file).deletingLastPathComponent().path
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == 1, "\(folder)")
        }
    }

    /// `man stock` finds the page through `PATH` alone (man-db looks in `../share/man` beside each `bin`).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/man"), "man (man-db) is not installed"))
    func manFindsThePageThroughPath() throws {
        #expect(try install().status == 0)
        let found = try runProcess("/usr/bin/man", ["-w", "stock"], environment: environment)
        #expect(found.stdout == prefix + "/share/man/man1/stock.1\n", "\(found.stderr)")
    }

    /// bash-completion loads the script on demand from `$XDG_DATA_HOME/bash-completion/completions`, which is
    /// `PREFIX/share/...` for `PREFIX=$HOME/.local`, and from `/usr/local/share/...` through `XDG_DATA_DIRS`.
    @Test(
        .enabled(
            if: FileManager.default.fileExists(atPath: "/usr/share/bash-completion/bash_completion"),
            "bash-completion is not installed"))
    func bashCompletionLoadsTheInstalledScript() throws {
        #expect(try install().status == 0)
        var environment = self.environment
        environment["XDG_DATA_DIRS"] = prefix + "/share:/usr/share"
        let result = try runProcess(
            "/bin/bash",
            [
                "--norc", "-c",
                "source /usr/share/bash-completion/bash_completion; __load_completion stock; complete -p stock",
            ],
            environment: environment)
        #expect(result.stdout == "complete -F _stock stock\n", "\(result.stderr)")
    }

    /// A folder where a script or the page goes is refused before anything changes.
    @Test func aFolderInTheWayIsRefusedWithNothingChanged() throws {
        try FileManager.default.createDirectory(
            atPath: prefix + "/share/man/man1/stock.1", withIntermediateDirectories: true)
        let refused = try install()
        #expect(refused.status == 2)
        #expect(
            refused.stderr.hasPrefix(
                "cannot install the manual page as \(prefix)/share/man/man1/stock.1: a folder is there; move it away"),
            "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin/stock"))
        #expect(!FileManager.default.fileExists(atPath: prefix + "/share/stock"))
        #expect(!FileManager.default.fileExists(atPath: prefix + "/share/bash-completion"))
    }

    func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int) ?? -1
    }
}
