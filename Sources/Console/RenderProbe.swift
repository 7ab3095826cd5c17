import Allocation
import Foundation

/// Times the console's pure render step (state to canvas, no terminal) for the benchmark.
///
/// The state is built as the console builds it: sized, then reloaded from the database through the views; only
/// the frames are timed, each into a fresh canvas as the console's loop draws one.
public enum RenderProbe {
    /// The screen a probe renders.
    public enum Screen: Sendable {
        /// The operator console's batches board.
        case batches
        /// The read-only monitor: board and event log together.
        case monitor
    }

    /// What a probe measured: each frame's seconds, and the last frame's rows of text.
    public struct Frames: Sendable {
        public let seconds: [Double]
        public let lines: [String]
    }

    /// Loads `screen` from `database` for a `width`×`height` terminal, then renders it `frames` times.
    ///
    /// - Throws: what the views throw while loading.
    public static func render(
        _ screen: Screen, from database: Database, settings: Settings, width: Int, height: Int, frames: Int
    ) throws -> Frames {
        let state = try loaded(screen, from: database, settings: settings, width: width, height: height)
        var seconds: [Double] = []
        seconds.reserveCapacity(frames)
        var canvas = Canvas(width: width, height: height)
        for _ in 0..<max(1, frames) {
            let start = ContinuousClock.now
            canvas = Canvas(width: width, height: height, glyphs: state.glyphs)
            state.render(into: &canvas)
            let (whole, fraction) = (ContinuousClock.now - start).components
            seconds.append(Double(whole) + Double(fraction) / 1e18)
        }
        return Frames(seconds: seconds, lines: (0..<canvas.height).map(canvas.line))
    }

    /// Loads `screen` once, then `count` times calls `change` (another session's commit, say) and times the
    /// console's refresh: the reload of the screen shown and the status line, and one frame.
    ///
    /// - Returns: each refresh's seconds.
    /// - Throws: what the views or `change` throw.
    public static func refreshes(
        _ screen: Screen, from database: Database, settings: Settings, width: Int, height: Int, count: Int,
        after change: (Int) throws -> Void
    ) throws -> [Double] {
        var state = try loaded(screen, from: database, settings: settings, width: width, height: height)
        var seconds: [Double] = []
        for index in 0..<count {
            try change(index)
            let start = ContinuousClock.now
            state.now = settings.clock.now()
            try state.reload(from: database, all: true, follow: true)
            _ = try state.refreshStatus(from: database)
            var canvas = Canvas(width: width, height: height, glyphs: state.glyphs)
            state.render(into: &canvas)
            let (whole, fraction) = (ContinuousClock.now - start).components
            seconds.append(Double(whole) + Double(fraction) / 1e18)
        }
        return seconds
    }

    /// The state of `screen` sized to `width`×`height` and loaded as the console loads it.
    private static func loaded(
        _ screen: Screen, from database: Database, settings: Settings, width: Int, height: Int
    ) throws -> ConsoleState {
        let label = settings.databaseLabel(environment: ProcessInfo.processInfo.environment)
        let today = settings.clock.today
        var state =
            screen == .monitor
            ? ConsoleState.monitor(database: label, today: today)
            : ConsoleState.operatorConsole(database: label, today: today)
        state.zone = settings.zone
        state.now = settings.clock.now()
        state.resize(width: width, height: height)
        try state.reload(from: database, all: true, follow: false)
        _ = try state.refreshStatus(from: database)
        return state
    }
}
