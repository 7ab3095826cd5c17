/// The current row of a stepping statement, read by column index.
///
/// A `Row` is only valid inside the closure it is handed to: it reads the statement's current step. Every engine
/// reads as SQLite does: a server's numbers arrive as text and are parsed, and a boolean reads as 1 or 0.
public struct Row {
    let cursor: any RowCursor

    public var columnCount: Int32 { cursor.columnCount }

    public func int(_ column: Int32) -> Int {
        Int(cursor.int64(column))
    }

    public func int64(_ column: Int32) -> Int64 {
        cursor.int64(column)
    }

    public func isNull(_ column: Int32) -> Bool {
        cursor.isNull(column)
    }

    public func text(_ column: Int32) -> String {
        cursor.text(column)
    }

    /// The column's text in place, valid only while the row is: for listings that copy it out as bytes.
    func utf8(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
        cursor.utf8(column)
    }

    public func optionalText(_ column: Int32) -> String? {
        isNull(column) ? nil : text(column)
    }
}
