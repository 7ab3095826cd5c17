/// The keys of an overlay that only shows text (help, messages): `j`/`k`, arrows and pages scroll it, `q` quits the
/// console, any other key closes the overlay.
enum OverlayKeys {
    static func handle(_ key: Key, offset: inout Int) -> Reaction {
        switch key {
        case .down, .character("j"), .pageDown: offset += key == .pageDown ? 10 : 1
        case .up, .character("k"), .pageUp: offset = max(0, offset - (key == .pageUp ? 10 : 1))
        case .character("q"): return .quit
        default: return .closeOverlay
        }
        return .redraw
    }
}
