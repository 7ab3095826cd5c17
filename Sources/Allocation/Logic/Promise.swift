/// The promise for a new order line, as a pure function on values: where allocating it now would put it, and the
/// day it would then be complete.

/// A piece of a promised line: the batch allocating now would put it on, how much, and the batch's ETA (nil in
/// the warehouse).
public struct PromisedPiece: Equatable, Sendable {
    public let batchref: String
    public let qty: Int
    public let eta: Day?
    /// The batch's ETA is before today: it has not come and its date is unknown.
    public let isLate: Bool

    public init(batchref: String, qty: Int, eta: Day?, isLate: Bool) {
        self.batchref = batchref
        self.qty = qty
        self.eta = eta
        self.isLate = isLate
    }
}

/// When a new line of `qty` of a SKU would be complete if it were allocated now (``promise(of:sku:among:
/// waitingBefore:policy:today:)``), or why that cannot be said.
public struct Promise: Equatable, Sendable {
    public let sku: String
    public let qty: Int
    /// The day the promise was made for, by the `clock` setting.
    public let today: Day
    public let policy: SplitLines
    /// Where allocating now would put the line, in placement rank; empty when it would wait whole.
    public let pieces: [PromisedPiece]
    /// The units that would wait (0 when all of it is placed).
    public let waiting: Int
    /// The day the line would be complete: the latest of its pieces' days (today in the warehouse, else the ETA);
    /// nil when it cannot be promised (a part would wait, or a piece would be on a late batch, whose date is
    /// unknown).
    public let date: Day?
    /// The room in all the SKU's batches, and how many of them have room.
    public let available: Int
    public let batchesWithRoom: Int
    /// The units the SKU's waiting lines wait for: the lines before this one in the queue.
    public let waitingBefore: Int

    public init(
        sku: String, qty: Int, today: Day, policy: SplitLines, pieces: [PromisedPiece], waiting: Int, date: Day?,
        available: Int, batchesWithRoom: Int, waitingBefore: Int
    ) {
        self.sku = sku
        self.qty = qty
        self.today = today
        self.policy = policy
        self.pieces = pieces
        self.waiting = waiting
        self.date = date
        self.available = available
        self.batchesWithRoom = batchesWithRoom
        self.waitingBefore = waitingBefore
    }

    public var isPromised: Bool { date != nil }

    /// What is promised, after the line it is for: `in stock now (B-1, B-2)`, `2027-01-12 (arriving W-7), in 37
    /// days`, or `cannot be promised: 12 available in all batches, 40 units waiting before it`.
    public var summary: String {
        if let date {
            let arriving = pieces.filter { $0.eta != nil }.map(\.batchref)
            guard !arriving.isEmpty else {
                return "in stock now (" + pieces.map(\.batchref).joined(separator: ", ") + ")"
            }
            let days = today.days(until: date)
            let when = days == 0 ? "today" : days == 1 ? "in 1 day" : "in \(days) days"
            return "\(date) (arriving " + arriving.joined(separator: ", ") + "), \(when)"
        }
        let late = pieces.filter(\.isLate)
        if waiting == 0, !late.isEmpty {
            let batches = late.map { "\($0.batchref) (due \($0.eta?.description ?? "?"))" }
            return late.count == 1
                ? "cannot be promised: it would be on late batch \(batches[0]), whose date is unknown"
                : "cannot be promised: it would be on late batches \(batches.joined(separator: ", ")), "
                    + "whose dates are unknown"
        }
        let units = waitingBefore == 1 ? "1 unit" : "\(waitingBefore) units"
        let room = "cannot be promised: \(available) available in all batches, \(units) waiting before it"
        guard policy == .never, available >= qty else { return room }
        return room + "; no single batch can take \(qty) (splitLines is never)"
    }

    /// `TV x30: 2027-01-12 (arriving W-7), in 37 days`.
    public var line: String { "\(sku) x\(qty): \(summary)" }

    /// `{"sku","qty","date","batches":[{"batchref","qty","eta"}],"available","waitingBefore"}`: `date` null when it
    /// cannot be promised, `eta` null for a batch in the warehouse.
    public var json: String {
        var json = JSONObjectWriter()
        json.add("sku", sku)
        json.add("qty", qty)
        json.add("date", date?.description)
        let batches = pieces.map { piece in
            var batch = JSONObjectWriter()
            batch.add("batchref", piece.batchref)
            batch.add("qty", piece.qty)
            batch.add("eta", piece.eta?.description)
            return batch.text
        }
        json.addRaw("batches", jsonArray(batches))
        json.add("available", available)
        json.add("waitingBefore", waitingBefore)
        return json.text
    }
}

/// The promise for a new line of `qty` of `sku`, allocated now among `batches` (the SKU's batches, with what they
/// have room for) under `policy` as of `today`.
///
/// The line is placed by ``placement(of:among:policy:today:)``, the rule `allocate` applies to a new line, so the
/// promise is what allocating would do. A new line takes the room batches have now and never what a waiting line
/// holds; the waiting lines before it (`waitingBefore` units) hold no room, since stock that appears goes to them
/// first (or, with `autoAllocate` off, waits for `allocate-waiting`, which `allocate` goes past as well).
///
/// The date is the latest day among the pieces: today for a batch in the warehouse, else its ETA. A piece on a
/// late batch (an ETA before today, not received) backs no promise: the batch's real date is unknown. A line
/// that would wait, whole or in part, cannot be promised either.
func promise(
    of qty: Int, sku: String, among batches: [Batch], waitingBefore: Int, policy: SplitLines, today: Day
) -> Promise {
    let room = batches.filter { $0.available > 0 }
    let plan = placement(of: qty, among: room, policy: policy, today: today)
    let pieces = plan.pieces.map { piece in
        let batch = room.first { $0.reference == piece.batchref }
        return PromisedPiece(
            batchref: piece.batchref, qty: piece.qty, eta: batch?.eta, isLate: batch?.isLate(today: today) ?? false)
    }
    let date =
        pieces.contains(where: \.isLate)
        ? nil : expectedDay(pieces: plan.pieces, waiting: plan.waiting, batches: room, today: today)
    return Promise(
        sku: sku, qty: qty, today: today, policy: policy, pieces: pieces, waiting: plan.waiting, date: date,
        available: room.reduce(0) { $0 + $1.available }, batchesWithRoom: room.count, waitingBefore: waitingBefore)
}
