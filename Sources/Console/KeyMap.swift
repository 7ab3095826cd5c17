import Allocation

/// What a key asks for, independent of the key.
enum Action: Hashable, Sendable {
    case up, down, pageUp, pageDown, top, bottom
    case nextScreen, previousScreen
    case screen(Int)
    case switchPanel
    case search, nextMatch, previousMatch, clearSearch
    case filter, toggleLate, toggleEmpty, toggleWaiting, cycleSort
    case help, quit, pause
    case allocate, newBatch, changeQuantity, deallocate
    case receive, changeEta, ship, shipPartial, move, allocateWaiting, replan
    case history, messages
    case changeLine, cancelOrder
    case atRisk
    case projection
}

extension Key {
    /// How help, the hints line and README write the key.
    var label: String {
        switch self {
        case .character(let character): Key.name(of: character)
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .backspace: "Backspace"
        case .delete: "Del"
        case .control(let letter): "Ctrl-" + letter.uppercased()
        case .resize: "resize"
        }
    }

    /// A character as a message names it: itself when it shows, `Space` for a space, and the code points (e.g.
    /// `U+00A0`) of anything without a visible glyph, so no message holds a blank or a raw control character.
    static func name(of character: Character) -> String {
        if character == " " { return "Space" }
        let invisible = character.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse,
                .unassigned, .nonspacingMark, .enclosingMark:
                true
            default:
                Validation.isControl(scalar)
            }
        }
        guard invisible || character.unicodeScalars.contains(where: Validation.isControl) else {
            return String(character)
        }
        return character.unicodeScalars.map { "U+" + hex($0.value) }.joined(separator: " ")
    }

    /// At least four upper-case hexadecimal digits, as code points are written.
    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

/// One key binding: the keys, what they do and whether they change data.
struct Binding: Sendable {
    let keys: [Key]
    let action: Action
    let summary: String
    /// A mutating binding is refused, and shown greyed, in the read-only monitor.
    let mutating: Bool
    /// The word the key hints line shows after the key; nil leaves the binding to the help overlay.
    let hint: String?
    /// The word the read-only monitor's hints line shows instead, which lists what it can do in place of the
    /// writing keys it refuses; nil leaves the binding out of the monitor's hints.
    let monitorHint: String?

    /// How help and the hints line write the binding: its keys' labels.
    var label: String { keys.map(\.label).joined(separator: " ") }

