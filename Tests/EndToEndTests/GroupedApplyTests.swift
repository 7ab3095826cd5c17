import Allocation
import Foundation
import TestSupport
import Testing

/// `stock apply --group`, `--from-row` and `--dry-run`, through the real binary.
@Suite struct GroupedApplyTests {
    static let mixed =
        [
            #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}"#,
            #"{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":4}"#,
            #"{"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":99}"#,
            "",
            #"{"command":"Allocate","orderid":"o2","sku":"LAMPX","qty":1}"#,
            "not json",
            #"{"command":"Allocate","orderid":"o3","sku":"LAMP","qty":20}"#,
            #"{"command":"CreateBatch","ref":"b2","sku":"LAMP","qty":30,"eta":"2026-02-01"}"#,
        ].joined(separator: "\n") + "\n"

    /// `count` Allocate lines of one unit each, orders x0, x1, ….
    static func allocations(_ count: Int) -> String {
        (0..<count).map { #"{"command":"Allocate","orderid":"x\#($0)","sku":"LAMP","qty":1}"# }
            .joined(separator: "\n") + "\n"
    }

    @Test func groupedApplyAnswersAndChangesExactlyAsApplyAndSaysWhereItCommitted() throws {
        let single = try CommandLineFixture()
        let expected = try single.stock("apply", input: Self.mixed)
        let grouped = try CommandLineFixture()
        let result = try grouped.stock("apply", "--group", input: Self.mixed)
        #expect(result.status == 2)
        #expect(result.status == expected.status)
        #expect(result.stdout == expected.stdout)
        #expect(result.stdout.split(separator: "\n").count == 7)
        #expect(result.stderr == "committed through line 8\n")
        #expect(expected.stderr.isEmpty)
        #expect(try grouped.contents() == single.contents())
    }

    @Test func fromRowSkipsTheLinesBeforeIt() throws {
        let cli = try CommandLineFixture()
        let result = try cli.stock("apply", "--group", "--from-row", "7", input: Self.mixed)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout.split(separator: "\n").map { $0.prefix(30) } == [
                #"{"ok":false,"line":7,"command""#, #"{"ok":true,"line":8,"command":"#,
            ])
        #expect(result.stderr == "committed through line 8\n")
        #expect(try cli.contents()["batches"]?.count == 1)
        let bad = try cli.stock("apply", "--from-row", "0", input: Self.mixed)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--from-row needs a row number from 1, got 0"))
    }

    @Test func aDryRunAnswersAsARealRunAndChangesNothing() throws {
        let real = try CommandLineFixture()
        let expected = try real.stock("apply", input: Self.mixed)
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b0", "DESK", "5")
        let before = try cli.contents()
        let result = try cli.stock("apply", "--dry-run", input: Self.mixed)
        #expect(result.stdout == expected.stdout)
        #expect(result.status == expected.status)
        #expect(result.stderr == "dry run: nothing was changed\n")
        #expect(try cli.contents() == before)
        let notifications = (try? String(contentsOfFile: cli.notificationsPath, encoding: .utf8)) ?? ""
        #expect(notifications.isEmpty)
    }

    /// SIGKILL in the middle of a grouped apply: the file holds the first commands whole, at least every one
    /// answered, and nothing of the rest.
    @Test func aKilledGroupedApplyLeavesWholeCommandsAndEveryAnsweredRow() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1000000")
        let count = 40_000
        let apply = try StockProcess.start(
            ["--db", cli.path, "apply", "--group", "-"], input: Self.allocations(count), environment: cli.environment)
        try apply.waitForOutput { $0.split(separator: "\n").count >= 2 }
        kill(apply.processIdentifier, SIGKILL)
        let result = try apply.wait()
        #expect(result.status == SIGKILL || result.status != 0)
        let answered = result.stdout.split(separator: "\n").filter { $0.hasSuffix("}") }
        let contents = try cli.contents()
        let lines = try #require(contents["order_lines"])
        #expect(lines.count >= answered.count)
        #expect(lines.count < count, "the apply finished before it was killed")
        let orders = Set(lines.map { $0.split(separator: "|")[1] })
        #expect(orders == Set((0..<lines.count).map { "x\($0)"[...] }))
        #expect(contents["allocations"]?.count == lines.count)
        #expect(contents["events"]?.count == lines.count + 1)
        #expect(try TestDatabase.miscountedBatches(in: rawConnection(to: cli.path, access: .readOnly)).isEmpty)
    }

    /// Another process's command gets through during a long grouped apply, well within a second, and both are
    /// right.
    @Test func anotherWriterIsNotStarvedByALongGroupedApply() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "1000000")
        try cli.stock("add-batch", "d1", "DESK", "10")
        let count = 30_000
        let apply = try StockProcess.start(
            ["--db", cli.path, "apply", "--group", "-"], input: Self.allocations(count), environment: cli.environment)
        try apply.waitForOutput { $0.split(separator: "\n").count >= 2 }
        let slowest = try cli.allocateThreeDesks()
        #expect(apply.outputSoFar.split(separator: "\n").count < count, "the apply finished first")
        #expect(slowest < 1.0)
        let result = try apply.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix(#"{"ok":true"#) }.count == count)
        #expect(result.stderr == "committed through line \(count)\n")
        let contents = try cli.contents()
        #expect(contents["order_lines"]?.count == count + 3)
        #expect(try TestDatabase.miscountedBatches(in: rawConnection(to: cli.path, access: .readOnly)).isEmpty)
    }

    /// A grouped apply waiting for its next line commits what it holds when its time is up, and answers it: a
    /// script that waits for each answer is not stuck, and the write lock is not held while the input is idle.
    @Test func aGroupWaitingForInputCommitsAndAnswersWhenItsTimeIsUp() throws {
        let cli = try CommandLineFixture()
        try cli.stock("add-batch", "b1", "LAMP", "10")
        let result = try cli.applyAnsweringOneLine(
            options: ["--group"], meanwhile: "'\(StockProcess.executable)' --db '\(cli.path)' allocate o2 LAMP 1")
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(
            result.stdout.hasPrefix(#"{"ok":true,"line":1,"command":"Allocate","status":"allocated","batchref":"b1""#))
        #expect(result.stdout.hasSuffix("allocated o2 LAMP x1 to b1\n"))
    }
}
