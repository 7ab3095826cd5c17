import Allocation

/// What a rendering step may read besides a screen's own state.
struct RenderContext: Sendable {
    var today: Day
    /// Seconds since 1970 by the settings' clock, for the ages of waiting lines.
    var now: Double = 0
    /// Whether the screen (or panel) has the keyboard; the cursor row is highlighted only then.
    var focused: Bool = true
    /// The zone times are shown in.
    var zone = LocalZone.utc
}

/// A rectangle of the canvas.
struct Area: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
}
