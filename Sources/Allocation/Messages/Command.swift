/// Add a batch of stock (a new SKU creates its product); waiting lines of the SKU are then filled.
public struct CreateBatch: Equatable, Sendable {
    public var ref: String
    public var sku: String
    public var qty: Int
    public var eta: Day?
    /// With a batch of the same reference and SKU there, set its quantity and ETA to these (an updated advance
    /// shipping notice, `import batches --update`) by ``ChangeBatchQuantity`` and ``ChangeBatchEta``'s rules, all
    /// or nothing; false refuses another batch under a reference that is taken.
    public var updatesExisting: Bool
    /// Units of it that already shipped, given only by `import batches` from an exported batch's `shipped`
    /// column: a new batch starts with them shipped (on hand `qty - shipped`); a batch that is there must have
    /// shipped as many. Nil when not given.
    public var shipped: Int?

    public init(
        ref: String, sku: String, qty: Int, eta: Day? = nil, updatesExisting: Bool = false, shipped: Int? = nil
    ) {
        self.ref = ref
        self.sku = sku
        self.qty = qty
        self.eta = eta
        self.updatesExisting = updatesExisting
        self.shipped = shipped
    }
}

/// Allocate an order line to the preferred batch that can take it, or keep it waiting for stock (a backorder).
public struct Allocate: Equatable, Sendable {
    public var orderid: String
    public var sku: String
    public var qty: Int
    /// When a new line that waits started waiting (a timestamp as ``Clock/timestamp()`` writes it, not in the
    /// future): given only by `import orders`, from an exported line's `waiting_since`. It is kept when no waiting
    /// line of the SKU started waiting later, so the queue stays oldest first; else the line waits from now
    /// (``Outcome/waiting(orderid:sku:qty:isNew:room:ageRestarted:)``). Nil: from now.
    public var waitingSince: String?

    public init(orderid: String, sku: String, qty: Int, waitingSince: String? = nil) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.waitingSince = waitingSince
    }
}

/// Set a batch's purchased quantity; lines that no longer fit move to other batches or wait, oldest first.
public struct ChangeBatchQuantity: Equatable, Sendable {
    public var ref: String
    public var qty: Int
    /// The product version a preview was computed at; the change is refused when the product moved on since.
    public var expectedVersion: Int?

    public init(ref: String, qty: Int, expectedVersion: Int? = nil) {
        self.ref = ref
        self.qty = qty
        self.expectedVersion = expectedVersion
    }
}

/// Free an order's line for a SKU and drop the line: an allocated line leaves its batch, a waiting one is cancelled.
public struct Deallocate: Equatable, Sendable {
    public var orderid: String
    public var sku: String

    public init(orderid: String, sku: String) {
        self.orderid = orderid
        self.sku = sku
    }
}

/// Record that an arriving batch is in the warehouse, with `qty` units when that differs from what was ordered.
/// With `restEta`, the units still missing (`qty` must be below what was ordered) become a new arriving batch
/// due that day instead of being cancelled.
public struct ReceiveBatch: Equatable, Sendable {
    public var ref: String
    public var qty: Int?
    public var restEta: Day?
    /// The product version a preview was computed at; the receipt is refused when the product moved on since.
    public var expectedVersion: Int?

    public init(ref: String, qty: Int? = nil, restEta: Day? = nil, expectedVersion: Int? = nil) {
        self.ref = ref
        self.qty = qty
        self.restEta = restEta
        self.expectedVersion = expectedVersion
    }
}

/// Change an arriving batch's ETA; its allocations stay where they are.
public struct ChangeBatchEta: Equatable, Sendable {
    public var ref: String
    public var eta: Day

    public init(ref: String, eta: Day) {
        self.ref = ref
        self.eta = eta
    }
}

/// Ship an order's allocated lines (or its line for `sku`) from batches in the warehouse. With `partial`, a line
/// with pieces still arriving or a part still waiting ships what is in the warehouse and stays open for the rest.
public struct Ship: Equatable, Sendable {
    public var orderid: String
    public var sku: String?
    public var partial: Bool

    public init(orderid: String, sku: String? = nil, partial: Bool = false) {
        self.orderid = orderid
        self.sku = sku
        self.partial = partial
    }
}

