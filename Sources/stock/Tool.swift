import Allocation
import Console
import Foundation

/// Runs one `stock` invocation: parses the words, opens the database, calls the bus or the views, and maps
/// every error to its exit status and a message on standard error.
struct Tool {
    let arguments: Arguments
    let environment: [String: String]
    var settings = Settings()

    static func main(words: [String], environment: [String: String]) -> Int32 {
        do {
            var tool = Tool(arguments: try Arguments(words), environment: environment)
            try tool.loadSettings()
            return try tool.run()
        } catch {
            let (status, message) = Tool.describe(error)
            printError(message)
            return status
        }
    }

    /// The exit status and message for an error, by audience.
    static func describe(_ error: any Error) -> (Int32, String) {
        switch error {
        case let usage as UsageError: (2, usage.message + "\nRun 'stock --help' for usage.")
        case let console as ConsoleError: (2, console.description)
        default: (ErrorMessages.exitStatus(for: error), operatorMessage(for: error))
        }
    }

    mutating func loadSettings() throws {
        if let file = arguments.options["--settings"]
            ?? environment["STOCK_SETTINGS"].flatMap({ $0.isEmpty ? nil : $0 })
        {
            settings = try Settings.load(file: file)
        }
        try settings.applyEnvironment(environment)
        if let path = arguments.options["--db"] {
            guard !path.isEmpty else { throw UsageError(message: "--db needs a path") }
            settings.database = path
        }
    }

    var databasePath: String {
        settings.database ?? Settings.defaultDatabasePath(environment: environment)
    }

    func run() throws -> Int32 {
        let name = arguments.subcommand
        if arguments.flags.contains("--help") || name == "help" {
            let topic = name == "help" ? arguments.positionals.first : name
            guard let topic else { return printOut(Help.general) }
            guard let text = Help.subcommands[topic] else { throw UsageError(message: "no subcommand \(topic)") }
            return printOut(text)
        }
        switch name {
        case nil:
            try arguments.check(allowed: ["--max-frames"], positionals: [])
            return try openConsole(readOnly: false)
        case "monitor":
            try arguments.check(allowed: ["--max-frames"], positionals: [])
            return try openConsole(readOnly: true)
        case "init": return try initialize()
        case "demo": return try openDemo()
        case "add-batch":
            try arguments.check(allowed: ["--eta"], positionals: ["REF", "SKU", "QTY"])
            let eta = try arguments.options["--eta"].map { try Validation.day($0, field: "--eta") }
            let command = CreateBatch(
                ref: arguments.positionals[0], sku: arguments.positionals[1],
                qty: try Validation.quantity(arguments.positionals[2]), eta: eta)
            return try send(.createBatch(command))
        case "allocate":
            try arguments.check(allowed: [], positionals: ["ORDERID", "SKU", "QTY"])
            let command = Allocate(
                orderid: arguments.positionals[0], sku: arguments.positionals[1],
                qty: try Validation.quantity(arguments.positionals[2]))
            return try send(.allocate(command))
        case "deallocate":
            try arguments.check(allowed: [], positionals: ["ORDERID", "SKU"])
            return try send(.deallocate(Deallocate(orderid: arguments.positionals[0], sku: arguments.positionals[1])))
        case "change-quantity":
            try arguments.check(allowed: [], positionals: ["REF", "QTY"])
            let command = ChangeBatchQuantity(
                ref: arguments.positionals[0], qty: try Validation.quantity(arguments.positionals[1], allowZero: true))
            return try send(.changeBatchQuantity(command))
        case "batches": return try listBatches()
        case "allocations": return try listAllocations()
        case "events": return try listEvents()
        case "apply": return try apply()
        case let other?: throw UsageError(message: "unknown subcommand \(other)")
        }
    }

    // MARK: Opening

    /// Opens an existing stock database; only `init` creates a file or changes its schema.
    ///
    /// - Throws: `DatabaseError` naming `stock init` when the file is missing, is not a stock database or has an
    ///   older schema.
    func openDatabase(access: Database.Access = .readWrite) throws -> Database {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw DatabaseError.noDatabase(at: databasePath)
        }
        let database = try Database(
            path: databasePath, access: access, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        try Schema.requireCurrent(database)
        return database
    }

    func makeBus(_ database: Database) -> MessageBus {
        MessageBus.standard(database: database, settings: settings) { printError($0) }
    }

    // MARK: Subcommands

    func initialize() throws -> Int32 {
        try arguments.check(allowed: ["--demo"], positionals: [])
        let database = try createDatabase(at: databasePath)
        guard arguments.flags.contains("--demo") else {
            printError("database ready at \(databasePath) (schema version \(Schema.currentVersion))")
            return 0
        }
        let count = try loadDemo(into: database)
        printError("database ready at \(databasePath) with the demo data set (\(count) commands)")
        return 0
    }

