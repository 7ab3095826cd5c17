import Foundation

extension Database {
    /// Opens the stock database the settings name, the one way every program opens it: the settings give the
    /// path (``Settings/databasePath``), the busy timeout and the `synchronous` level.
    ///
    /// - `.create` is `stock init`: makes the folder and the file when missing, then migrates it to the current
    ///   schema (``Schema/migrate(_:)``), refusing a file that holds another program's tables. A new file is
    ///   readable and writable by its owner only (0600), or also by the settings' ``Settings/group`` (0660), whatever
    ///   the umask; SQLite gives its `-wal` and `-shm` side files the same mode.
    /// - `.readWrite` and `.readOnly` open an existing file holding the current schema and change nothing in it;
    ///   only `.create` makes a file or changes its schema.
    ///
    /// A file inside stock's assets folder (``AssetsFolder``) is refused before anything is made: an upgrade
    /// replaces that folder whole.
    ///
    /// - Throws: `DatabaseError`: ``DatabaseError/noDatabase(at:)`` for a missing file, one saying so for a folder,
    ///   or one naming `stock init` when the file is not a stock database or has an older schema; `SettingsError`
    ///   for a path inside the assets folder.
    public static func open(settings: Settings, access: Access) throws -> Database {
        let path: String
        switch settings.databaseLocation {
        case .server(let address): return try openServer(address, settings: settings, access: access)
        case .file(let file): path = file
        }
        try AssetsFolder.refuseData(at: path)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw DatabaseError.folder(at: path)
        }
        if access == .create {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try createPrivateFile(at: path, group: settings.group)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw DatabaseError.noDatabase(at: path)
        }
        let database = try Database(
            path: path, access: access, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous)
        if access == .create {
            try Schema.migrate(database)
        } else {
            try Schema.requireCurrent(database)
        }
        return database
    }

    /// Opens a PostgreSQL server's stock schema: `.create` creates or migrates it (``PostgresSchema``), the others
    /// require the current schema and change nothing; `.readOnly` is a read-only session on the server.
    private static func openServer(_ address: ServerAddress, settings: Settings, access: Access) throws -> Database {
        let database = try Database(
            server: address, access: access, busyTimeoutMilliseconds: settings.busyTimeoutMilliseconds,
            synchronous: settings.synchronous, serverTimeoutMilliseconds: settings.serverTimeoutMilliseconds)
        database.isolation = settings.isolation
        if access == .create {
            try Schema.migrate(database)
        } else {
            try Schema.requireCurrent(database)
        }
        return database
    }

    /// Creates an empty file at `path` with mode 0600, or 0660 and owned by `group`; an existing file is left as
    /// it is.
    ///
    /// - Throws: `DatabaseError` when the group does not exist or the file cannot be created or given to it.
    private static func createPrivateFile(at path: String, group: String?) throws {
        var groupID: gid_t?
        if let group {
            guard let entry = getgrnam(group) else {
                throw DatabaseError(.notFound, message: "cannot create \(path): there is no group named \(group)")
            }
            groupID = entry.pointee.gr_gid
        }
        let mode: mode_t = groupID == nil ? 0o600 : 0o660
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if descriptor < 0 && errno == EEXIST { return }
        guard descriptor >= 0 else {
            throw DatabaseError(.notFound, message: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // The umask may have taken bits away from `mode`; fchmod sets exactly these.
        guard (groupID.map { fchown(descriptor, uid_t.max, $0) } ?? 0) == 0, fchmod(descriptor, mode) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw DatabaseError(
                .notFound,
                message: "cannot give \(path) to group \(group ?? "") with mode \(String(mode, radix: 8)): \(reason)")
        }
    }
}

extension DatabaseLocation {
    /// What the engine at this location does differently, known before it is opened.
    public var features: EngineFeatures {
        switch self {
        case .file: SQLiteConnection.features
        case .server: PostgresConnection.features
        }
    }
}
