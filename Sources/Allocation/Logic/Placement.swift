/// Where the pieces of an order line go among its SKU's batches, as pure functions on values.

/// How an order line may be spread over its SKU's batches (the `splitLines` setting).
public enum SplitLines: String, CaseIterable, Sendable {
    /// The book's rule: a line goes whole to one batch (the preferred one that can take it), or waits whole.
    case never
    /// A line may be placed in pieces on several batches, and waits whole only when all of them together
    /// cannot take it.
    case batches
    /// As ``batches``, and when they cannot, what they can take is placed now and the rest of the line waits.
    case partial
}

/// A part of an order line on one batch.
public struct Piece: Hashable, Sendable {
    public let batchref: String
    public var qty: Int

    public init(batchref: String, qty: Int) {
        self.batchref = batchref
        self.qty = qty
    }
}

/// Where a quantity goes: its pieces in rank order, and what is left waiting (0 when all of it is placed).
struct Placement: Equatable, Sendable {
    var pieces: [Piece]
    var waiting: Int

    /// Nothing placed: all of `qty` waits.
    static func waits(_ qty: Int) -> Placement { Placement(pieces: [], waiting: qty) }
}

/// The rank of a batch for placing pieces: in the warehouse first, then batches still to come by ETA, then late
/// batches (an ETA already past: their date is unknown, so they come after every batch that is not late), ties
/// by reference.
struct PlacementRank: Comparable, Sendable {
    /// 0 in the warehouse, 1 still to come, 2 late.
    let group: Int
    /// The ETA of a batch still to come; nil in the other groups, whose batches share one date (now, unknown).
    let date: Day?
    let reference: String

    init(_ batch: Batch, today: Day) {
        switch batch.eta {
        case nil:
            group = 0
            date = nil
        case let eta? where eta >= today:
            group = 1
            date = eta
        case .some:
            group = 2
            date = nil
        }
        reference = batch.reference
    }

    /// Whether this batch's date is no later than `other`'s (the reference does not count).
    func isDatedNoLater(than other: PlacementRank) -> Bool {
        if group != other.group { return group < other.group }
        guard let date, let otherDate = other.date else { return true }
        return date <= otherDate
    }

    static func < (a: PlacementRank, b: PlacementRank) -> Bool {
        if a.group != b.group { return a.group < b.group }
        if a.date != b.date, let x = a.date, let y = b.date { return x < y }
        return a.reference.utf8.lexicographicallyPrecedes(b.reference.utf8)
    }
}

/// The batches in placement rank (``PlacementRank``), those with room only.
func rankedForPlacement(_ batches: [Batch], today: Day) -> [Batch] {
    batches.filter { $0.available > 0 }
        .map { (rank: PlacementRank($0, today: today), batch: $0) }
        .sorted { $0.rank < $1.rank }
        .map(\.batch)
}

/// Where `qty` of one SKU goes among `batches` (the SKU's batches, with what they have room for) under `policy`.
///
/// - `never`: whole to the first batch in allocation preference (``BatchOrder/preference``, late batches among
///   them by ETA) that can take it, or it waits whole.
/// - `batches` and `partial`: the batches are ranked (``PlacementRank``); the quantity is complete at the date at
///   which the ranked batches, filled in that order, first cover it. When one batch dated no later than that can
///   take all of it, it goes whole to the first such batch in rank order (the fewest pieces); otherwise pieces
///   are taken in rank order, each as much as its batch has room for, the last one the remainder. When all the
///   batches together cannot cover it, it waits whole under `batches`; under `partial` every batch with room
///   gives what it has and the rest waits.
func placement(of qty: Int, among batches: [Batch], policy: SplitLines, today: Day) -> Placement {
    guard qty > 0 else { return Placement(pieces: [], waiting: 0) }
    if policy == .never {
        let fitting = batches.filter { $0.available >= qty }
        guard let best = fitting.min(by: isPreferred) else { return .waits(qty) }
        return Placement(pieces: [Piece(batchref: best.reference, qty: qty)], waiting: 0)
    }
    let ranked = rankedForPlacement(batches, today: today)
    var covered = 0
    var completion: PlacementRank?
    for batch in ranked {
        covered += batch.available
        if covered >= qty {
            completion = PlacementRank(batch, today: today)
            break
        }
    }
    guard let completion else {
        guard policy == .partial else { return .waits(qty) }
        return Placement(
            pieces: ranked.map { Piece(batchref: $0.reference, qty: $0.available) }, waiting: qty - covered)
    }
    if let whole = ranked.first(where: {
        $0.available >= qty && PlacementRank($0, today: today).isDatedNoLater(than: completion)
    }) {
        return Placement(pieces: [Piece(batchref: whole.reference, qty: qty)], waiting: 0)
    }
    var pieces: [Piece] = []
    var remaining = qty
    for batch in ranked where remaining > 0 {
        let taken = min(batch.available, remaining)
        pieces.append(Piece(batchref: batch.reference, qty: taken))
        remaining -= taken
    }
    return Placement(pieces: pieces, waiting: 0)
}

