import Foundation
import TestSupport
import Testing

extension CommandLineFixture {
    /// Allocates `d1`, `d2` and `d3` (2 DESK each, from batch `d1` of DESK) by three `stock allocate` processes
    /// in turn, as a second writer does while a long bulk run holds the database, and checks each answer.
    ///
    /// - Returns: the seconds the slowest of the three took.
    func allocateThreeDesks() throws -> Double {
        var slowest = 0.0
        for order in 1...3 {
            let started = monotonicSeconds()
            let allocate = try stock("allocate", "d\(order)", "DESK", "2")
            slowest = max(slowest, monotonicSeconds() - started)
            #expect(allocate.stdout == "allocated d\(order) DESK x2 to d1\n", "\(allocate.stderr)")
        }
        return slowest
    }

    /// Runs `stock apply` (with `options`) as a shell co-process: sends it one `Allocate` line for `o1` (2 LAMP),
    /// reads that line's answer before closing its input, runs `meanwhile` (a shell command) while the apply still
    /// waits for more, then closes its input and waits for it; the shell prints the answer, then what `meanwhile`
    /// prints.
    func applyAnsweringOneLine(options: [String] = [], meanwhile: String = "") throws -> ProcessResult {
        let script = """
            coproc '\(StockProcess.executable)' --db '\(path)' apply \(options.joined(separator: " "))
            echo '{"command":"Allocate","orderid":"o1","sku":"LAMP","qty":2}' >&"${COPROC[1]}"
            read -t 5 -r answer <&"${COPROC[0]}" || { echo "no answer"; exit 1; }
            echo "$answer"
            \(meanwhile)
            exec {COPROC[1]}>&-
            wait
            """
        return try runProcess("/bin/bash", ["-c", script], environment: StockProcess.environment(environment))
    }
}