/// Move an allocated or waiting line to another batch of its SKU that can take it.
public struct MoveLine: Equatable, Sendable {
    public var orderid: String
    public var sku: String
    public var batchref: String

    public init(orderid: String, sku: String, batchref: String) {
        self.orderid = orderid
        self.sku = sku
        self.batchref = batchref
    }
}

/// Allocate waiting lines, oldest first, of one SKU or of every SKU.
public struct AllocateWaiting: Equatable, Sendable {
    public var sku: String?

    public init(sku: String? = nil) {
        self.sku = sku
    }
}

/// Cancel every open line of an order.
public struct CancelOrder: Equatable, Sendable {
    public var orderid: String

    public init(orderid: String) {
        self.orderid = orderid
    }
}

/// Change an open line's quantity (what the customer ordered, shipped part included), keeping its place in the
/// waiting queue.
public struct ChangeLine: Equatable, Sendable {
    public var orderid: String
    public var sku: String
    public var qty: Int

    public init(orderid: String, sku: String, qty: Int) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
    }
}

/// Take back a batch's last receipt while nothing has shipped from it: the batch is arriving again with the ETA
/// and quantity it had before, and a rest batch the receipt made is folded back into it.
public struct UnreceiveBatch: Equatable, Sendable {
    public var ref: String

    public init(ref: String) {
        self.ref = ref
    }
}

/// Remove a batch made by mistake, when nothing shipped from it: its lines are placed again by the rules or wait;
/// its events stay.
public struct VoidBatch: Equatable, Sendable {
    public var ref: String

    public init(ref: String) {
        self.ref = ref
    }
}

/// Move allocated lines of one SKU (or of every SKU), oldest first, to where they complete sooner by the
/// placement rule in force, never later; with `dryRun`, only say which would move.
public struct Replan: Equatable, Sendable {
    public var sku: String?
    public var dryRun: Bool

    public init(sku: String? = nil, dryRun: Bool = false) {
        self.sku = sku
        self.dryRun = dryRun
    }
}

/// Something an operator or a script asks for. Each command has exactly one handler.
public enum Command: Equatable, Sendable {
    case createBatch(CreateBatch)
    case allocate(Allocate)
    case changeBatchQuantity(ChangeBatchQuantity)
    case deallocate(Deallocate)
    case receiveBatch(ReceiveBatch)
    case changeBatchEta(ChangeBatchEta)
    case ship(Ship)
    case moveLine(MoveLine)
    case allocateWaiting(AllocateWaiting)
    case cancelOrder(CancelOrder)
    case changeLine(ChangeLine)
    case unreceiveBatch(UnreceiveBatch)
    case voidBatch(VoidBatch)
    case replan(Replan)

    /// The command with every text field in canonical form (``Validation/normalized(_:)``).
    public var normalized: Command {
        let n = Validation.normalized
        switch self {
        case .createBatch(let c):
            return .createBatch(
                CreateBatch(
                    ref: n(c.ref), sku: n(c.sku), qty: c.qty, eta: c.eta, updatesExisting: c.updatesExisting,
                    shipped: c.shipped))
        case .allocate(let c):
            return .allocate(Allocate(orderid: n(c.orderid), sku: n(c.sku), qty: c.qty, waitingSince: c.waitingSince))
        case .changeBatchQuantity(let c):
            return .changeBatchQuantity(
                ChangeBatchQuantity(ref: n(c.ref), qty: c.qty, expectedVersion: c.expectedVersion))
        case .deallocate(let c): return .deallocate(Deallocate(orderid: n(c.orderid), sku: n(c.sku)))
        case .receiveBatch(let c):
            return .receiveBatch(
                ReceiveBatch(ref: n(c.ref), qty: c.qty, restEta: c.restEta, expectedVersion: c.expectedVersion))
        case .changeBatchEta(let c): return .changeBatchEta(ChangeBatchEta(ref: n(c.ref), eta: c.eta))
        case .ship(let c): return .ship(Ship(orderid: n(c.orderid), sku: c.sku.map(n), partial: c.partial))
        case .moveLine(let c):
            return .moveLine(MoveLine(orderid: n(c.orderid), sku: n(c.sku), batchref: n(c.batchref)))
        case .allocateWaiting(let c): return .allocateWaiting(AllocateWaiting(sku: c.sku.map(n)))
        case .cancelOrder(let c): return .cancelOrder(CancelOrder(orderid: n(c.orderid)))
        case .changeLine(let c): return .changeLine(ChangeLine(orderid: n(c.orderid), sku: n(c.sku), qty: c.qty))
        case .unreceiveBatch(let c): return .unreceiveBatch(UnreceiveBatch(ref: n(c.ref)))
        case .voidBatch(let c): return .voidBatch(VoidBatch(ref: n(c.ref)))
        case .replan(let c): return .replan(Replan(sku: c.sku.map(n), dryRun: c.dryRun))
        }
    }

