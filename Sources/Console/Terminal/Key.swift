/// A key press, as the console's screens understand it; ``Terminal`` turns ncurses codes into these.
enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// A control key a form edits with: `u` for Ctrl-U (clear the field), `w` for Ctrl-W (erase a word).
    case control(Character)
    /// The terminal changed size (ncurses' `KEY_RESIZE`).
    case resize
}
