/// The bench's command line.
struct Options {
    var allocations = 5000
    var rounds = 5
    var skipBig = false
    /// Rounds of the `stock apply` comparison at each synchronous level.
    var applyRounds = 3
    var skipApply = false
    var skipGroup = false
    var skipHistory = false
    var skipWriters = false
    /// Where the big read-side database is kept between runs; nil means a fresh temporary file.
    var bigDatabase: String?
    /// Internal: seed the big database at this path and exit (run in a child so its memory is not measured).
    var seedOnly: String?
    var help = false

    static let usage = """
        usage: stock-bench [--allocations N] [--rounds N] [--apply-rounds N] [--skip-group] [--skip-apply]
                           [--skip-history] [--skip-writers] [--skip-big] [--big-db PATH]

        Measures the stock allocation path (whole bus, Swift) against a hand-written C baseline doing the same
        SQL; then grouped commits against one transaction per command (the bars of 20x and 50,000/s); then
        `stock apply` (the binary built beside stock-bench) against a minimal C program on a seeded
        workload, at synchronous FULL and NORMAL, with the bar of 70% of the C rate; then allocation on a SKU with
        10 batches against one with 10,000 (most emptied), with the bar of 2x; then 1, 4 and 8 `stock apply`
        processes writing at once (commands per second, waits for the write lock); then the read side on a
        database of 100,000 batches and 1,000,000 order lines.

          --allocations N   allocations per round (default 5000)
          --rounds N        rounds of each bus measurement; the median is reported (default 5)
          --apply-rounds N  rounds of the stock apply measurement at each level (default 3)
          --skip-apply      skip the stock apply measurement
          --skip-group      skip the grouped-commits measurement (grouped vs one transaction per command)
          --skip-history    skip the allocation time by history (10 vs 10,000 batches)
          --skip-writers    skip the concurrent-writer measurement (1, 4 and 8 stock apply processes at once)
          --skip-big        skip the read-side measurement on the big database
          --big-db PATH     keep the big database at PATH and reuse it while its schema version matches
          --help            show this text
        """

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    init(arguments: [String]) throws {
        var words = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = words.popFirst() else { throw Invalid(description: "\(flag) needs a value") }
            return next
        }
        func count(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else {
                throw Invalid(description: "\(flag) needs a positive whole number, got \(text)")
            }
            return number
        }
        while let word = words.popFirst() {
            switch word {
            case "--allocations": allocations = try count(word)
            case "--rounds": rounds = try count(word)
            case "--apply-rounds": applyRounds = try count(word)
            case "--skip-apply": skipApply = true
            case "--skip-group": skipGroup = true
            case "--skip-writers": skipWriters = true
            case "--skip-big": skipBig = true
            case "--skip-history": skipHistory = true
            case "--big-db": bigDatabase = try value(word)
            case "--seed-big-only": seedOnly = try value(word)
            case "--help", "-h": help = true
            default: throw Invalid(description: "unknown argument \(word)")
            }
        }
    }
}