    /// Which command it is, without its fields: the one list of the commands and of their names.
    public enum Kind: String, CaseIterable, Sendable {
        case createBatch = "CreateBatch"
        case allocate = "Allocate"
        case changeBatchQuantity = "ChangeBatchQuantity"
        case deallocate = "Deallocate"
        case receiveBatch = "ReceiveBatch"
        case changeBatchEta = "ChangeBatchEta"
        case ship = "Ship"
        case moveLine = "MoveLine"
        case allocateWaiting = "AllocateWaiting"
        case cancelOrder = "CancelOrder"
        case changeLine = "ChangeLine"
        case unreceiveBatch = "UnreceiveBatch"
        case voidBatch = "VoidBatch"
        case replan = "Replan"
    }

    public var kind: Kind {
        switch self {
        case .createBatch: .createBatch
        case .allocate: .allocate
        case .changeBatchQuantity: .changeBatchQuantity
        case .deallocate: .deallocate
        case .receiveBatch: .receiveBatch
        case .changeBatchEta: .changeBatchEta
        case .ship: .ship
        case .moveLine: .moveLine
        case .allocateWaiting: .allocateWaiting
        case .cancelOrder: .cancelOrder
        case .changeLine: .changeLine
        case .unreceiveBatch: .unreceiveBatch
        case .voidBatch: .voidBatch
        case .replan: .replan
        }
    }

    /// The name used in JSON lines and messages.
    public var name: String { kind.rawValue }

    /// Every command's name, as `apply` accepts them.
    public static let names = Kind.allCases.map(\.rawValue)
}

/// What the SKU's batches together have room for, when a line waits though they could take it in pieces.
public struct WaitingRoom: Equatable, Sendable {
    public let available: Int
    public let batches: Int

    public init(available: Int, batches: Int) {
        self.available = available
        self.batches = batches
    }
}

