import Allocation
import Foundation

/// A one-line progress bar on standard error for bulk work whose row count is known: rows done of the total, rows
/// per second and the time left, e.g. `orders.csv [=======>      ] 52% 52,000/100,000 rows 9,840 rows/s 5 s left`.
///
/// Drawn only when standard error is a terminal (not a `dumb` one), first after ``delay`` seconds (a short run
/// shows none), then at most every ``interval`` seconds, whatever the number of updates. Each drawing returns to
/// the start of the line and clears it to its end; the bar leaves the last columns free, so the `^C` a terminal
/// echoes stays on its line. ``erase()`` leaves the line blank and the cursor at its start, for the lines printed
/// after.
final class ProgressBar {
    /// Seconds before the first drawing.
    static let delay = 0.2
    /// The least number of seconds between two drawings.
    static let interval = 0.1

    private let label: String
    private let total: Int
    private let started: Double
    private var lastDrawn = -Double.infinity
    private var isDrawn = false

    /// A bar for `total` rows, labelled with `label` (a file name, sanitized); nil when standard error is not a
    /// terminal.
    init?(label: String, total: Int, environment: [String: String]) {
        guard ProgressBar.canDraw(environment: environment) else { return nil }
        self.label = label
        self.total = total
        started = monotonicNow()
    }

    /// Records `done` rows, and draws the bar if it is time to.
    func update(done: Int) {
        let now = monotonicNow()
        guard now - started >= Self.delay, now - lastDrawn >= Self.interval else { return }
        lastDrawn = now
        draw(
            Self.line(
                label: label, done: done, total: total, elapsed: now - started, width: Self.terminalWidth() - 3))
    }

    /// Blanks the bar's line, if it is drawn; the next ``update(done:)`` draws it again.
    func erase() {
        guard isDrawn else { return }
        write("\r\u{1B}[K")
        isDrawn = false
        lastDrawn = -Double.infinity
    }

    private func draw(_ text: String) {
        write("\r" + text + "\u{1B}[K")
        isDrawn = true
    }

    private func write(_ text: String) {
        try? OutputFile.writeAll(Array(text.utf8), to: STDERR_FILENO, name: "standard error")
    }

    /// The bar's text at most `width` characters wide: the label, the bar and percentage when there is room,
    /// rows done of the total, the rate, and the time left once a rate is known.
    static func line(label: String, done: Int, total: Int, elapsed: Double, width: Int) -> String {
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var parts = ["\(grouped(done))/\(grouped(total)) rows"]
        if rate >= 1 {
            parts.append("\(grouped(Int(rate.rounded()))) rows/s")
            parts.append(duration(Double(max(0, total - done)) / rate) + " left")
        }
        let figures = parts.joined(separator: "  ")
        let name = label.count > 30 ? "…" + label.suffix(29) : label
        let barWidth = min(40, width - TerminalText.width(name) - " [] 100%  ".count - figures.count)
        guard barWidth >= 10 else {
            // Too narrow for a bar: as many figures as fit.
            var text = ""
            for part in parts {
                let longer = text.isEmpty ? part : text + "  " + part
                guard longer.count <= width else { break }
                text = longer
            }
            return text
        }
        let percent = total > 0 ? min(100, done * 100 / total) : 100
        let filled = total > 0 ? min(barWidth, done * barWidth / total) : barWidth
        let bar =
            String(repeating: "=", count: filled) + (filled < barWidth ? ">" : "")
            + String(repeating: " ", count: max(0, barWidth - filled - 1))
        let shownPercent = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
        return "\(name) [\(bar)] \(shownPercent)  \(figures)"
    }

    /// `1,234,567`.
    static func grouped(_ number: Int) -> String {
        let digits = String(number)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text += "," }
            text.append(digit)
        }
        return text
    }

    /// `42 s`, `3 min 05 s`, `2 h 10 min`.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 {
            let rest = whole % 60
            return "\(whole / 60) min \(rest < 10 ? "0" : "")\(rest) s"
        }
        return "\(whole / 3600) h \((whole % 3600) / 60) min"
    }

    /// Standard error's width in columns, 80 when it cannot be told.
    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Whether standard error can show a bar or a notice: a terminal, and not a `dumb` one.
    static func canDraw(environment: [String: String]) -> Bool {
        isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
    }
}

/// `checking orders.csv…` on standard error while a file is read and checked before its rows run (the row count,
/// and so the progress bar, is known only after): shown when the check lasts longer than ``ProgressBar/delay``
/// and standard error is a terminal, erased by ``end()``.
final class CheckingNotice: @unchecked Sendable {
    // @unchecked: `state` is read and written only while `lock` is held.
    private enum State {
        case waiting
        case shown
        case ended
    }

    private let lock = NSLock()
    private var state = State.waiting

    /// Starts the wait; nil when standard error is not a terminal (or a `dumb` one).
    init?(label: String, environment: [String: String]) {
        guard ProgressBar.canDraw(environment: environment) else { return nil }
        let text = "checking \(label)…"
        DispatchQueue.global().asyncAfter(deadline: .now() + ProgressBar.delay) { [self] in
            lock.withLock {
                guard state == .waiting else { return }
                try? OutputFile.writeAll(Array(("\r" + text + "\u{1B}[K").utf8), to: STDERR_FILENO, name: "")
                state = .shown
            }
        }
    }

    /// The check is over: erases the notice if it is shown, and keeps it from being shown.
    func end() {
        lock.withLock {
            if state == .shown { try? OutputFile.writeAll(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO, name: "") }
            state = .ended
        }
    }
}
