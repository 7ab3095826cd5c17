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

    @Test func thePostgresEngineWithoutAServerSaysWhatIsMissingAndExitsWithStatusTwo() throws {
        let result = try runProcess(
            BenchOptionsTests.bench, ["--quick", "--engine", "postgres"], environment: StockProcess.environment([:]))
        #expect(result.status == 2)
        #expect(result.stderr.contains("--engine postgres needs a PostgreSQL server"))
        #expect(result.stderr.contains("--postgres URL"))
        #expect(result.stderr.contains("STOCK_BENCH_POSTGRES"))
    }

    @Test func anUnknownEngineExitsWithStatusTwo() throws {
        let result = try runProcess(BenchOptionsTests.bench, ["--engine", "mysql"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--engine is sqlite or postgres, got mysql"))
    }

    /// The writer process of `--engine postgres` sends its allocations through the bus and counts every answer:
    /// a batch of 10 takes the warm-up (o-5, 6 units), then o-0 (1) and o-1 (2); o-2, o-3 and o-4 (3, 4, 5) wait.
    @Test func aWriterProcessCountsEveryAnswer() throws {
        let fixture = try CommandLineFixture()
        #expect(try fixture.stock("add-batch", "B1", "LAMP", "10").status == 0)
        let report = fixture.folder.appendingPathComponent("writer.report").path
        let result = try runProcess(
            BenchOptionsTests.bench, ["--allocation-writer", fixture.path, "LAMP", "o-", "5", "0", report],
            environment: StockProcess.environment([:]))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: report, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let counts = try #require(lines.first).split(separator: " ").prefix(3)
        #expect(counts == ["3", "3", "0"])
        #expect(lines.dropFirst(2).filter { !$0.isEmpty }.count == 5)
        let waiting = try fixture.stock("backorders").stdout
        #expect(["o-2", "o-3", "o-4"].allSatisfy(waiting.contains) && !waiting.contains("o-5"))
    }
}