/// A line of one SKU with its pieces, as the placement rules see it; its id is its age (oldest first means
/// ascending id).
struct LineStock: Equatable, Sendable {
    let id: Int64
    let orderid: String
    /// What the line has open: its quantity less what shipped.
    var qty: Int
    var pieces: [Piece]

    var placed: Int { pieces.reduce(0) { $0 + $1.qty } }
    /// The part of the line no batch holds: all of it for a line that waits whole, a rest for a partly placed one.
    var waiting: Int { qty - placed }
}

/// What the rules did, in order; the events and the rows written follow from these.
enum PieceChange: Equatable, Sendable {
    /// `qty` of the line was put on the batch (a new piece, or more on its piece there).
    case placed(lineID: Int64, batchref: String, qty: Int)
    /// `qty` of the line left the batch.
    case freed(lineID: Int64, batchref: String, qty: Int)
    /// The line began to wait for `qty` (it had no waiting part before).
    case startsWaiting(lineID: Int64, qty: Int)
}

/// One SKU's batches and the lines the rules may touch, with every change the rules make to them.
///
/// It holds what a command loaded: the batches with room (and the one being changed), and the lines with pieces
/// on the batches concerned or waiting. Every operation keeps each batch's `allocated` equal to the pieces it
/// holds and never over-allocates a batch, and records a ``PieceChange`` for each step.
struct SKUStock: Sendable {
    private(set) var batches: [Batch]
    private(set) var lines: [LineStock]
    let policy: SplitLines
    let today: Day
    private(set) var changes: [PieceChange] = []

    init(batches: [Batch], lines: [LineStock], policy: SplitLines, today: Day) {
        self.batches = batches
        self.lines = lines.sorted { $0.id < $1.id }
        self.policy = policy
        self.today = today
    }

    func line(_ id: Int64) -> LineStock? { lines.first { $0.id == id } }

    /// Adds a line that is not placed yet (a new line, or one being placed again) and places it.
    ///
    /// - Returns: where it went; its waiting part when not all of it found room.
    mutating func place(_ line: LineStock) throws -> Placement {
        try require(line.pieces.isEmpty, "line \(line.orderid) is placed already")
        try require(line.qty > 0, "line \(line.orderid) has quantity \(line.qty)")
        lines.append(line)
        lines.sort { $0.id < $1.id }
        try placeWaitingPart(of: line.id)
        let placed = self.line(line.id)?.pieces ?? []
        let waiting = self.line(line.id)?.waiting ?? line.qty
        if waiting > 0 { changes.append(.startsWaiting(lineID: line.id, qty: waiting)) }
        return Placement(pieces: placed, waiting: waiting)
    }

    /// Places what the waiting lines still wait for, oldest first; a line that finds no room is skipped, as a
    /// younger, smaller one may still fit.
    ///
    /// - Returns: the ids of the lines that got stock.
    @discardableResult
    mutating func fillWaiting() throws -> [Int64] {
        var filled: [Int64] = []
        for id in lines.filter({ $0.waiting > 0 }).map(\.id) where try placeWaitingPart(of: id) {
            filled.append(id)
        }
        return filled
    }

