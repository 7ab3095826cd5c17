import Allocation

extension Tool {
    /// Opens the settings' database: `.create` (only `stock init` and `stock demo`) makes the file or brings its
    /// schema up to date; the other kinds of access open an existing, current stock database and change nothing.
    ///
    /// - Throws: `DatabaseError` naming `stock init` when the file is missing, is not a stock database or has an
    ///   older schema: plain `stock init` when that opens this file, else `stock --db PATH init`.
    func openDatabase(access: Database.Access = .readWrite) throws -> Database {
        do {
            return try Database.open(settings: settings, access: access)
        } catch let error as DatabaseError {
            throw plainInitOpensThisFile ? error.advising(initCommand: "stock init") : error
        }
    }

    /// Whether `stock init` without options, in this environment, opens the file this invocation opens.
    ///
    /// Only `--db` and `--settings` choose another file than the environment does; with either given, the file
    /// the environment alone chooses (`$STOCK_SETTINGS`, `$STOCK_DB`, the default location) is compared.
    var plainInitOpensThisFile: Bool {
        guard arguments.options["--db"] != nil || arguments.options["--settings"] != nil else { return true }
        var plain = Settings()
        if let file = environment["STOCK_SETTINGS"], !file.isEmpty {
            guard let loaded = try? Settings.load(file: file) else { return false }
            plain = loaded
        }
        guard (try? plain.applyEnvironment(environment)) != nil else { return false }
        return (plain.database ?? Settings.defaultDatabasePath(environment: environment)) == databasePath
    }

    /// The production bus, logging to standard error; call ``MessageBus/finishNotifications()`` before exiting,
    /// so its notifications are delivered.
    func makeBus(_ database: Database) -> MessageBus {
        MessageBus.standard(database: database, settings: settings) { printError($0) }
    }

    /// The `--sku` option of a listing, in the canonical form the bus stores (the views compare text byte for
    /// byte), with the database opened for reading: the option is checked as an identifier before the database is
    /// opened, and refused as `invalidSKU` (with the SKU nearest by spelling) when no product has it.
    func openReadingSKUOption() throws -> (sku: String?, database: Database) {
        let sku = arguments.options["--sku"].map(Validation.normalized)
        if let sku { try Validation.checkIdentifier(sku, field: "--sku") }
        let database = try openDatabase(access: .readOnly)
        if let sku, try !Views.productExists(sku: sku, in: database) { throw try Views.unknownSKU(sku, in: database) }
        return (sku, database)
    }
}