/// What a command did, for the caller to report. Refusals are thrown (``AllocationError``), never returned: an
/// outcome is either done or accepted with lines left waiting for stock.
public enum Outcome: Equatable, Sendable {
    /// `skuIsNew`: the SKU had no product, so the batch created it (said by every front end, since a new SKU is
    /// often a mistyped or swapped argument); `filled`: waiting lines the new stock took. `wasAlreadyThere` is
    /// true when the same batch (reference, SKU, quantity and ETA) was there before and nothing changed: a
    /// re-run `CreateBatch` is answered, not refused.
    case batchCreated(
        reference: String, sku: String, skuIsNew: Bool, filled: [LineOnBatch], wasAlreadyThere: Bool = false)
    /// `wasAlreadyAllocated` is true when the same line was allocated before and nothing changed; `daysLate` is how
    /// many days the batch's ETA is past (0 for a batch that is not late).
    case allocated(batchReference: String, wasAlreadyAllocated: Bool, daysLate: Int = 0)
    /// No batch could take the line: it waits for stock (a backorder), with an `OutOfStock` event and notification
    /// when it is new (`isNew`; false when the line was already waiting and nothing changed). Accepted, not refused.
    ///
    /// `room` is set when the SKU's batches together could take the line, but only in pieces and the
    /// `splitLines` policy is `never`: the line waits though the SKU is not out of stock. `ageRestarted` is true
    /// when the command gave a ``Allocate/waitingSince`` that could not be kept: the line waits from now.
    case waiting(
        orderid: String, sku: String, qty: Int, isNew: Bool = true, room: WaitingRoom? = nil, ageRestarted: Bool = false
    )
    /// A line placed in several pieces, or partly placed with the rest waiting (`waiting` > 0, with an
    /// `OutOfStock` event for the rest). `wasAlreadyAllocated` is true when the same line was placed so before and
    /// nothing changed. `daysLate` holds, by reference, the late batches among the pieces' and how many days each is
    /// late. `ageRestarted`, as for ``waiting(orderid:sku:qty:isNew:room:ageRestarted:)``: the part that waits does
    /// so from now, though the command gave a ``Allocate/waitingSince``.
    case allocatedInPieces(
        orderid: String, sku: String, qty: Int, pieces: [Piece], waiting: Int, wasAlreadyAllocated: Bool = false,
        daysLate: [String: Int] = [:], ageRestarted: Bool = false)
    /// A move to nil left its line waiting; `wasChanged` is false (and `moved` empty) when the quantity was
    /// already that.
    /// `delayed`: the lines the change made later or left waiting (``Delay``).
    case quantityChanged(
        reference: String, moved: [Move], filled: [LineOnBatch], wasChanged: Bool = true, delayed: [Delay] = [])
    /// An allocated line left its batch and was dropped.
    /// `batchReference` names the line's batch, or its batches joined by `, ` for a line in pieces, which
    /// `pieces` lists (empty for a line wholly on one batch).
    /// `cancelled` is the part that waited and was cancelled with it; `shipped`, the part shipped before, which
    /// the line keeps as shipped (0: the line was dropped).
    case deallocated(
        batchReference: String, filled: [LineOnBatch], pieces: [Piece] = [], cancelled: Int = 0, shipped: Int = 0)
    /// A waiting line (`qty` waiting) was dropped, or kept as shipped with the `shipped` part shipped before.
    case cancelled(orderid: String, sku: String, qty: Int, shipped: Int = 0)
    /// The batch is in the warehouse with `qty` units; lines moved when that was less than ordered.
    /// `delayed`: the lines a short receipt made later or left waiting.
    case received(reference: String, qty: Int, moved: [Move], filled: [LineOnBatch], delayed: [Delay] = [])
    /// `wasChanged` is false when the batch already had that ETA; `delayed`, the lines a later ETA made later.
    case etaChanged(reference: String, eta: Day, wasChanged: Bool, delayed: [Delay] = [])
    /// The pieces shipped; `open`, the lines shipped in part, with what each still has open.
    case shipped([LineOnBatch], open: [OpenRest] = [])
    /// `from` is nil when the line was waiting.
    case moved(orderid: String, sku: String, from: String?, to: String, filled: [LineOnBatch])
    case allocatedWaiting([LineOnBatch])
    /// The order's open lines were cancelled (none when it had none: nothing changed); `filled`, the waiting
    /// lines the freed stock took.
    case orderCancelled(orderid: String, lines: [CancelledLine], filled: [LineOnBatch])
    /// The line's quantity went from `from` to `to`; `pieces` and `waiting` are where its open part is now, and
    /// `filled` the other lines' waiting parts the stock it gave back took. `wasChanged` is false for the same
    /// quantity.
    case lineChanged(
        orderid: String, sku: String, from: Int, to: Int, pieces: [Piece], waiting: Int, filled: [LineOnBatch],
        wasChanged: Bool = true)
    /// The batch is in the warehouse with `qty` units, less than ordered; the rest is the new arriving batch
    /// `rest`. Lines that left the batch went where the rules put them (the rest batch among others) or wait.
    /// `delayed`, the lines the short receipt made later or left waiting.
    case receivedWithRest(
        reference: String, qty: Int, rest: RestBatch, moved: [Move], filled: [LineOnBatch], delayed: [Delay] = [])
    /// The batch's receipt was taken back: it is arriving again on `eta` with `qty` units; `removedRest` names the
    /// rest batch the receipt made, folded back into it. `moved` lists the lines that left the batch or the rest.
    case unreceived(
        reference: String, qty: Int, eta: Day, removedRest: String?, moved: [Move], filled: [LineOnBatch])
    /// The batch is gone; its lines went where the rules put them, or wait.
    case batchVoided(reference: String, moved: [Move], filled: [LineOnBatch])
    /// The lines re-planning moved, oldest first per SKU; with `dryRun`, those it would move (nothing changed).
    case replanned([ReplannedLine], dryRun: Bool)

