import Foundation
import TestSupport
import Testing

@testable import Allocation
@testable import stock

/// The one table of subcommands drives the help, the checks and README's list, so none of them can drift.
@Suite struct CommandTableTests {
    /// The first cell of each row of README's subcommand table in "## Commands", e.g. `init [--demo]`.
    static func readmeUsages() throws -> [String] {
        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "## Commands"))
        let section = lines[(start + 1)...].prefix { !$0.hasPrefix("## ") }
        return section.filter { $0.hasPrefix("| `") }.compactMap { row in
            row.dropFirst(3).split(separator: "`", maxSplits: 1).first
                .map { $0.replacingOccurrences(of: #"\|"#, with: "|") }
        }
    }

    @Test func readmeListsEverySubcommandWithItsGeneratedUsage() throws {
        let usages = Subcommand.all.map { String($0.usage.dropFirst("stock ".count)) }
        #expect(try CommandTableTests.readmeUsages() == usages)
    }

    @Test func subcommandNamesAndOptionsAreUnique() {
        let names = Subcommand.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(Subcommand.valuedOptions.isDisjoint(with: Subcommand.flags))
        for subcommand in [Subcommand.console] + Subcommand.all {
            let options = (Subcommand.global + subcommand.options).map(\.name)
            #expect(Set(options).count == options.count, "\(subcommand.name)")
        }
    }

    @Test func usageIsMadeFromTheDeclaredArguments() {
        #expect(Subcommand.addBatch.usage == "stock add-batch REF SKU QTY [--eta YYYY-MM-DD]")
        #expect(Subcommand.apply.usage == "stock apply [FILE|-] [--group] [--from-row N] [--dry-run]")
        #expect(Subcommand.demo.usage == "stock demo [--reset] [--max-frames N]")
        #expect(Subcommand.console.usage == "stock [--max-frames N]")
    }

    @Test func everySubcommandsHelpShowsItsUsageAndEachOption() {
        for subcommand in Subcommand.all {
            #expect(subcommand.helpText.hasPrefix("Usage: \(subcommand.usage)\n\n"), "\(subcommand.name)")
            for option in subcommand.options {
                #expect(subcommand.helpText.contains("\n  \(option.usage)  "), "\(subcommand.name) \(option.name)")
            }
        }
    }

    @Test(arguments: [
        ("batchs", "batches"), ("alocate", "allocate"), ("evnets", "events"), ("--dbb", "--db"), ("--jsno", "--json"),
        ("change", "change-quantity"), ("--colour", "--color"),
    ])
    func aNearWordIsSuggested(typed: String, meant: String) {
        let known = Subcommand.all.map(\.name) + Subcommand.global.map(\.name) + ["--json"]
        #expect(Suggestion.nearest(to: typed, among: known) == meant)
    }

    @Test(arguments: ["teleport", "x", "zz", "--verbose"])
    func aFarWordIsNotSuggested(typed: String) {
        let known = Subcommand.all.map(\.name) + Subcommand.global.map(\.name)
        #expect(Suggestion.nearest(to: typed, among: known) == nil)
    }

    @Test func distanceCountsATranspositionAsOneEdit() {
        #expect(Suggestion.distance("abcd", "abdc") == 1)
        #expect(Suggestion.distance("", "abc") == 3)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}
