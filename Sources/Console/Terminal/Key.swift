/// A key press, as the console's screens understand it; ``Terminal`` turns ncurses codes into these.
enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// The terminal changed size (ncurses' `KEY_RESIZE`).
    case resize
}
