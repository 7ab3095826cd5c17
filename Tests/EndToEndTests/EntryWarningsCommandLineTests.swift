import TestSupport
import Testing

/// The command line says what an operator may not have meant: a batch that created a new SKU (often swapped
/// arguments) and an ETA in the past (accepted with a warning, the exit status unchanged). The test settings'
/// clock is 2026-01-15.
@Suite struct EntryWarningsCommandLineTests {
    let cli: CommandLineFixture

    init() throws {
        cli = try CommandLineFixture()
    }

    @Test func aBatchThatCreatesItsSKUSaysSoAfterTheReference() throws {
        let swapped = try cli.stock("add-batch", "LAMP", "B-9", "10")
        #expect(swapped.status == 0)
        #expect(swapped.stdout == "LAMP\nnew SKU B-9 created\n")
        #expect(swapped.stderr == "")
        let next = try cli.stock("add-batch", "B-10", "B-9", "5")
        #expect(next.stdout == "B-10\n", "a known SKU is not new")
    }

    @Test func applySaysWhetherTheSKUIsNew() throws {
        let input = """
            {"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":10}
            {"command":"CreateBatch","ref":"b2","sku":"LAMP","qty":10}
            """
        let lines = try cli.stock("apply", "-", input: input).stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""ref":"b1","sku":"LAMP","newSku":true,"#) == true, "\(lines)")
        #expect(lines.last?.contains(#""ref":"b2","sku":"LAMP","newSku":false,"#) == true, "\(lines)")
    }

    @Test func aPastETAIsAcceptedWithAWarning() throws {
        let late = try cli.stock("add-batch", "B-1", "LAMP", "10", "--eta", "2020-01-01")
        #expect(late.status == 0)
        #expect(late.stdout == "B-1\nnew SKU LAMP created\n")
        #expect(
            late.stderr
                == "warning: ETA 2020-01-01 is 2206 days ago: the batch counts as late and is preferred over batches "
                + "still to come\n")
        let yesterday = try cli.stock("add-batch", "B-2", "LAMP", "10", "--eta", "2026-01-14")
        #expect(yesterday.stderr.hasPrefix("warning: ETA 2026-01-14 is 1 day ago:"), "\(yesterday.stderr)")
        let today = try cli.stock("add-batch", "B-3", "LAMP", "10", "--eta", "2026-01-15")
        #expect(today.stderr == "", "today is not in the past")
    }

    @Test func changeEtaToThePastIsAcceptedWithAWarning() throws {
        try cli.stock("add-batch", "B-1", "LAMP", "10", "--eta", "2026-02-01")
        let late = try cli.stock("change-eta", "B-1", "2026-01-10")
        #expect(late.status == 0)
        #expect(late.stdout == "B-1 due 2026-01-10\n")
        #expect(late.stderr.hasPrefix("warning: ETA 2026-01-10 is 5 days ago: the batch counts as late"))
        let later = try cli.stock("change-eta", "B-1", "2026-03-01")
        #expect(later.stderr == "")
    }

    @Test func aRefusedCommandIsNotWarnedAbout() throws {
        try cli.stock("add-batch", "B-1", "LAMP", "10")
        let refused = try cli.stock("add-batch", "B-1", "LAMP", "10", "--eta", "2020-01-01")
        #expect(refused.status == 1)
        #expect(!refused.stderr.contains("warning"), "\(refused.stderr)")
    }
}