    /// Sets what line `id` has open to `qty`, keeping its place in the queue (its id). Less: the pieces last in
    /// placement rank give back the difference (so the line still completes as soon as it can), and the stock
    /// freed goes to no one here (the caller fills waiting lines). More: the extra is placed by the rules of a
    /// waiting part; under `never` the line is placed again whole (on one batch, or it waits whole), and under
    /// `batches` a line whose extra finds no room waits whole, its pieces freed.
    mutating func changeQuantity(of id: Int64, to qty: Int) throws {
        guard let index = lines.firstIndex(where: { $0.id == id }) else { return }
        try require(qty > 0, "line \(lines[index].orderid) cannot have quantity \(qty)")
        let waitedBefore = lines[index].waiting
        if qty < lines[index].placed {
            let rank = Dictionary(
                uniqueKeysWithValues: batches.map { ($0.reference, PlacementRank($0, today: today)) })
            let latestFirst = lines[index].pieces.sorted { a, b in
                guard let x = rank[a.batchref], let y = rank[b.batchref] else { return false }
                return y < x
            }
            var excess = lines[index].placed - qty
            for piece in latestFirst where excess > 0 {
                let taken = min(piece.qty, excess)
                try take(taken, of: id, from: piece.batchref)
                excess -= taken
            }
        }
        guard let current = lines.firstIndex(where: { $0.id == id }) else { return }
        lines[current].qty = qty
        if lines[current].waiting > 0 {
            if policy == .never, !lines[current].pieces.isEmpty {
                for piece in lines[current].pieces { try take(piece.qty, of: id, from: piece.batchref) }
            }
            try placeWaitingPart(of: id)
            if policy == .batches, let after = line(id), after.waiting > 0, !after.pieces.isEmpty {
                for piece in after.pieces { try take(piece.qty, of: id, from: piece.batchref) }
            }
        }
        if waitedBefore == 0, let after = line(id), after.waiting > 0 {
            changes.append(.startsWaiting(lineID: id, qty: after.waiting))
        }
        try ensure(
            (line(id)?.placed ?? 0) <= qty, "line \(lines[current].orderid) holds more than its quantity \(qty)")
        try ensure(batches.allSatisfy { $0.allocated <= $0.onHand }, "a batch of the SKU is over-allocated")
    }

    /// Frees every piece of the line: it then holds nothing and waits for nothing the rules track.
    mutating func free(_ id: Int64) throws {
        guard let index = lines.firstIndex(where: { $0.id == id }) else { return }
        for piece in lines[index].pieces { try take(piece.qty, of: id, from: piece.batchref) }
        lines.remove(at: index)
    }

    /// Puts line `id` on `pieces` instead of where it is: what it holds on each batch shrinks before anything
    /// grows, so no batch is over-allocated on the way; a batch that keeps its piece records no change.
    mutating func movePieces(of id: Int64, to pieces: [Piece]) throws {
        guard let line = line(id) else { return }
        try require(
            pieces.reduce(0) { $0 + $1.qty } == line.placed, "line \(line.orderid) must keep \(line.placed) placed")
        let old = Dictionary(line.pieces.map { ($0.batchref, $0.qty) }, uniquingKeysWith: +)
        let new = Dictionary(pieces.map { ($0.batchref, $0.qty) }, uniquingKeysWith: +)
        for piece in line.pieces where (new[piece.batchref] ?? 0) < piece.qty {
            try take(piece.qty - (new[piece.batchref] ?? 0), of: id, from: piece.batchref)
        }
        for piece in pieces where (old[piece.batchref] ?? 0) < piece.qty {
            try put(piece.qty - (old[piece.batchref] ?? 0), of: id, on: piece.batchref)
        }
    }

