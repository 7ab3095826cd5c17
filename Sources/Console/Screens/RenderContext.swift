import Allocation

/// What a rendering step may read besides a screen's own state.
struct RenderContext: Sendable {
    var today: Day
    /// Whether the screen (or panel) has the keyboard; the cursor row is highlighted only then.
    var focused: Bool = true
}

/// A rectangle of the canvas.
struct Area: Equatable, Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
}
