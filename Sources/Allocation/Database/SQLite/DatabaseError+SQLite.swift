import CSQLite
import Foundation

/// `SQLITE_CONSTRAINT_PRIMARYKEY` and `SQLITE_CONSTRAINT_UNIQUE`, macros Swift does not import.
private let constraintPrimaryKey = SQLITE_CONSTRAINT | 6 << 8
private let constraintUnique = SQLITE_CONSTRAINT | 8 << 8

extension DatabaseError {
    /// An error SQLite reported, with its extended result code and the system's `errno`.
    init(sqliteCode code: Int32, message: String, sql: String? = nil, path: String? = nil, systemError: Int32 = 0) {
        self.init(
            kind: Self.kind(ofSQLiteCode: code, systemError: systemError),
            engineReport: EngineReport(codeName: "SQLite result code", code: String(code)),
            message: message,
            sql: sql, path: path, systemError: systemError)
    }

    /// SQLite's primary result code, nil for a server and for stock's own checks.
    var sqlitePrimaryCode: Int32? {
        guard let report = engineReport, report.codeName == "SQLite result code" else { return nil }
        return Int32(report.code).map { $0 & 0xFF }
    }

    /// The kind of an SQLite extended result code; SQLite reports a write past the file-size limit (EFBIG) as an
    /// I/O error, and a full disk sometimes as one (ENOSPC).
    private static func kind(ofSQLiteCode code: Int32, systemError: Int32) -> Kind {
        if systemError == EFBIG { return .fileTooLarge }
        if systemError == ENOSPC { return .diskFull }
        return switch (code & 0xFF, code) {
        case (SQLITE_BUSY, _), (SQLITE_LOCKED, _): .busy
        case (_, constraintPrimaryKey), (_, constraintUnique): .uniqueViolation
        case (SQLITE_CONSTRAINT, _): .constraintViolation
        case (SQLITE_FULL, _): .diskFull
        case (SQLITE_NOTADB, _): .notADatabase
        case (SQLITE_CORRUPT, _): .unreadable
        case (SQLITE_CANTOPEN, _): .notFound
        case (SQLITE_READONLY, _): .readOnly
        case (SQLITE_MISUSE, _): .misuse
        default: .other
        }
    }
}
