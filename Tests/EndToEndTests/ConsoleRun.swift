import Allocation
import Foundation
import Glibc
import TestSupport
import Testing

/// The real `stock` binary in a detached tmux pane of fixed size, on a temporary demo-like database.
///
/// The pane runs the console, then prints its exit status and the terminal modes it left behind, so tests can
/// check the terminal was restored.
final class ConsoleRun {
    let db: ConsoleDatabase
    let session: TmuxSession
    let executable = StockProcess.executable

    init(
        _ arguments: String = "", width: Int = 80, height: Int = 24, environment: [String: String] = [:],
        database: String? = nil, parameters: String = ""
    ) throws {
        db = try ConsoleDatabase()
        try db.fillDemo(today: Clock.system.today)
        let modes = "stty -a | tr -s ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|isig)$' | tr '\\n' ' '"
        let command =
            "'\(executable)' --db '\(database ?? db.path)\(parameters)' \(arguments); echo EXIT=$?; "
            + "echo MODES=$(\(modes)); sleep 600"
        session = try TmuxSession(command: command, width: width, height: height, environment: environment)
    }

    deinit { session.kill() }

    /// The operator console on the demo-like database, once its board shows with the cursor on the first batch.
    static func onTheBoard(width: Int = 80, environment: [String: String] = [:]) throws -> ConsoleRun {
        let run = try ConsoleRun(width: width, environment: environment)
        try run.session.waitFor("> B-CHAIR-9")
        return run
    }

    /// Runs `stock` on this console's database as another process would, expecting it to succeed.
    func writeElsewhere(_ arguments: String...) throws {
        let writer = try runProcess(executable, ["--db", db.path] + arguments)
        #expect(writer.status == 0, "\(arguments): \(writer.stderr)")
    }

    /// On the board at 132 columns: asks to change B-LAMP-01 (100 purchased, 30 allocated) to 35 and waits for
    /// the preview; then another process allocates o-new RED-LAMP x10, which goes to B-LAMP-01, and the form's
    /// note shows the batch as reloaded. The next Enter confirms a preview that is out of date.
    func previewLampChangeThenAllocateElsewhere() throws {
        try session.send("j", "j")
        try session.waitFor("> B-LAMP-01")
        try session.send("c")
        try session.type("35")
        try session.send("Enter")
        try session.waitFor("To 35: no line leaves B-LAMP-01.")
        try session.waitFor("Enter confirms")
        try writeElsewhere("allocate", "o-new", "RED-LAMP", "10")
        try session.waitFor("B-LAMP-01 (RED-LAMP): 100 purchased, 40 allocated", timeout: 2)
    }

    /// Opens the allocate form on the selected batch, checks the SKU it prefilled, and submits `order` × `qty`.
    func allocateThroughTheForm(order: String, qty: String, prefilledSKU: String) throws {
        try session.allocateThroughTheForm(order: order, qty: qty, waitingFor: "SKU:           \(prefilledSKU)")
    }

    /// Goes to the allocations screen and filters it by `text` (an order id or SKU), waiting until the filter
    /// shows `matching` lines.
    @discardableResult
    func filterAllocations(by text: String, matching: Int) throws -> String {
        try session.send("2", "/")
        try session.waitFor("filter (order, SKU or batch):")
        try session.type(text)
        try session.send("Enter")
        return try session.waitFor("filter: \(text) (\(matching))")
    }

    /// The screen line holding `text`, or "" when none does.
    func line(containing text: String, in screen: String) -> String {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    /// What the allocate form says once it stays open with its order for the next line.
    static let keptOrder = "stays for the next line"

    /// The environment that makes the console count its refresh ticks at the top right (`tick N`).
    static let countingTicks = ["STOCK_TEST_TICKS": "1"]

    /// Waits until a console started with ``countingTicks`` has run `count` more refresh ticks than it shows now,
    /// so that whatever those refreshes would show (a late commit, a message expiring) is on the screen returned.
    @discardableResult
    func waitForTicks(_ count: Int) throws -> String {
        func ticks(_ screen: String) -> Int? {
            let top = screen.prefix { $0 != "\n" }
            return top.range(of: "tick ", options: .backwards).flatMap { Int(top[$0.upperBound...]) }
        }
        let now = try #require(ticks(try session.capture()), "no tick count: started without countingTicks?")
        return try session.waitUntil("tick \(now + count)") { (ticks($0) ?? 0) >= now + count }
    }

    /// Waits for the shell's report after the console ended and checks the terminal modes were restored.
    func expectRestored(exit status: Int32) throws {
        let screen = try session.waitFor("MODES=")
        #expect(screen.contains("EXIT=\(status)"), "\(screen)")
        #expect(screen.contains("MODES=isig icanon echo"), "\(screen)")
        #expect(try session.display("#{alternate_on}") == "0")
    }
}

extension TmuxSession {
    /// Opens the allocate form (`a`) on the selected batch, waits for `waitingFor` on it, and submits `order` ×
    /// `qty` with the SKU it prefilled. An allocate form left open for an order's next line is closed first.
    func allocateThroughTheForm(order: String, qty: String, waitingFor shown: String = "Order id:") throws {
        if try capture().contains(ConsoleRun.keptOrder) {
            try send("Escape")
            try waitUntil("the form kept for the next line closed") { !$0.contains(ConsoleRun.keptOrder) }
        }
        try send("a")
        try waitFor(shown)
        try type(order)
        try send("Enter", "Enter")
        try type(qty)
        try send("Enter")
    }
}
