/// What a key asks for, independent of the key.
enum Action: Hashable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    case nextScreen, previousScreen
    case screen(Int)
    case switchPanel
    case search, nextMatch, previousMatch, clearSearch
    case help, quit, pause
    case allocate, newBatch, changeQuantity, deallocate
}

/// One key binding: the keys, how help writes them, what they do and whether they change data.
struct Binding: Sendable {
    let keys: [Key]
    let label: String
    let action: Action
    let summary: String
    /// A mutating binding is refused, and shown greyed, in the read-only monitor.
    let mutating: Bool
    /// The word the key hints line shows after the key; nil leaves the binding to the help overlay.
    let hint: String?

    init(
        _ keys: [Key], _ label: String, _ action: Action, _ summary: String, mutating: Bool = false,
        hint: String? = nil
    ) {
        self.keys = keys
        self.label = label
        self.action = action
        self.summary = summary
        self.mutating = mutating
        self.hint = hint
    }
}

/// A screen's key bindings: the one table that handles keys, draws the key hints and fills the help overlay,
/// so the three cannot drift apart.
struct KeyMap: Sendable {
    let bindings: [Binding]

    func binding(for key: Key) -> Binding? {
        bindings.first { $0.keys.contains(key) }
    }

    /// The hint line: the hinted bindings as `key summary` pairs.
    var hints: [Binding] { bindings.filter { $0.hint != nil } }

    static func chars(_ text: String) -> [Key] { text.map { .character($0) } }

    static let movement: [Binding] = [
        Binding([.up] + chars("k"), "↑ k", .up, "move up"),
        Binding([.down] + chars("j"), "↓ j", .down, "move down"),
        Binding([.pageUp], "PgUp", .pageUp, "page up"),
        Binding([.pageDown], "PgDn", .pageDown, "page down"),
        Binding([.home] + chars("g"), "Home g", .top, "first row"),
        Binding([.end] + chars("G"), "End G", .bottom, "last row"),
    ]

    static let screens: [Binding] = [
        Binding([.tab], "Tab", .nextScreen, "next screen", hint: "screens"),
        Binding([.backTab], "S-Tab", .previousScreen, "previous screen"),
        Binding(chars("1"), "1", .screen(0), "batches board"),
        Binding(chars("2"), "2", .screen(1), "allocations"),
        Binding(chars("3"), "3", .screen(2), "event log"),
    ]

    static let search: [Binding] = [
        Binding(chars("/"), "/", .search, "search reference or SKU", hint: "search"),
        Binding(chars("n"), "n", .nextMatch, "next match"),
        Binding(chars("N"), "N", .previousMatch, "previous match"),
        Binding([.escape], "Esc", .clearSearch, "clear search"),
    ]

    static let common: [Binding] = [
        Binding(chars("p"), "p", .pause, "freeze or resume live data"),
        Binding(chars("?"), "?", .help, "help", hint: "help"),
        Binding(chars("q"), "q", .quit, "quit", hint: "quit"),
    ]

    static let allocate = Binding(
        chars("a"), "a", .allocate, "allocate an order line", mutating: true, hint: "allocate")
    static let newBatch = Binding(chars("b"), "b", .newBatch, "new batch", mutating: true, hint: "batch")
    static let change = Binding(
        chars("c"), "c", .changeQuantity, "change the batch's quantity", mutating: true, hint: "change")
    static let deallocate = Binding(
        chars("d"), "d", .deallocate, "deallocate the selected line", mutating: true, hint: "deallocate")

    static let batches = KeyMap(
        bindings: [allocate, newBatch, change] + search + movement + screens + common)

    static let allocations = KeyMap(
        bindings: [
            allocate, deallocate,
            Binding(chars("/"), "/", .search, "filter by order id or SKU", hint: "filter"),
            Binding([.escape], "Esc", .clearSearch, "clear the filter"),
        ] + movement + screens + common)

    static let events = KeyMap(bindings: movement + screens + common)

    static let monitor = KeyMap(
        bindings: [allocate, newBatch, change, deallocate] + search + movement + [
            Binding([.tab], "Tab", .switchPanel, "switch between board and event log", hint: "panel")
        ] + common)
}