    /// `stock demo`: the console on the demo database, made and filled on first use.
    ///
    /// `--reset` deletes and remakes only the demo database at its own path, never a file named by `--db`; the
    /// terminal is checked before anything is touched.
    func openDemo() throws -> Int32 {
        try arguments.check(allowed: ["--reset", "--max-frames"], positionals: [])
        try ConsoleApp.requireTerminal()
        var demo = self
        let demoPath = URL(fileURLWithPath: Settings.defaultDatabasePath(environment: environment))
            .deletingLastPathComponent().appendingPathComponent("demo.sqlite").path
        if arguments.options["--db"] == nil { demo.settings.database = demoPath }
        let path = demo.databasePath
        if arguments.flags.contains("--reset") {
            guard path == demoPath else {
                throw UsageError(
                    message: "--reset only remakes the demo database at \(demoPath); it never deletes \(path)")
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        if !FileManager.default.fileExists(atPath: path) {
            _ = try demo.loadDemo(into: try demo.createDatabase(at: path))
        }
        return try demo.openConsole(readOnly: false)
    }

    func createDatabase(at path: String) throws -> Database {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try Database(
            path: path, access: .create, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        try Schema.migrate(database)
        return database
    }

    /// Runs the shipped demo commands through the bus, with ETAs counted from the settings' today.
    ///
    /// - Returns: the number of commands run.
    func loadDemo(into database: Database) throws -> Int {
        guard try Views.batchCount(in: database) == 0 else {
            throw UsageError(message: "\(database.path) already has batches; --demo fills only an empty database")
        }
        guard let assets = Assets.folder(environment: environment) else {
            throw UsageError(message: "cannot find the assets folder with demo/demo.jsonl; set $STOCK_ASSETS")
        }
        let demoPath = assets + "/demo/demo.jsonl"
        guard let text = try? String(contentsOfFile: demoPath, encoding: .utf8) else {
            throw UsageError(message: "cannot read \(demoPath)")
        }
        let bus = MessageBus(database: database, clock: settings.clock) { printError($0) }
        let today = settings.clock.today
        var count = 0
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            do {
                try bus.handle(try Command(jsonLine: String(line), today: today))
                count += 1
            } catch {
                throw InputError(message: "\(demoPath) line \(number + 1): \(Tool.describe(error).1)")
            }
        }
        return count
    }

    func send(_ command: Command) throws -> Int32 {
        let database = try openDatabase()
        let outcome = try makeBus(database).handle(command)
        switch outcome {
        case .batchCreated(let reference):
            return printOut(reference)
        case .allocated(let batchReference, let wasAlreadyAllocated):
            if wasAlreadyAllocated { printError("already allocated; nothing changed") }
            return printOut(batchReference)
        case .outOfStock(let sku):
            printError("Out of stock for \(sku)")
            return 1
        case .quantityChanged(_, let moved):
            for move in moved {
                printError(
                    "moved \(move.orderid) \(move.sku) x\(move.qty) from \(move.from) "
                        + "to \(move.to ?? "nowhere (out of stock)")"
                )
            }
            return 0
        case .deallocated(let batchReference):
            return printOut(batchReference ?? "(was not allocated)")
        }
    }

    func listBatches() throws -> Int32 {
        try arguments.check(allowed: ["--sku", "--json"], positionals: [])
        let sku = arguments.options["--sku"]
        if let sku { try Validation.checkIdentifier(sku, field: "--sku") }
        let database = try openDatabase(access: .readOnly)
        if let sku, try !Views.productExists(sku: sku, in: database) { throw AllocationError.invalidSKU(sku) }
        let rows = try Views.batches(sku: sku, in: database)
        if arguments.flags.contains("--json") {
            return printOut(jsonArray(rows.map(\.json)))
        }
        var table = TextTable(header: ["REFERENCE", "SKU", "ETA", "PURCHASED", "ALLOCATED", "AVAILABLE"])
        for row in rows {
            table.add([
                row.reference, row.sku, row.eta?.description ?? "in stock", String(row.purchased),
                String(row.allocated), String(row.available),
            ])
        }
        return printOut(table.text)
    }

    func listAllocations() throws -> Int32 {
        try arguments.check(allowed: ["--json"], positionals: ["ORDERID"])
        let orderid = arguments.positionals[0]
        try Validation.checkIdentifier(orderid, field: "order id")
        let database = try openDatabase(access: .readOnly)
        let rows = try Views.allocations(orderid: orderid, in: database)
        if arguments.flags.contains("--json") {
            return printOut(jsonArray(rows.map(\.json)))
        }
        var table = TextTable(header: ["SKU", "BATCH"])
        for row in rows { table.add([row.sku, row.batchref]) }
        return printOut(table.text)
    }

    func listEvents() throws -> Int32 {
        try arguments.check(allowed: ["--since", "--follow", "--json"], positionals: [])
        var lastID: Int64 = 0
        if let since = arguments.options["--since"] {
            guard let id = Int64(since), id >= 0 else {
                throw UsageError(message: "--since must be an event id (a whole number, 0 or more), got \(since)")
            }
            lastID = id
        }
        let json = arguments.flags.contains("--json")
        let database = try openDatabase(access: .readOnly)
        func printNew() throws {
            var page: [EventRow]
            repeat {
                page = try Views.events(after: lastID, limit: 1000, in: database)
                for event in page {
                    print(
                        json
                            ? event.json
                            : TerminalText.sanitized("\(event.id)  \(event.at)  \(event.kind)  \(event.payload)"))
                    lastID = event.id
                }
            } while page.count == 1000
            fflush(nil)
        }
        try printNew()
        guard arguments.flags.contains("--follow") else { return 0 }
        var seen = try database.dataVersion()
        while true {
            usleep(UInt32(settings.refreshMilliseconds) * 1000)
            let version = try database.dataVersion()
            if version != seen {
                seen = version
                try printNew()
            }
        }
    }

    func apply() throws -> Int32 {
        try arguments.check(allowed: [], positionals: ["FILE"], optional: 1)
        let source = arguments.positionals.first ?? "-"
        let handle: UnsafeMutablePointer<FILE>
        if source == "-" {
            guard let input = fdopen(STDIN_FILENO, "r") else {
                throw UsageError(message: "cannot read standard input")
            }
            handle = input
        } else {
            guard let opened = fopen(source, "r") else {
                throw UsageError(message: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            handle = opened
        }
        defer { fclose(handle) }
        let database = try openDatabase()
        let bus = makeBus(database)
        var refused = false
        var malformed = false
        var number = 0
        while let input = readLine(from: handle) {
            number += 1
            if case .text(let line) = input, line.allSatisfy(\.isWhitespace) { continue }
            var result = JSONObjectWriter()
            do {
                let command: Command
                switch input {
                case .text(let line): command = try Command(jsonLine: line)
                case .notText(let reason): throw InputError(message: reason)
                }
                let outcome = try bus.handle(command)
                result.add("ok", !isRefusal(outcome))
                result.add("line", number)
                result.add("command", command.name)
                describe(outcome, into: &result)
                if isRefusal(outcome) { refused = true }
            } catch {
                let (status, message) = Tool.describe(error)
                if status == 2 { malformed = true } else { refused = true }
                result.add("ok", false)
                result.add("line", number)
                result.add("error", message)
                if status == 3, error is DatabaseError {
                    print(result.text)
                    throw error
                }
            }
            print(result.text)
            // A script may wait for each result before it sends the next line.
            fflush(nil)
        }
        if ferror(handle) != 0 {
            throw UsageError(message: "cannot read \(source): \(String(cString: strerror(errno)))")
        }
        return malformed ? 2 : refused ? 1 : 0
    }

    func isRefusal(_ outcome: Outcome) -> Bool {
        if case .outOfStock = outcome { return true }
        return false
    }

    func describe(_ outcome: Outcome, into json: inout JSONObjectWriter) {
        switch outcome {
        case .batchCreated(let reference): json.add("ref", reference)
        case .allocated(let batchReference, let wasAlreadyAllocated):
            json.add("batchref", batchReference)
            json.add("alreadyAllocated", wasAlreadyAllocated)
        case .outOfStock(let sku): json.add("error", "Out of stock for \(sku)")
        case .quantityChanged(let reference, let moved):
            json.add("ref", reference)
            json.add("moved", moved.count)
        case .deallocated(let batchReference): json.add("batchref", batchReference)
        }
    }
}

/// Reads one line without its newline; nil at end of input.
/// One line of input without its newline: its text, or why it is not text.
enum InputLine {
    case text(String)
    case notText(String)
}

/// Reads one line; nil at the end of the input or on a read error (check `ferror`).
///
/// The bytes are checked, not repaired: a NUL byte or invalid UTF-8 makes the line malformed rather than
/// silently cut short or changed to U+FFFD.
func readLine(from file: UnsafeMutablePointer<FILE>) -> InputLine? {
    var buffer: UnsafeMutablePointer<CChar>?
    var capacity = 0
    defer { free(buffer) }
    let count = getline(&buffer, &capacity, file)
    guard count >= 0, let buffer else { return nil }
    var bytes = UnsafeRawBufferPointer(start: buffer, count: count)
    if bytes.last == UInt8(ascii: "\n") { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
    if bytes.contains(0) { return .notText("the line contains a NUL byte") }
    guard let text = String(validating: bytes, as: UTF8.self) else { return .notText("the line is not valid UTF-8") }
    return .text(text)
}

func jsonArray(_ objects: [String]) -> String {
    "[" + objects.joined(separator: ",") + "]"
}

@discardableResult
func printOut(_ text: String) -> Int32 {
    print(text)
    return 0
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Left-aligned columns separated by two spaces, for the human-readable listings.
///
/// Cells are sanitized and measured by the console's rules (``TerminalText``): CJK characters take two cells,
/// and a control character or text-direction mark that reached the database by another way than `stock` shows
/// as `?`, never written to the terminal.
struct TextTable {
    private var rows: [[String]]

    init(header: [String]) {
        rows = [header]
    }

    mutating func add(_ row: [String]) {
        rows.append(row.map { TerminalText.sanitized($0) })
    }

    var text: String {
        let widths = rows[0].indices.map { column in rows.map { TerminalText.width($0[column]) }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0 + String(repeating: " ", count: $1 - TerminalText.width($0)) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
