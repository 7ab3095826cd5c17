import Allocation

/// Events as `stock events` and `stock history` print them as text: aligned columns of the id, the time in the
/// zone the settings choose (date, time of day and the zone's name, e.g. `2026-11-24 09:12:03 JST`), the operator,
/// the kind and the event's fields as JSON. Cells are sanitized and measured like the console's (``TerminalText``).
///
/// The widths come from the rows it is made with; `stock events` makes it from the newest events before printing
/// any, so that the lines it prints while following line up with the first ones.
struct EventText {
    let zone: LocalZone
    private let widths: [Int]
    private let times: TimeText

    static let header = ["ID", "TIME", "OPERATOR", "EVENT", "DETAILS"]

    /// Columns wide enough for `rows`, the kind column for every kind when `anyKind` (lines yet to come).
    init(zone: LocalZone, fitting rows: [EventRow], anyKind: Bool = false, header: Bool = false) {
        self.zone = zone
        times = TimeText(zone: zone)
        let kinds = anyKind ? Event.Kind.allCases.map(\.rawValue) : rows.map(\.kind)
        let least = header ? EventText.header.dropLast().map(TerminalText.width) : [1, 1, 1, 1]
        let columns = [
            rows.map { String($0.id) }, rows.map { EventText.time(of: $0, in: zone) }, rows.map(EventText.operator),
            kinds,
        ]
        widths = zip(columns, least).map { cells, least in cells.map(TerminalText.width).reduce(least, max) }
    }

    /// `2026-11-24 09:12:03 JST`; the stored text when it is not a timestamp.
    static func time(of row: EventRow, in zone: LocalZone) -> String {
        time(row.at, in: zone)
    }

    /// A stored timestamp as the command line shows it, `2026-11-24 09:12:03 JST`; other text as it is.
    static func time(_ timestamp: String, in zone: LocalZone) -> String {
        ShownTime(timestamp: timestamp, in: zone).map { "\($0.full) \($0.zone)" } ?? timestamp
    }

    private static func `operator`(of row: EventRow) -> String {
        row.operator.isEmpty ? "-" : row.operator
    }

    /// The header line over ``line(for:)``'s columns.
    var header: String {
        cells(EventText.header)
    }

    /// One event in the columns.
    func line(for row: EventRow) -> String {
        cells([String(row.id), times.text(row.at), EventText.operator(of: row), row.kind, row.payload])
    }

    /// ``line(for:)`` for an event read in place, appended to `bytes`; false, with nothing appended, when the
    /// operator is not printable ASCII, whose cells the sanitizer and the width rules may change (the caller then
    /// decodes the row and writes ``line(for:)``). The payload of a ``StoredEvent`` is printable ASCII already.
    func appendLine(for event: StoredEvent, to bytes: inout [UInt8]) -> Bool {
        guard TerminalText.isPrintableASCII(event.operator) else { return false }
        let id = String(event.id)
        let time = times.shown(event.at)
        let name = event.kind.rawValue
        func pad(_ width: Int, _ column: Int) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: max(0, widths[column] - width)))
        }
        pad(id.utf8.count, 0)
        bytes.append(contentsOf: id.utf8)
        bytes.append(contentsOf: "  ".utf8)
        bytes.append(contentsOf: time.bytes)
        pad(time.width, 1)
        bytes.append(contentsOf: "  ".utf8)
        if event.operator.isEmpty {
            bytes.append(UInt8(ascii: "-"))
            pad(1, 2)
        } else {
            bytes.append(contentsOf: event.operator)
            pad(event.operator.count, 2)
        }
        bytes.append(contentsOf: "  ".utf8)
        bytes.append(contentsOf: name.utf8)
        pad(name.utf8.count, 3)
        bytes.append(contentsOf: "  ".utf8)
        bytes.append(contentsOf: event.payload)
        return true
    }

    /// Cells sanitized and padded to the widths, the id right-aligned, two spaces apart; the last one as it is.
    private func cells(_ texts: [String]) -> String {
        var line = ""
        for (index, text) in texts.enumerated() {
            let cell = TerminalText.sanitized(text)
            guard index < widths.count else {
                line += cell
                break
            }
            let padding = String(repeating: " ", count: max(0, widths[index] - TerminalText.width(cell)))
            line += (index == 0 ? padding + cell : cell + padding) + "  "
        }
        return line
    }
}

/// ``EventText/time(_:in:)`` for a run of timestamps, formatting each second once: `ShownTime(seconds:in:)` reads
/// only the whole second, so events recorded in the same second share their text.
final class TimeText {
    let zone: LocalZone
    private var second: Int?
    private var shown = ""

    init(zone: LocalZone) {
        self.zone = zone
    }

    /// The whole second of the timestamp ``shown(_:)`` last formatted, and its cell.
    private var shownSecond: [UInt8] = []
    private var shownCell: (bytes: [UInt8], width: Int) = ([], 0)

    /// ``text(_:)`` for a timestamp in place, sanitized as a cell, with its width. A timestamp in the form the
    /// service writes (`2026-11-25T10:15:02.120Z`, or without the milliseconds) is formatted once a second: its
    /// first 19 bytes are its whole second, and three decimals cannot round it up to the next one.
    func shown(_ at: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], width: Int) {
        let serviceForm =
            (at.count == 20 && at[19] == UInt8(ascii: "Z"))
            || (at.count == 24 && at[19] == UInt8(ascii: ".") && at[23] == UInt8(ascii: "Z")
                && at[20...22].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        if serviceForm, shownSecond.elementsEqual(at.prefix(19)) { return shownCell }
        let timestamp = String(decoding: at, as: UTF8.self)
        let cell = TerminalText.sanitized(text(timestamp))
        let shown = (Array(cell.utf8), TerminalText.width(cell))
        if serviceForm, Clock.seconds(timestamp: timestamp) != nil {
            shownSecond = Array(at.prefix(19))
            shownCell = shown
        }
        return shown
    }

    /// What ``EventText/time(_:in:)`` gives for `timestamp`.
    func text(_ timestamp: String) -> String {
        guard let seconds = Clock.seconds(timestamp: timestamp) else { return timestamp }
        let whole = Int(seconds.rounded(.down))
        if whole != second {
            let time = ShownTime(seconds: seconds, in: zone)
            shown = "\(time.full) \(time.zone)"
            second = whole
        }
        return shown
    }
}
