/// The scrolling state of a list: how many rows there are, which is first on screen and which is selected.
struct ListCursor: Equatable, Sendable {
    var count = 0
    var top = 0
    var cursor = 0
    /// Rows that fit on screen.
    var pageSize = 1

    /// Moves the cursor for a movement action; false for any other action.
    mutating func move(_ action: Action) -> Bool {
        switch action {
        case .up: cursor -= 1
        case .down: cursor += 1
        case .pageUp:
            cursor -= pageSize
            top -= pageSize
        case .pageDown:
            cursor += pageSize
            top += pageSize
        case .top: cursor = 0
        case .bottom: cursor = count - 1
        default: return false
        }
        clamp()
        return true
    }

    /// Keeps the cursor on a row and the top where the cursor is visible.
    mutating func clamp() {
        cursor = max(0, min(cursor, count - 1))
        top = max(0, min(top, max(0, count - pageSize)))
        if cursor < top { top = cursor }
        if cursor >= top + pageSize { top = cursor - pageSize + 1 }
    }
}