    init(
        _ keys: [Key], _ action: Action, _ summary: String, mutating: Bool = false, hint: String? = nil,
        monitorHint: String? = nil
    ) {
        self.keys = keys
        self.action = action
        self.summary = summary
        self.mutating = mutating
        self.hint = hint
        self.monitorHint = mutating ? nil : monitorHint ?? hint
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

    /// The hint line of a mode: in the read-only monitor, what it allows (``Binding/monitorHint``), never the
    /// writing keys it refuses.
    func hints(readOnly: Bool) -> [Binding] {
        guard readOnly else { return hints }
        return bindings.compactMap { binding in
            binding.monitorHint.map {
                Binding(binding.keys, binding.action, binding.summary, mutating: false, hint: $0)
            }
        }
    }

    static func chars(_ text: String) -> [Key] { text.map { .character($0) } }

    static let movement: [Binding] = [
        Binding([.up] + chars("k"), .up, "move up"),
        Binding([.down] + chars("j"), .down, "move down"),
        Binding([.pageUp], .pageUp, "page up"),
        Binding([.pageDown], .pageDown, "page down"),
        Binding([.home] + chars("g"), .top, "first row"),
        Binding([.end] + chars("G"), .bottom, "last row"),
    ]

    static let screens: [Binding] = [
        Binding([.tab], .nextScreen, "next screen", hint: "screens"),
        Binding([.backTab], .previousScreen, "previous screen"),
        Binding(chars("1"), .screen(0), "batches board"),
        Binding(chars("2"), .screen(1), "allocations"),
        Binding(chars("3"), .screen(2), "event log"),
    ]

    /// The board's filter, order and search: none changes data, so the monitor has them too.
    static let search: [Binding] = [
        Binding(chars("f"), .filter, "filter by reference or SKU", hint: "filter"),
        Binding(chars("L"), .toggleLate, "late batches only (on/off)", monitorHint: "late"),
        Binding(chars("E"), .toggleEmpty, "empty batches only (on/off)", monitorHint: "empty"),
        Binding(chars("W"), .toggleWaiting, "SKUs waiting only (on/off)", monitorHint: "waiting"),
        Binding(chars("o"), .cycleSort, "sort: ETA, available, fill", hint: "order"),
        Binding(chars("/"), .search, "search reference or SKU", hint: "search"),
        Binding(chars("n"), .nextMatch, "next match"),
        Binding(chars("N"), .previousMatch, "previous match"),
        Binding([.escape], .clearSearch, "clear filter and search"),
    ]

    static let common: [Binding] = [
        Binding(chars("p"), .pause, "freeze or resume live data"),
        Binding(chars("?"), .help, "help", hint: "help"),
        Binding(chars("M"), .messages, "the last messages in full"),
        Binding(chars("!"), .atRisk, "lines late or waiting"),
        Binding(chars("q"), .quit, "quit", hint: "quit"),
    ]

    static let allocate = Binding(chars("a"), .allocate, "allocate an order line", mutating: true, hint: "allocate")
    static let newBatch = Binding(chars("b"), .newBatch, "new batch", mutating: true, hint: "batch")
    static let change = Binding(
        chars("c"), .changeQuantity, "change the batch's quantity", mutating: true, hint: "change")
    static let deallocate = Binding(
        chars("d"), .deallocate, "deallocate the selected line", mutating: true, hint: "deallocate")

    static let receive = Binding(
        chars("r"), .receive, "receive the arriving batch", mutating: true, hint: "receive")
    static let changeEta = Binding(chars("e"), .changeEta, "change the batch's ETA", mutating: true, hint: "eta")
    static let ship = Binding(chars("s"), .ship, "ship an order's lines", mutating: true, hint: "ship")
    static let shipPartial = Binding(
        chars("S"), .shipPartial, "ship what is here, rest open", mutating: true)
    static let move = Binding(chars("m"), .move, "move a line to another batch", mutating: true, hint: "move")
    static let allocateWaiting = Binding(
        chars("w"), .allocateWaiting, "allocate waiting lines", mutating: true, hint: "waiting")
    static let replan = Binding(chars("R"), .replan, "re-plan: complete sooner", mutating: true)
    static let projection = Binding(chars("P"), .projection, "the SKU's stock day by day")

    static let batches = KeyMap(
        bindings: [
            allocate, newBatch, change, receive, changeEta, ship, shipPartial, move, allocateWaiting, replan,
            Binding([.enter], .history, "history of the batch", hint: "history"),
            projection,
        ] + search + movement + screens + common)

    static let allocations = KeyMap(
        bindings: [
            allocate, deallocate, ship, shipPartial, move, allocateWaiting,
            Binding(chars("c"), .changeLine, "change the line's quantity", mutating: true, hint: "change"),
            Binding(chars("X"), .cancelOrder, "cancel the whole order", mutating: true),
            Binding([.enter], .history, "the order and its history", hint: "order"),
            Binding(chars("P"), .projection, "the line's SKU day by day"),
            Binding(chars("/"), .search, "filter by order id or SKU", hint: "filter"),
            Binding([.escape], .clearSearch, "clear the filter"),
        ] + movement + screens + common)

    static let events = KeyMap(
        bindings: [
            Binding([.enter], .history, "history of order or batch", hint: "history"),
            Binding(chars("/"), .search, "filter by order, SKU, kind", hint: "filter"),
            Binding([.escape], .clearSearch, "clear the filter"),
        ] + movement + screens + common)

    static let monitor = KeyMap(
        bindings: [
            allocate, newBatch, change, deallocate, receive, changeEta, ship, shipPartial, move, allocateWaiting,
            replan, Binding([.enter], .history, "history of the batch or event"), projection,
        ] + search + movement + [
            Binding([.tab], .switchPanel, "switch between board and event log", hint: "panel")
        ] + common)
}
