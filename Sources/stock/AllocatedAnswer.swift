import Allocation

/// The answer `apply` gives most often, an `Allocate` line placed whole on one batch, written straight into the
/// answer bytes: the same text as ``Tool/answer(_:_:)`` writes for it, without its intermediate strings.
///
/// It covers only texts that JSON writes as they are (printable ASCII without `"` or `\`, which NFC leaves
/// unchanged too); ``write(_:_:into:)`` declines anything else, which then takes the general path.
enum AllocatedAnswer {
    /// Appends the answer line (without its newline) to `bytes` and returns true, or returns false, appending
    /// nothing, when the row or its result is not the case covered.
    static func write(_ row: BulkRow, _ result: Result<Outcome, any Error>, into bytes: inout [UInt8]) -> Bool {
        guard case .success(.allocated(let reference, let wasAlreadyAllocated, _)) = result,
            case .success(.allocate(let command))? = row.command, let name = row.name,
            isPlain(name), isPlain(reference), isPlain(command.orderid), isPlain(command.sku)
        else { return false }
        append("{\"ok\":true,\"line\":", to: &bytes)
        append(row.number, to: &bytes)
        append(",\"command\":\"", to: &bytes)
        append(name, to: &bytes)
        append("\",\"status\":\"allocated\",\"batchref\":\"", to: &bytes)
        append(reference, to: &bytes)
        append("\",\"orderid\":\"", to: &bytes)
        append(command.orderid, to: &bytes)
        append("\",\"sku\":\"", to: &bytes)
        append(command.sku, to: &bytes)
        append("\",\"qty\":", to: &bytes)
        append(command.qty, to: &bytes)
        append(",\"pieces\":[{\"batchref\":\"", to: &bytes)
        append(reference, to: &bytes)
        append("\",\"qty\":", to: &bytes)
        append(command.qty, to: &bytes)
        append("}],\"waiting\":0,\"alreadyAllocated\":", to: &bytes)
        append(wasAlreadyAllocated ? "true" : "false", to: &bytes)
        append(",\"changed\":", to: &bytes)
        append(wasAlreadyAllocated ? "false}" : "true}", to: &bytes)
        return true
    }

    /// Whether JSON writes `text` as it is and NFC leaves it unchanged: printable ASCII but `"` and `\`.
    static func isPlain(_ text: String) -> Bool {
        func plain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C }
        return text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(plain) } ?? text.utf8.allSatisfy(plain)
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    /// A whole number as `String(number)` writes it (a small string: no allocation).
    private static func append(_ number: Int, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: String(number).utf8)
    }
}