    /// Sets the batch's purchased quantity (never below what shipped from it), first come first served: the
    /// pieces on it stay oldest line first, each while it still fits in what is on hand; the pieces that must
    /// leave are placed again, oldest line first, by ``placement(of:among:policy:today:)``, and may themselves
    /// split.
    ///
    /// A displaced piece that finds no room: under `never` and `batches` the line waits whole (its other pieces
    /// are freed, and the stock they free goes to the waiting lines, oldest first); under `partial` only the
    /// part that found no room waits.
    mutating func changePurchased(of reference: String, to purchased: Int) throws {
        let index = try batchIndex(reference)
        try require(purchased >= 0, "batch \(reference) cannot have quantity \(purchased)")
        let shipped = batches[index].shipped
        guard purchased >= shipped else {
            throw AllocationError.batchBelowShipped(batch: reference, shipped: shipped, requested: purchased)
        }
        batches[index].purchased = purchased
        var kept = 0
        var displaced: [(id: Int64, qty: Int)] = []
        for line in lines {
            guard let piece = line.pieces.first(where: { $0.batchref == reference }) else { continue }
            if kept + piece.qty <= purchased - shipped {
                kept += piece.qty
            } else {
                displaced.append((line.id, piece.qty))
            }
        }
        for (id, qty) in displaced { try take(qty, of: id, from: reference) }
        try ensure(
            batches[index].allocated == kept, "batch \(reference) holds \(batches[index].allocated), not \(kept)")
        var freedOthers = false
        for (id, qty) in displaced {
            guard let line = line(id) else { continue }
            let waitedBefore = line.waiting - qty
            try placeWaitingPart(of: id)
            guard let after = self.line(id), after.waiting > 0 else { continue }
            if policy != .partial, !after.pieces.isEmpty {
                for piece in after.pieces { try take(piece.qty, of: id, from: piece.batchref) }
                freedOthers = true
            }
            if waitedBefore == 0 {
                changes.append(.startsWaiting(lineID: id, qty: self.line(id)?.waiting ?? after.waiting))
            }
        }
        if freedOthers { try fillWaiting() }
        try ensure(batches.allSatisfy { $0.allocated <= $0.onHand }, "a batch of the SKU is over-allocated")
    }

    /// Places the waiting part of line `id`: whole on a batch already holding a piece of it where it fits (a
    /// line never has more pieces than it needs), else by ``placement(of:among:policy:today:)``. Under
    /// `never` and `batches` a waiting part is placed all at once or not at all.
    ///
    /// - Returns: whether anything was placed.
    @discardableResult
    private mutating func placeWaitingPart(of id: Int64) throws -> Bool {
        guard let line = line(id), line.waiting > 0 else { return false }
        let rest = line.waiting
        let holding = Set(line.pieces.map(\.batchref))
        if let joined = rankedForPlacement(batches, today: today).first(where: {
            holding.contains($0.reference) && $0.available >= rest
        }) {
            try put(rest, of: id, on: joined.reference)
            return true
        }
        let plan = placement(of: rest, among: batches, policy: policy, today: today)
        for piece in plan.pieces { try put(piece.qty, of: id, on: piece.batchref) }
        return !plan.pieces.isEmpty
    }

    private mutating func put(_ qty: Int, of id: Int64, on reference: String) throws {
        let batch = try batchIndex(reference)
        guard let index = lines.firstIndex(where: { $0.id == id }) else { return }
        try require(qty > 0, "a piece of \(lines[index].orderid) must hold a positive quantity")
        try require(batches[batch].available >= qty, "batch \(reference) has no room for \(qty)")
        try require(lines[index].waiting >= qty, "line \(lines[index].orderid) waits for less than \(qty)")
        batches[batch].allocated += qty
        if let piece = lines[index].pieces.firstIndex(where: { $0.batchref == reference }) {
            lines[index].pieces[piece].qty += qty
        } else {
            lines[index].pieces.append(Piece(batchref: reference, qty: qty))
        }
        changes.append(.placed(lineID: id, batchref: reference, qty: qty))
    }

    private mutating func take(_ qty: Int, of id: Int64, from reference: String) throws {
        let batch = try batchIndex(reference)
        guard let index = lines.firstIndex(where: { $0.id == id }),
            let piece = lines[index].pieces.firstIndex(where: { $0.batchref == reference })
        else { return }
        try require(lines[index].pieces[piece].qty >= qty, "line \(lines[index].orderid) holds less on \(reference)")
        batches[batch].allocated -= qty
        lines[index].pieces[piece].qty -= qty
        if lines[index].pieces[piece].qty == 0 { lines[index].pieces.remove(at: piece) }
        changes.append(.freed(lineID: id, batchref: reference, qty: qty))
    }

    private func batchIndex(_ reference: String) throws -> Int {
        guard let index = batches.firstIndex(where: { $0.reference == reference }) else {
            throw AllocationError.unknownBatch(reference)
        }
        return index
    }
}
