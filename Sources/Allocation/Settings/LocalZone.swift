import Foundation

/// The rules of a time zone as a value: its offsets from UTC and their names (`JST`, `CET`, `CEST`, `+04`) over
/// time. The console and the command line resolve the local one once at start-up (``resolve(environment:)``) and
/// pass it on, so nothing reads `TZ` afterwards and tests make the zone they need without touching the process's
/// environment.
///
/// Read from a compiled tz database file (TZif, RFC 8536) or a POSIX `TZ` rule such as
/// `CET-1CEST,M3.5.0,M10.5.0/3`, as the C library does.
public struct LocalZone: Equatable, Sendable {
    /// One span of a zone's history: the offset east of UTC in seconds and its name.
    struct Span: Equatable, Sendable {
        let offset: Int
        let name: String
    }

    /// Instants (seconds since 1970), ascending, from which `spans[index]` applies.
    private let transitions: [Int]
    private let spans: [Span]
    /// The span before the first transition (or always, with neither transitions nor rule).
    private let first: Span
    /// The rule after the last transition.
    private let rule: Rule?

    /// Coordinated Universal Time, named `UTC`.
    public static let utc = LocalZone(transitions: [], spans: [], first: Span(offset: 0, name: "UTC"), rule: nil)

    /// The zone `choice` shows times in: UTC, or the local one `TZ` in `environment` names.
    public static func resolve(_ choice: TimeZoneChoice, environment: [String: String]) -> LocalZone {
        choice == .utc ? .utc : resolve(environment: environment)
    }

    private init(transitions: [Int], spans: [Span], first: Span, rule: Rule?) {
        self.transitions = transitions
        self.spans = spans
        self.first = first
        self.rule = rule
    }

    /// The zone `TZ` in `environment` names, as the C library reads it: unset, the system's (`/etc/localtime`);
    /// a zone name (`Asia/Tokyo`, with or without a leading `:`) or a file path; else a POSIX rule; UTC for an
    /// empty or unreadable one.
    public static func resolve(environment: [String: String]) -> LocalZone {
        guard let value = environment["TZ"] else { return LocalZone(file: "/etc/localtime") ?? .utc }
        let name = value.hasPrefix(":") ? String(value.dropFirst()) : value
        guard !name.isEmpty else { return .utc }
        return LocalZone(named: name, environment: environment) ?? LocalZone(rule: name) ?? .utc
    }

    /// The tz database's zone `name` (`Europe/Paris`), from `TZDIR` or `/usr/share/zoneinfo`; an absolute path
    /// as it is. Nil when there is no such file or it is not a TZif file.
    public init?(named name: String, environment: [String: String] = [:]) {
        guard !name.contains("..") else { return nil }
        let folder = environment["TZDIR"] ?? "/usr/share/zoneinfo"
        self.init(file: name.hasPrefix("/") ? name : folder + "/" + name)
    }

    /// A TZif file: its 64-bit block when it has one, and its footer rule for instants after the last transition.
    init?(file path: String) {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        var reader = TZifReader(bytes: [UInt8](data))
        guard let header = reader.header() else { return nil }
        var block = header
        var width = 4
        if header.version >= 2 {
            reader.skip(header.size(width: 4))
            guard let second = reader.header() else { return nil }
            block = second
            width = 8
        }
        var transitions: [Int] = []
        for _ in 0..<block.transitions {
            guard let time = reader.integer(width) else { return nil }
            transitions.append(time)
        }
        var indexes: [Int] = []
        for _ in 0..<block.transitions {
            guard let index = reader.integer(1) else { return nil }
            indexes.append(index)
        }
        var types: [(offset: Int, nameAt: Int)] = []
        for _ in 0..<block.types {
            guard let offset = reader.integer(4), reader.integer(1) != nil, let nameAt = reader.integer(1) else {
                return nil
            }
            types.append((offset, nameAt))
        }
        guard let names = reader.take(block.characters), !types.isEmpty,
            indexes.allSatisfy({ $0 < types.count })
        else { return nil }
        let kinds = types.map { type in
            Span(
                offset: type.offset,
                name: String(decoding: names.dropFirst(type.nameAt).prefix { $0 != 0 }, as: UTF8.self))
        }
        reader.skip(block.leapSeconds * (width + 4) + block.standardFlags + block.universalFlags)
        var rule: Rule?
        if header.version >= 2, let footer = reader.footer(), !footer.isEmpty {
            rule = Rule(footer)
        }
        self.init(transitions: transitions, spans: indexes.map { kinds[$0] }, first: kinds[0], rule: rule)
    }

