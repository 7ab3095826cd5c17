import Foundation
import TestSupport
import Testing

@testable import stock

/// `stock completions bash|zsh|fish`, run in the shells themselves: each script is loaded as a user would load it
/// and asked to complete partial command lines over a database filled through `stock`, on either engine.
@Suite struct ShellCompletionTests {
    let fixture: CommandLineFixture

    init() throws {
        fixture = try CommandLineFixture()
        for arguments in [
            ["add-batch", "B-1", "LAMP", "5"], ["add-batch", "B-2", "TV", "5"],
            ["add-batch", "X-9", "TV", "5", "--eta", "2099-01-01"], ["allocate", "o-1", "TV", "2"],
        ] {
            let result = try fixture.stock(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    /// The installed shell at `path`, or nil: the zsh and fish tests are skipped without it.
    static func shell(_ name: String) -> String? {
        ["/usr/bin/", "/bin/", "/usr/local/bin/"].map { $0 + name }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// `stock` on `PATH` (the one built), the fixture's database in `$STOCK_DB`, the test settings.
    var environment: [String: String] {
        let folder = URL(fileURLWithPath: StockProcess.executable).deletingLastPathComponent().path
        return StockProcess.environment(fixture.environment).merging([
            "PATH": folder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "STOCK_DB": fixture.path,
        ]) { $1 }
    }

    // MARK: bash

    /// What bash's completion function offers for `words`, the last being the word under the cursor, split as
    /// bash splits a line (`--color=n` is `--color`, `=`, `n`).
    func bash(_ words: [String], environment: [String: String]? = nil) throws -> [String] {
        let script = """
            source <(stock completions bash) || exit 9
            COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
            _stock
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try runProcess(
            "/bin/bash", ["-c", script, "bash"] + words, environment: environment ?? self.environment)
        #expect(result.status == 0 && result.stderr.isEmpty, "\(words): \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    @Test func bashRegistersTheFunction() throws {
        let result = try runProcess(
            "/bin/bash", ["-c", "source <(stock completions bash); complete -p stock"], environment: environment)
        #expect(result.stdout == "complete -F _stock stock\n", "\(result.stderr)")
    }

    @Test(arguments: [
        (["stock", "all"], ["allocate", "allocate-waiting", "allocations"]),
        (["stock", "help", "ch"], ["change-quantity", "change-eta", "change-line"]),
        (["stock", "completions", ""], ["bash", "zsh", "fish"]),
        (["stock", "import", ""], ["batches", "orders"]),
        (["stock", "--col"], ["--color"]),
        (["stock", "--color", ""], ["never", "always", "auto"]),
        (["stock", "--color", "=", "n"], ["never"]),
        (["stock", "--color=never", "mon"], ["monitor"]),
        (["stock", "move", "o-1", "TV", ""], ["B-1", "B-2", "X-9"]),
        (["stock", "receive", "X"], ["X-9"]),
        (["stock", "allocate", "o-2", "T"], ["TV"]),
        (["stock", "batches", "--sku", ""], ["LAMP", "TV"]),
        (["stock", "ship", ""], ["o-1"]),
        (["stock", "allocate", "o-2", "TV", ""], []),
        (["stock", "add-batch", "B"], []),
        (["stock", "add-batch", "B-3", "L"], ["LAMP"]),
    ])
    func bashCompletesAPartialWord(words: [String], expected: [String]) throws {
        #expect(try bash(words) == expected)
    }

    /// Every subcommand of the table, and every option each takes with the global ones.
    @Test func bashOffersWhatTheTableDeclares() throws {
        #expect(try bash(["stock", ""]) == Subcommand.all.map(\.name))
        for subcommand in [Subcommand.console] + Subcommand.all {
            let words = ["stock"] + (subcommand.name.isEmpty ? [] : [subcommand.name]) + ["--"]
            let expected = (subcommand.options + Subcommand.global).map(\.name)
            #expect(Set(try bash(words)) == Set(expected), "\(subcommand.name)")
        }
    }

    /// The database named on the line is the one asked, in either form; with none there, nothing is offered
    /// and nothing is said.
    @Test func bashAsksTheDatabaseOnTheLineAndIsQuietWithout() throws {
        var elsewhere = environment
        elsewhere["STOCK_DB"] = fixture.folder.path + "/nowhere/stock.sqlite"
        #expect(try bash(["stock", "move", "o-1", "TV", ""], environment: elsewhere) == [])
        #expect(try bash(["stock", "--db", fixture.path, "move", "o-1", "TV", ""], environment: elsewhere).count == 3)
        #expect(try bash(["stock", "--db", "=", fixture.path, "void-batch", "B"], environment: elsewhere).count == 2)
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path + "/nowhere"))
    }

    // MARK: zsh

    /// What zsh's completion offers for `line` (the cursor at its end), by driving an interactive zsh in a
    /// pseudo-terminal (zsh/zpty) with `compadd` wrapped to print what it adds.
    ///
    /// With `autoloaded`, the script is found as `_stock` on `fpath` by `compinit`, as installed; else sourced.
    func zsh(_ line: String, autoloaded: Bool = false) throws -> [String] {
        let functions = fixture.folder.path + "/site-functions"
        try FileManager.default.createDirectory(atPath: functions, withIntermediateDirectories: true)
        let script = functions + "/_stock"
        try Data(try StockProcess.run(["completions", "zsh"]).stdout.utf8).write(to: URL(fileURLWithPath: script))
        let start =
            autoloaded
            ? "fpath=(${(q)3} \\$fpath); autoload -Uz compinit; compinit -u -D"
            : "autoload -Uz compinit; compinit -u -D; source ${(q)2}"
        // The markers are built when printed (${:-HIT}), so the echo of the typed definitions never matches.
        let driver = """
            zmodload zsh/zpty zsh/datetime
            zpty z zsh -f -i
            zpty -w z 'PROMPT=""; unsetopt zle_bracketed_paste 2>/dev/null'
            zpty -w z "\(start)"
            zpty -w z 'compadd () { local -a hits; builtin compadd -A hits "$@"; print; print -rl -- ${hits/#/${:-HIT}:}; }'
            zpty -w z 'finish () { print -r -- ${:-DONE}:; }; zle -N finish; bindkey "^X" finish'
            zpty -w z "$1"$'\\t\\x18'
            local line
            float deadline=$(( EPOCHREALTIME + 20 ))
            while (( EPOCHREALTIME < deadline )); do
              if zpty -rt z line 2>/dev/null; then
                line=${line//$'\\r'/}
                [[ $line == *DONE:* ]] && break
                [[ $line == *HIT:* ]] && print -r -- ${line##*HIT:}
              else
                sleep 0.02
              fi
            done
            zpty -d z
            """
        let result = try runProcess(
            try #require(Self.shell("zsh")), ["-f", "-c", driver, "zsh", line, script, functions],
            environment: environment)
        return Array(Set(result.stdout.split(separator: "\n").map(String.init))).sorted()
    }

    @Test(.enabled(if: shell("zsh") != nil, "zsh is not installed"))
    func zshLoadsAndRegistersTheFunction() throws {
        let result = try runProcess(
            try #require(Self.shell("zsh")),
            [
                "-f", "-c",
                "autoload -Uz compinit; compinit -u -D; source <(stock completions zsh); print -r -- $_comps[stock]",
            ],
            environment: environment)
        #expect(result.stdout == "_stock\n", "\(result.stderr)")
    }

    @Test(
        .enabled(if: shell("zsh") != nil, "zsh is not installed"),
        arguments: [
            ("stock all", ["allocate", "allocate-waiting", "allocations"]),
            ("stock --color=", ["always", "auto", "never"]),
            ("stock move o-1 TV ", ["B-1", "B-2", "X-9"]),
            ("stock batches --sku ", ["LAMP", "TV"]),
            ("stock import ", ["batches", "orders"]),
        ])
    func zshCompletesAPartialWord(line: String, expected: [String]) throws {
        #expect(try zsh(line) == expected)
    }

    /// As `stock install` puts it: `PREFIX/share/zsh/site-functions/_stock`, autoloaded from `fpath`.
    @Test(.enabled(if: shell("zsh") != nil, "zsh is not installed"))
    func zshAutoloadsTheFunctionFromFpath() throws {
        #expect(try zsh("stock move o-1 TV ", autoloaded: true) == ["B-1", "B-2", "X-9"])
        #expect(try zsh("stock --color=", autoloaded: true) == ["always", "auto", "never"])
    }

    // MARK: fish

    /// What fish's `complete -C` offers for `line`, without the descriptions.
    func fish(_ line: String) throws -> [String] {
        var environment = self.environment
        environment["LINE"] = line
        let result = try runProcess(
            try #require(Self.shell("fish")), ["-c", "stock completions fish | source; complete -C \"$LINE\""],
            environment: environment)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
    }

    @Test(
        .enabled(if: shell("fish") != nil, "fish is not installed"),
        arguments: [
            ("stock all", ["allocate", "allocate-waiting", "allocations"]),
            ("stock --color ", ["always", "auto", "never"]),
            ("stock move o-1 TV ", ["B-1", "B-2", "X-9"]),
            ("stock batches --sku ", ["LAMP", "TV"]),
            ("stock import ", ["batches", "orders"]),
            ("stock ship o", ["o-1"]),
            ("stock --max", ["--max-frames"]),
        ])
    func fishCompletesAPartialWord(line: String, expected: [String]) throws {
        #expect(try fish(line) == expected)
    }
}
