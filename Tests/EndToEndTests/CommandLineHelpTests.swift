import Foundation
import TestSupport
import Testing

/// Help, version and suggestions, through the real binary.
@Suite struct CommandLineHelpTests {
    static let subcommands = [
        "init", "add-batch", "allocate", "promise", "deallocate", "change-quantity", "receive", "unreceive",
        "change-eta", "ship",
        "move", "allocate-waiting", "cancel", "change-line", "void-batch", "replan", "batches", "order", "allocations",
        "backorders", "at-risk", "projection", "history", "events", "import", "export", "copy", "apply", "monitor",
        "demo", "install", "completions", "help",
    ]

    @Test(arguments: subcommands)
    func helpForASubcommandIsTheSameEveryWayItIsAsked(_ name: String) throws {
        let flag = try StockProcess.run([name, "--help"])
        let short = try StockProcess.run([name, "-h"])
        let topic = try StockProcess.run(["help", name])
        #expect(flag.status == 0 && short.status == 0 && topic.status == 0, "\(topic.stderr)")
        #expect(flag.stdout.hasPrefix("Usage: stock \(name)"))
        #expect(short.stdout == flag.stdout)
        #expect(topic.stdout == flag.stdout)
    }

    @Test func helpHelpExitsZero() throws {
        let result = try StockProcess.run(["help", "help"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Usage: stock help [SUBCOMMAND] [--man]\n"))
    }

    @Test func subcommandHelpShowsEveryOptionItTakes() throws {
        let demo = try StockProcess.run(["demo", "--help"]).stdout
        #expect(demo.hasPrefix("Usage: stock demo [--reset] [--max-frames N]\n"))
        #expect(demo.contains("\n  --reset "))
        #expect(demo.contains("\n  --max-frames N "))
        let events = try StockProcess.run(["help", "events"]).stdout
        #expect(events.hasPrefix("Usage: stock events [--since ID] [--follow] [--json]\n"))
    }

    @Test func generalHelpListsEverySubcommand() throws {
        for words in [["--help"], ["help"], ["-h"]] {
            let result = try StockProcess.run(words)
            #expect(result.status == 0)
            let listed = result.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
                .compactMap { $0.split(separator: " ").first.map(String.init) }
                .filter { !$0.hasPrefix("-") }
            #expect(listed == CommandLineHelpTests.subcommands, "\(words)")
        }
    }

    @Test func versionPrintsTheNameAndVersion() throws {
        for words in [["--version"], ["batches", "--version"]] {
            let result = try StockProcess.run(words)
            #expect(result.status == 0)
            #expect(result.stdout.wholeMatch(of: /stock \d+\.\d+\.\d+\n/) != nil, "\(result.stdout)")
        }
    }

    @Test func aMistypedSubcommandGetsASuggestion() throws {
        let result = try StockProcess.run(["batchs"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("unknown subcommand batchs; did you mean batches?\n"))
        #expect(result.stdout.isEmpty)
        let topic = try StockProcess.run(["help", "alocate"])
        #expect(topic.status == 2)
        #expect(topic.stderr.hasPrefix("unknown subcommand alocate; did you mean allocate?\n"))
    }

    @Test func aMistypedOptionGetsASuggestion() throws {
        let folder = try TemporaryFolder()
        let path = folder.appendingPathComponent("stock.sqlite").path
        for words in [["--dbb", path, "init"], ["init", "--dbb", path], ["--dbb=" + path, "init"]] {
            let result = try StockProcess.run(words)
            #expect(result.status == 2, "\(words)")
            #expect(result.stderr.contains("option --dbb; did you mean --db?"), "\(words): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