    /// A POSIX `TZ` rule: `JST-9`, `<+04>-4`, `CET-1CEST,M3.5.0,M10.5.0/3`. Nil when it is not one.
    public init?(rule text: String) {
        guard let rule = Rule(text) else { return nil }
        self.init(transitions: [], spans: [], first: rule.standard, rule: rule)
    }

    /// The offset and name in force at `seconds` since 1970.
    func span(at seconds: Int) -> Span {
        if let last = transitions.last, seconds >= last, let rule { return rule.span(at: seconds) }
        if transitions.isEmpty { return rule?.span(at: seconds) ?? first }
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= seconds { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? first : spans[low - 1]
    }
}

/// A POSIX `TZ` rule: a standard offset and name, and optionally a daylight-saving one with the days it starts
/// and ends.
private struct Rule: Equatable, Sendable {
    let standard: LocalZone.Span
    let daylight: LocalZone.Span?
    /// When daylight saving starts and ends, each as a day of the year and seconds after that day's midnight
    /// in the time then in force.
    let start: Change
    let end: Change

    /// A day in a year (`Jn`, `n` or `Mm.w.d`) and a time of day.
    struct Change: Equatable, Sendable {
        enum Date: Equatable, Sendable {
            /// `Jn`: day 1...365, never February 29.
            case julian(Int)
            /// `n`: day 0...365, counting February 29.
            case zeroBased(Int)
            /// `Mm.w.d`: weekday `d` (0 is Sunday) of week `w` (5 is the last) of month `m`.
            case weekday(month: Int, week: Int, day: Int)
        }

        let date: Date
        let time: Int

        /// Days since 1970 of the date in `year`.
        func day(in year: Int) -> Int {
            let january = Day(year: year, month: 1, day: 1)?.daysSinceEpoch ?? 0
            switch date {
            case .julian(let n):
                let leap = Day(year: year, month: 2, day: 29) != nil
                return january + n - 1 + (leap && n >= 60 ? 1 : 0)
            case .zeroBased(let n): return january + n
            case .weekday(let month, let week, let weekday):
                let first = Day(year: year, month: month, day: 1)?.daysSinceEpoch ?? january
                // 1970-01-01 was a Thursday (4).
                var day = first + ((weekday - (first + 4) % 7) % 7 + 7) % 7 + (week - 1) * 7
                while Day(daysSinceEpoch: day).month != month { day -= 7 }
                return day
            }
        }
    }

    init?(_ text: String) {
        var scanner = RuleScanner(text: Array(text.unicodeScalars))
        guard let standardName = scanner.name(), let standardOffset = scanner.offset() else { return nil }
        standard = LocalZone.Span(offset: -standardOffset, name: standardName)
        guard !scanner.atEnd else {
            daylight = nil
            start = Change(date: .zeroBased(0), time: 0)
            end = start
            return
        }
        guard let daylightName = scanner.name() else { return nil }
        let daylightOffset: Int? = scanner.peek == "," || scanner.atEnd ? standardOffset - 3600 : scanner.offset()
        guard let daylightOffset else { return nil }
        daylight = LocalZone.Span(offset: -daylightOffset, name: daylightName)
        if scanner.atEnd {
            // The US rules, as the C library assumes when a rule names no dates.
            start = Change(date: .weekday(month: 3, week: 2, day: 0), time: 7200)
            end = Change(date: .weekday(month: 11, week: 1, day: 0), time: 7200)
            return
        }
        guard scanner.skip(","), let start = scanner.change(), scanner.skip(","), let end = scanner.change(),
            scanner.atEnd
        else { return nil }
        self.start = start
        self.end = end
    }

    func span(at seconds: Int) -> LocalZone.Span {
        guard let daylight else { return standard }
        let year = Day(daysSinceEpoch: Int((Double(seconds + standard.offset) / 86_400).rounded(.down))).year
        let starts = start.day(in: year) * 86_400 + start.time - standard.offset
        let ends = end.day(in: year) * 86_400 + end.time - daylight.offset
        let saving = starts < ends ? seconds >= starts && seconds < ends : !(seconds >= ends && seconds < starts)
        return saving ? daylight : standard
    }
}

/// Reads a POSIX `TZ` rule's parts.
private struct RuleScanner {
    let text: [Unicode.Scalar]
    var index = 0

