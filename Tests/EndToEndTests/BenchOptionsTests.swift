import Foundation
import TestSupport
import Testing

/// The benchmark's command line: README lists every option its help shows, `--quick` among them.
@Suite struct BenchOptionsTests {
    /// `stock-bench`, built beside `stock`.
    static let bench = URL(fileURLWithPath: StockProcess.executable).deletingLastPathComponent()
        .appendingPathComponent("stock-bench").path

    static func flags(in text: some StringProtocol) throws -> Set<String> {
        let whole = String(text)
        return Set(whole.matches(of: try Regex("--[a-z][a-z-]*")).map { String(whole[$0.range]) })
    }

    @Test func readmeListsEveryOptionTheHelpShows() throws {
        let help = try runProcess(BenchOptionsTests.bench, ["--help"])
        #expect(help.status == 0)
        let shown = try BenchOptionsTests.flags(in: help.stdout)
        #expect(shown.isSuperset(of: ["--quick", "--skip-scale", "--skip-render", "--big-db"]))

        let readme = try String(contentsOfFile: repositoryRoot + "/README.md", encoding: .utf8)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "## Performance"))
        let commands = lines[(start + 1)...].drop { $0 != "```sh" }.dropFirst().prefix { $0 != "```" }
        let documented = try commands.filter { $0.hasPrefix("# --") }.reduce(into: Set<String>()) {
            $0.formUnion(try BenchOptionsTests.flags(in: $1))
        }
        #expect(documented == shown)
    }

    @Test func anUnknownOptionExitsWithStatusTwoAndTheUsage() throws {
        let result = try runProcess(BenchOptionsTests.bench, ["--quick", "--fast"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown argument --fast"))
        #expect(result.stderr.contains("--quick"))
    }
}
