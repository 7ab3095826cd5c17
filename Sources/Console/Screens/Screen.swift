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

/// What a key asked the loop to do; the loop alone calls the bus, queries and draws.
enum Reaction {
    case none
    /// The visible rows moved: query the page again.
    case reload
    case openForm(Form)
    case message(String, Style)
}

/// A full-size screen: state, a pure render step, a key handler and the one step that queries its rows.
protocol Screen {
    var title: String { get }
    var keyMap: KeyMap { get }
    /// Fits the screen to the area it will be drawn in, so its next reload fetches what fits.
    mutating func resize(width: Int, height: Int)
    /// Queries the visible rows; `follow` keeps the cursor on the same item when rows moved under it.
    ///
    /// - Returns: a message for the status line, if any.
    /// - Throws: what the data source throws; the screen keeps its previous rows.
    mutating func reload(from source: any DataSource, follow: Bool) throws -> String?
    /// Carries out one of the screen's own actions.
    mutating func perform(_ action: Action) -> Reaction
    /// Takes a search or filter typed in its prompt (empty clears it).
    mutating func apply(query: String)
    func render(into canvas: inout Canvas, area: Area, context: RenderContext)
}