    var atEnd: Bool { index >= text.count }
    var peek: Unicode.Scalar? { atEnd ? nil : text[index] }

    mutating func skip(_ scalar: Unicode.Scalar) -> Bool {
        guard peek == scalar else { return false }
        index += 1
        return true
    }

    /// `JST` (three letters or more) or `<+04>`.
    mutating func name() -> String? {
        var name = ""
        if skip("<") {
            while let scalar = peek, scalar != ">" {
                name.unicodeScalars.append(scalar)
                index += 1
            }
            guard skip(">") else { return nil }
        } else {
            while let scalar = peek, scalar.properties.isAlphabetic {
                name.unicodeScalars.append(scalar)
                index += 1
            }
        }
        return name.count >= 3 ? name : nil
    }

    /// `[+-]hh[:mm[:ss]]` in seconds, positive west of Greenwich as `TZ` writes it.
    mutating func offset() -> Int? {
        let sign = skip("-") ? -1 : (skip("+") ? 1 : 1)
        guard let hours = number() else { return nil }
        var seconds = hours * 3600
        if skip(":") {
            guard let minutes = number() else { return nil }
            seconds += minutes * 60
            if skip(":") {
                guard let rest = number() else { return nil }
                seconds += rest
            }
        }
        return sign * seconds
    }

    /// `Jn`, `n` or `Mm.w.d`, then `/time` (02:00 when absent).
    mutating func change() -> Rule.Change? {
        let date: Rule.Change.Date
        if skip("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            date = .julian(n)
        } else if skip("M") {
            guard let month = number(), skip("."), let week = number(), skip("."), let day = number(),
                (1...12).contains(month), (1...5).contains(week), (0...6).contains(day)
            else { return nil }
            date = .weekday(month: month, week: week, day: day)
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            date = .zeroBased(n)
        }
        guard skip("/") else { return Rule.Change(date: date, time: 7200) }
        guard let time = offset() else { return nil }
        return Rule.Change(date: date, time: time)
    }

    private mutating func number() -> Int? {
        var value: Int?
        while let scalar = peek, let digit = Int(String(scalar)), scalar.isASCII {
            value = (value ?? 0) * 10 + digit
            index += 1
        }
        return value
    }
}

/// Reads a TZif file's big-endian fields.
private struct TZifReader {
    /// A header's counts.
    struct Header {
        let version: Int
        let universalFlags: Int
        let standardFlags: Int
        let leapSeconds: Int
        let transitions: Int
        let types: Int
        let characters: Int

        /// The bytes of the data block after this header, with `width`-byte times.
        func size(width: Int) -> Int {
            transitions * (width + 1) + types * 6 + characters + leapSeconds * (width + 4) + standardFlags
                + universalFlags
        }
    }

    let bytes: [UInt8]
    var index = 0

    mutating func header() -> Header? {
        guard let magic = take(4), magic.elementsEqual("TZif".utf8), let version = take(1) else { return nil }
        skip(15)
        var counts: [Int] = []
        for _ in 0..<6 {
            guard let count = integer(4) else { return nil }
            counts.append(count)
        }
        let number = version[version.startIndex] == 0 ? 1 : Int(version[version.startIndex]) - 48
        return Header(
            version: number, universalFlags: counts[0], standardFlags: counts[1], leapSeconds: counts[2],
            transitions: counts[3], types: counts[4], characters: counts[5])
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, index + count <= bytes.count else { return nil }
        defer { index += count }
        return bytes[index..<index + count]
    }

    mutating func skip(_ count: Int) {
        index = min(bytes.count, index + count)
    }

    /// A big-endian signed integer of `width` bytes (1, 4 or 8); 1 byte is unsigned.
    mutating func integer(_ width: Int) -> Int? {
        guard let field = take(width) else { return nil }
        let value = field.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        switch width {
        case 4: return Int(Int32(truncatingIfNeeded: value))
        case 8: return Int(Int64(bitPattern: value))
        default: return Int(value)
        }
    }

    /// The text between the newlines that end a version 2+ file.
    mutating func footer() -> String? {
        guard take(1)?.first == UInt8(ascii: "\n"), let rest = take(bytes.count - index) else { return nil }
        return String(decoding: rest.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }
}
