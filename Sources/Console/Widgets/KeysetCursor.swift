/// The paging state of a newest-first list read by id ranges (keyset paging): the list's millionth row costs
/// what its first does, and no count of the whole table is needed.
///
/// `anchor` is the id of the top row; nil follows the newest rows, so new ones appear at the top as they come.
struct KeysetCursor: Equatable, Sendable {
    var anchor: Int64?
    /// The selected row's index in the page.
    var cursor = 0
    var pageSize = 1
    /// A movement to carry out at the next page fetch, which has the data it needs.
    var pending: Action?

    /// Takes a movement action for the next fetch; false for any other action.
    mutating func move(_ action: Action) -> Bool {
        switch action {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            pending = action
            return true
        default:
            return false
        }
    }

    /// Carries out the pending movement and fetches the page.
    ///
    /// - Parameters:
    ///   - current: the page shown now.
    ///   - older: rows with id ≤ the given id, newest first, at most the given count.
    ///   - newer: rows with id > the given id, oldest first, at most the given count.
    mutating func page<Row>(
        current: [Row], id: (Row) -> Int64, older: (Int64, Int) throws -> [Row], newer: (Int64, Int) throws -> [Row]
    ) throws -> [Row] {
        let action = pending
        pending = nil
        func hasOlder(than row: Row?) throws -> Bool {
            guard let row else { return false }
            return try !older(id(row) - 1, 1).isEmpty
        }
        switch action {
        case .up:
            if cursor > 0 {
                cursor -= 1
            } else if let top = anchor {
                anchor = try newer(top, 1).first.map(id)
            }
        case .down:
            if cursor < current.count - 1 {
                cursor += 1
            } else if current.count >= 2, try hasOlder(than: current.last) {
                anchor = id(current[1])
            }
        case .pageDown:
            if current.count == pageSize, let last = current.last, try hasOlder(than: last) {
                anchor = id(last) - 1
            } else {
                cursor = current.count - 1
            }
        case .pageUp:
            if let top = anchor {
                let above = try newer(top, pageSize)
                anchor = above.count < pageSize ? nil : above.last.map(id)
            }
            if anchor == nil { cursor = 0 }
        case .top:
            anchor = nil
            cursor = 0
        case .bottom:
            let oldest = try newer(0, pageSize)
            anchor = oldest.last.map(id)
            cursor = oldest.count - 1
        default:
            break
        }
        var rows = try older(anchor ?? Int64.max, pageSize)
        if rows.isEmpty, anchor != nil {
            anchor = nil
            rows = try older(Int64.max, pageSize)
        }
        cursor = max(0, min(cursor, rows.count - 1))
        return rows
    }
}