    /// Whether the command changed the database (wrote a row or an event): false for a command that found its
    /// work already done, such as an identical `Allocate` or `CreateBatch`, a retried waiting line that still
    /// waits, a quantity or ETA a batch already had, or `AllocateWaiting` that filled nothing.
    public var changed: Bool {
        switch self {
        case .batchCreated(_, _, _, _, let wasAlreadyThere): !wasAlreadyThere
        case .allocated(_, let wasAlreadyAllocated, _): !wasAlreadyAllocated
        case .waiting(_, _, _, let isNew, _, _): isNew
        case .allocatedInPieces(_, _, _, _, _, let wasAlreadyAllocated, _, _): !wasAlreadyAllocated
        case .quantityChanged(_, _, _, let wasChanged, _), .etaChanged(_, _, let wasChanged, _): wasChanged
        case .allocatedWaiting(let filled): !filled.isEmpty
        case .deallocated, .cancelled, .received, .shipped, .moved, .receivedWithRest, .unreceived, .batchVoided:
            true
        case .orderCancelled(_, let lines, _): !lines.isEmpty
        case .lineChanged(_, _, _, _, _, _, _, let wasChanged): wasChanged
        case .replanned(let lines, let dryRun): !dryRun && !lines.isEmpty
        }
    }

    /// Whether any line ended waiting for stock: the outcome a script tells apart from "allocated".
    public var leftLinesWaiting: Bool {
        switch self {
        case .waiting: true
        case .allocatedInPieces(_, _, _, _, let waiting, _, _, _): waiting > 0
        case .quantityChanged(_, let moved, _, _, _), .received(_, _, let moved, _, _),
            .receivedWithRest(_, _, _, let moved, _, _), .unreceived(_, _, _, _, let moved, _),
            .batchVoided(_, let moved, _):
            moved.contains { $0.to == nil }
        case .lineChanged(_, _, _, _, _, let waiting, _, _): waiting > 0
        case .batchCreated, .allocated, .deallocated, .cancelled, .etaChanged, .shipped, .moved, .allocatedWaiting,
            .orderCancelled, .replanned:
            false
        }
    }
}

/// A line an order cancellation ended: its SKU, the open quantity cancelled, the pieces it held (freed), and the
/// part shipped before, which stays shipped.
public struct CancelledLine: Equatable, Sendable {
    public let sku: String
    public let qty: Int
    public let pieces: [Piece]
    public let shipped: Int

    public init(sku: String, qty: Int, pieces: [Piece], shipped: Int = 0) {
        self.sku = sku
        self.qty = qty
        self.pieces = pieces
        self.shipped = shipped
    }

    /// The part of the cancelled quantity that was waiting (no piece held it).
    public var waiting: Int { qty - pieces.reduce(0) { $0 + $1.qty } }
}

/// The arriving batch a receipt with a rest ETA made of the units that did not come.
public struct RestBatch: Equatable, Sendable {
    public let reference: String
    public let qty: Int
    public let eta: Day

    public init(reference: String, qty: Int, eta: Day) {
        self.reference = reference
        self.qty = qty
        self.eta = eta
    }
}

/// What a line shipped in part still has open: its pieces on arriving batches and its waiting part.
public struct OpenRest: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let pieces: [Piece]
    public let waiting: Int

    public init(orderid: String, sku: String, pieces: [Piece], waiting: Int) {
        self.orderid = orderid
        self.sku = sku
        self.pieces = pieces
        self.waiting = waiting
    }

    /// The units still open.
    public var qty: Int { pieces.reduce(waiting) { $0 + $1.qty } }
}

/// A line moved off a batch: to another batch, or to none (`to` nil) when no batch could take it and it waits.
public struct Move: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let qty: Int
    public let from: String
    public let to: String?

    public init(orderid: String, sku: String, qty: Int, from: String, to: String?) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.from = from
        self.to = to
    }
}

/// An order line with the batch it concerns: the batch a waiting line got stock from (`filled`), or the one it
/// shipped from.
public struct LineOnBatch: Equatable, Sendable {
    public let orderid: String
    public let sku: String
    public let qty: Int
    public let batchref: String

    public init(orderid: String, sku: String, qty: Int, batchref: String) {
        self.orderid = orderid
        self.sku = sku
        self.qty = qty
        self.batchref = batchref
    }
}
