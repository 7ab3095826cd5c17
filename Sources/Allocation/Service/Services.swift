/// The use cases: one function per command, each run inside the bus's transaction. Each loads the records it
/// needs (the product row and only the batches and lines it touches or that could take a line, never the SKU's
/// whole history: see ``Product``), lets the rules in `Logic` decide, saves the rows and returns the products' new
/// events.
enum Services {
    /// What every command is run with: the transaction's time (events and `waiting_since`) and whether stock that
    /// appears goes to waiting lines at once.
    struct Context {
        let now: String
        /// The date lateness is counted from (a batch whose ETA is before it is late).
        let today: Day
        let autoAllocate: Bool
        let splitLines: SplitLines
    }

    /// Inserts the batch before the rules see it: the UNIQUE reference is the one check, so two transactions
    /// of a server engine cannot both pass a read that found no such batch. The SKU's other batches are not read.
    ///
    /// A reference that is taken is read only then: the same batch (SKU, quantity and ETA, and shipped units
    /// when the command gives them) is answered as already there, changing nothing, so a re-run of a committed line is safe; another batch under that
    /// reference is refused. The insert skips a taken reference (`ON CONFLICT DO NOTHING`) rather than failing,
    /// since a failed statement would abort a server's transaction.
    static func createBatch(_ command: CreateBatch, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        let stored = try Product.loadVersion(sku: command.sku, in: db)
        var product = stored ?? Product(sku: command.sku)
        if stored == nil { try product.insert(into: db) }
        let new = Batch(
            reference: command.ref, sku: command.sku, purchased: command.qty, eta: command.eta,
            shipped: command.shipped ?? 0)
        guard let batch = try new.insertIfNew(into: db) else {
            let existing = try Batch.find(reference: command.ref, in: db)
            if let existing, let shipped = command.shipped, shipped != existing.shipped, existing.sku == new.sku {
                throw AllocationError.shippedDiffers(batch: command.ref, here: existing.shipped, given: shipped)
            }
            if let existing, command.updatesExisting, existing.sku == new.sku,
                existing.purchased != new.purchased || existing.eta != new.eta
            {
                return try update(existing, to: command, context: context, in: db)
            }
            guard let existing, existing.sku == new.sku, existing.purchased == new.purchased,
                existing.eta == new.eta
            else { throw AllocationError.duplicateBatch(command.ref) }
            return (
                .batchCreated(
                    reference: command.ref, sku: command.sku, skuIsNew: false, filled: [], wasAlreadyThere: true), []
            )
        }
        try product.add(batch)
        let filled = try fillWaitingLines(of: &product, if: context.autoAllocate, context: context, in: db)
        try product.saveVersion(in: db)
        return (
            .batchCreated(reference: command.ref, sku: command.sku, skuIsNew: stored == nil, filled: filled),
            product.events
        )
    }

    /// Allocation only takes stock, so it never fills waiting lines: the hot path reads no backorders, and of the
    /// batches only the preferred one that can take the line. A new line that a batch can take (the common case)
    /// is inserted without looking it up first; when the order has the line already, the insert changes nothing
    /// and the line is read and decided on as it is.
    ///
    /// When the preferred batch that can take the line is in the warehouse, every policy puts it there; else,
    /// unless `splitLines` is `never`, the SKU's batches with room are read and the line is placed by the
    /// placement rule, maybe in pieces (``allocateInPieces(_:_:product:context:in:)``).
    static func allocate(_ command: Allocate, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try loadProduct(sku: command.sku, in: db)
        let requested = OrderLine(orderid: command.orderid, sku: command.sku, qty: command.qty)
        try product.includeCandidates(for: [requested], limit: 1, in: db)
        let existing: OrderLine?
        if context.splitLines != .never, product.batches.first.map({ $0.eta != nil }) ?? true {
            existing = try OrderLine.find(orderid: command.orderid, sku: command.sku, in: db)
            if existing == nil {
                return try allocateInPieces(command, requested, product: product, context: context, in: db)
            }
        } else {
            var placed = product
            if let reference = try placed.allocate(requested), let line = try requested.insertIfNew(into: db) {
                let batch = placed.batch(reference)
                try line.savePiece(line.qty, on: batch, in: db)
                try placed.saveVersion(in: db)
                return (
                    .allocated(
                        batchReference: reference, wasAlreadyAllocated: false,
                        daysLate: batch?.daysLate(today: context.today) ?? 0),
                    placed.events
                )
            }
            existing = try OrderLine.find(orderid: command.orderid, sku: command.sku, in: db)
        }
        // A cancelled line gives way to the new one, which joins the back of the queue.
        if let cancelled = existing, cancelled.isCancelled {
            try cancelled.deleteCancelled(in: db)
            return try allocate(command, context: context, in: db)
        }
        var line = try lineToAllocate(requested: requested, existing: existing)
        if let current = line.batchReference {
            return (.allocated(batchReference: current, wasAlreadyAllocated: true), [])
        }
        // A line in pieces stays as the placement rule put it: placing it again would put it whole on one batch,
        // dropping its other pieces without their events. What waits of a stored line is placed by the rule.
        if line.id != nil, line.waitingPart > 0,
            context.splitLines != .never || line.shippedQty > 0 || !line.pieces.isEmpty
        {
            return try placeWaitingPart(of: line, product: product, context: context, in: db)
        }
        if !line.pieces.isEmpty {
            return (
                .allocatedInPieces(
                    orderid: line.orderid, sku: line.sku, qty: line.qty, pieces: line.pieces, waiting: 0,
                    wasAlreadyAllocated: true),
                []
            )
        }
        guard let reference = try product.allocate(line) else {
            let isNew = line.id == nil
            var ageRestarted = false
            if isNew {
                (line.waitingSince, ageRestarted) = try waitingStart(of: command, context: context, in: db)
                line = try line.insert(into: db)
                try product.saveVersion(in: db)
            }
            let room = try Batch.candidates(sku: line.sku, available: 1, in: db)
            let available = room.reduce(0) { $0 + $1.available }
            return (
                .waiting(
                    orderid: line.orderid, sku: line.sku, qty: line.qty, isNew: isNew,
                    room: available >= line.qty ? WaitingRoom(available: available, batches: room.count) : nil,
                    ageRestarted: ageRestarted),
                product.events
            )
        }
        if line.id == nil { line = try line.insert(into: db) }
        let batch = product.batch(reference)
        try line.saveAllocation(to: batch, in: db)
        try product.saveVersion(in: db)
        return (
            .allocated(
                batchReference: reference, wasAlreadyAllocated: false,
                daysLate: batch?.daysLate(today: context.today) ?? 0),
            product.events
        )
    }

    /// A new line placed by ``placement(of:among:policy:today:)`` among the SKU's batches with room: whole, in
    /// pieces (an `Allocated` event each), or waiting whole or in part (`OutOfStock` with what waits).
    private static func allocateInPieces(
        _ command: Allocate, _ requested: OrderLine, product: Product, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        var product = product
        let room = try Batch.candidates(sku: requested.sku, available: 1, in: db)
        let plan = placement(of: requested.qty, among: room, policy: context.splitLines, today: context.today)
        var line = requested
        var ageRestarted = false
        if plan.waiting > 0 {
            (line.waitingSince, ageRestarted) = try waitingStart(of: command, context: context, in: db)
        }
        line = try line.insert(into: db)
        for piece in plan.pieces {
            guard let batch = room.first(where: { $0.reference == piece.batchref }) else { continue }
            try line.savePiece(piece.qty, on: batch, in: db)
            product.events.append(
                .allocated(orderid: line.orderid, sku: line.sku, qty: piece.qty, batchref: piece.batchref))
        }
        if plan.waiting > 0 {
            product.events.append(.outOfStock(sku: line.sku, orderid: line.orderid, qty: plan.waiting))
        }
        product.bumpVersion()
        try product.saveVersion(in: db)
        let daysLate = lateBatches(of: plan.pieces, among: room, today: context.today)
        let outcome: Outcome =
            switch (plan.pieces.count, plan.waiting) {
            case (1, 0):
                .allocated(
                    batchReference: plan.pieces[0].batchref, wasAlreadyAllocated: false,
                    daysLate: daysLate[plan.pieces[0].batchref] ?? 0)
            case (0, _): .waiting(orderid: line.orderid, sku: line.sku, qty: line.qty, ageRestarted: ageRestarted)
            default:
                .allocatedInPieces(
                    orderid: line.orderid, sku: line.sku, qty: line.qty, pieces: plan.pieces, waiting: plan.waiting,
                    daysLate: daysLate, ageRestarted: ageRestarted)
            }
        return (outcome, product.events)
    }

    /// An `Allocate` of a line that waits (all of it, or the rest of one shipped in part), tried again: its waiting
    /// part is placed by the placement rule as stock appearing would place it, or it keeps waiting and nothing
    /// changes.
    private static func placeWaitingPart(
        of line: OrderLine, product: Product, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        var product = product
        var (stock, stored) = try stock(of: product, lines: [line], filling: false, context: context, in: db)
        try stock.fillWaiting()
        guard let id = line.id, let after = stock.line(id), !stock.changes.isEmpty else {
            let room = try Batch.candidates(sku: line.sku, available: 1, in: db)
            let available = room.reduce(0) { $0 + $1.available }
            return (
                .waiting(
                    orderid: line.orderid, sku: line.sku, qty: line.waitingPart, isNew: false,
                    room: available >= line.waitingPart
                        ? WaitingRoom(available: available, batches: room.count) : nil),
                []
            )
        }
        product.events += try save(stock, lines: stored, sku: line.sku, context: context, in: db)
        product.bumpVersion()
        try product.saveVersion(in: db)
        let daysLate = lateBatches(of: after.pieces, among: stock.batches, today: context.today)
        if after.pieces.count == 1, after.waiting == 0, line.shippedQty == 0 {
            return (
                .allocated(
                    batchReference: after.pieces[0].batchref, wasAlreadyAllocated: false,
                    daysLate: daysLate[after.pieces[0].batchref] ?? 0),
                product.events
            )
        }
        return (
            .allocatedInPieces(
                orderid: line.orderid, sku: line.sku, qty: line.open, pieces: after.pieces, waiting: after.waiting,
                daysLate: daysLate),
            product.events
        )
    }

    /// The late batches among those `pieces` are on, by reference, with how many days each is late.
    private static func lateBatches(of pieces: [Piece], among batches: [Batch], today: Day) -> [String: Int] {
        var late: [String: Int] = [:]
        for piece in pieces {
            let days = batches.first { $0.reference == piece.batchref }?.daysLate(today: today) ?? 0
            if days > 0 { late[piece.batchref] = days }
        }
        return late
    }

    static func changeBatchQuantity(
        _ command: ChangeBatchQuantity, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        var product = try loadProduct(ofBatch: command.ref, in: db)
        if let expected = command.expectedVersion, expected != product.version {
            throw AllocationError.changedMeanwhile(
                sku: product.sku, expectedVersion: expected, version: product.version)
        }
        try require(command.qty >= 0, "batch \(command.ref) cannot have quantity \(command.qty)")
        let batch = try product.batches[product.batchIndex(command.ref)]
        guard command.qty >= batch.shipped else {
            throw AllocationError.batchBelowShipped(batch: command.ref, shipped: batch.shipped, requested: command.qty)
        }
        let old = batch.purchased
        guard old != command.qty else {
            return (.quantityChanged(reference: command.ref, moved: [], filled: [], wasChanged: false), [])
        }
        product.events.append(.batchQuantityChanged(ref: command.ref, qty: command.qty))
        product.bumpVersion()
        let (moved, filled, delayed) = try changePurchased(
            of: command.ref, from: old, to: command.qty, before: product.batches[product.batchIndex(command.ref)],
            product: &product, context: context, in: db)
        try product.saveVersion(in: db)
        return (
            .quantityChanged(reference: command.ref, moved: moved, filled: filled, delayed: delayed), product.events
        )
    }

    /// What setting batch `reference`'s purchased quantity to `new` does, decided and not written: the rules with
    /// pieces (``SKUStock/changePurchased(of:to:)``), then the waiting lines filled when `autoAllocate` is on. The
    /// command and its preview both run this.
    static func plannedPurchaseChange(
        of reference: String, to new: Int, product: Product, context: Context, in db: Database
    ) throws -> (stock: SKUStock, stored: [OrderLine]) {
        let lines = try OrderLine.allocated(toBatch: reference, in: db)
        var (stock, stored) = try stock(
            of: product, lines: lines, filling: context.autoAllocate, context: context, in: db)
        try stock.changePurchased(of: reference, to: new)
        if context.autoAllocate { try stock.fillWaiting() }
        return (stock, stored)
    }

    /// Sets batch `reference`'s purchased quantity from `old` to `new` by the rules with pieces
    /// (``SKUStock/changePurchased(of:to:)``), fills waiting lines when `autoAllocate` is on, and writes it all:
    /// a batch that shrinks loses its pieces before its quantity, one that grows gets its quantity first, so the
    /// schema's `shipped + allocated <= purchased` holds after every statement. The lines that were on the batch
    /// (`before` the change) and are now later or wait are the delays, with their `OrdersDelayed` event.
    static func changePurchased(
        of reference: String, from old: Int, to new: Int, before: Batch, product: inout Product, context: Context,
        in db: Database
    ) throws -> (moves: [Move], filled: [LineOnBatch], delayed: [Delay]) {
        let (stock, stored) = try plannedPurchaseChange(
            of: reference, to: new, product: product, context: context, in: db)
        if new > old { try Batch.savePurchased(new, reference: reference, in: db) }
        product.events += try save(stock, lines: stored, sku: product.sku, context: context, in: db)
        if new < old { try Batch.savePurchased(new, reference: reference, in: db) }
        let onBatch = lineStocks(stored.filter { $0.pieces.contains { $0.batchref == reference } })
        let delayed = delays(
            of: reference, sku: product.sku, before: onBatch, batchBefore: before, after: stock.lines,
            batchesAfter: stock.batches, today: context.today, events: &product.events)
        let (moves, filled) = movesAndFills(stock, off: reference, lines: stored, sku: product.sku)
        return (moves, filled, delayed)
    }

    /// Cancels the line (``cancel(_:product:context:in:)``): its pieces are freed, its waiting part cancelled, and
    /// it stays listed as cancelled (or as shipped with the part that shipped).
    static func deallocate(_ command: Deallocate, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try productOfLine(orderid: command.orderid, sku: command.sku, in: db)
        let line = try existingLine(orderid: command.orderid, sku: command.sku, in: db)
        guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
        guard !line.isCancelled else { throw AllocationError.cancelledLine(orderid: line.orderid, sku: line.sku) }
        let outcome = try cancel(line, product: &product, context: context, in: db)
        return (outcome, product.events)
    }

    static func receiveBatch(_ command: ReceiveBatch, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try loadProduct(ofBatch: command.ref, in: db)
        if let expected = command.expectedVersion, expected != product.version {
            throw AllocationError.changedMeanwhile(
                sku: product.sku, expectedVersion: expected, version: product.version)
        }
        let index = try product.batchIndex(command.ref)
        guard product.batches[index].eta != nil else { throw AllocationError.alreadyInWarehouse(command.ref) }
        let before = product.batches[index]
        let old = before.purchased
        let received = command.qty ?? old
        try require(received >= 0, "batch \(command.ref) cannot have quantity \(received)")
        if let restEta = command.restEta {
            return try receive(
                command.ref, qty: received, restArrivingOn: restEta, product: product, context: context, in: db)
        }
        product.batches[index].eta = nil
        product.events.append(.batchReceived(ref: command.ref, qty: received))
        product.bumpVersion()
        try Batch.saveETA(nil, reference: command.ref, in: db)
        let (moved, filled, delayed) = try changePurchased(
            of: command.ref, from: old, to: received, before: before, product: &product, context: context, in: db)
        try product.saveVersion(in: db)
        return (
            .received(reference: command.ref, qty: received, moved: moved, filled: filled, delayed: delayed),
            product.events
        )
    }

    /// A new ETA frees no stock, so no waiting line is filled. A later one delays the lines on the batch whose
    /// expected day it makes later (read only then: an earlier ETA delays nothing).
    static func changeBatchEta(_ command: ChangeBatchEta, context: Context, in db: Database) throws -> (
        Outcome, [Event]
    ) {
        var product = try loadProduct(ofBatch: command.ref, in: db)
        let before = try product.batches[product.batchIndex(command.ref)]
        let changed = try product.changeEta(ofBatch: command.ref, to: command.eta)
        var delayed: [Delay] = []
        if changed {
            try Batch.saveETA(command.eta, reference: command.ref, in: db)
            let after = try product.batches[product.batchIndex(command.ref)]
            if after.availableDay(today: context.today) > before.availableDay(today: context.today) {
                let lines = try OrderLine.allocated(toBatch: command.ref, in: db)
                let others = try batches(holding: lines, in: db).filter { $0.reference != command.ref }
                let stocks = lineStocks(lines)
                delayed = delays(
                    of: command.ref, sku: product.sku, before: stocks, batchBefore: before, after: stocks,
                    batchesAfter: others + [after], today: context.today, events: &product.events)
            }
            try product.saveVersion(in: db)
        }
        return (
            .etaChanged(reference: command.ref, eta: command.eta, wasChanged: changed, delayed: delayed),
            product.events
        )
    }

    /// Ships every named line or none: a line that cannot ship refuses the whole command, naming each such line.
    /// Shipping takes stock out with its allocation, so no waiting line is filled.
    ///
    /// With `partial`, each line ships its pieces in the warehouse and stays open for the rest; a line with
    /// nothing in the warehouse is refused when named by its SKU, and left as it is when the whole order ships
    /// (the order is refused only when nothing of it can ship).
    ///
    /// The lines are read (and decided on) only once their SKUs' product rows are locked (``lockedLines(of:in:)``).
    static func ship(_ command: Ship, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var lines: [OrderLine]
        var products: [Product]
        if let sku = command.sku {
            let product = try productOfLine(orderid: command.orderid, sku: sku, in: db)
            let line = try existingLine(orderid: command.orderid, sku: sku, in: db)
            guard !line.isShipped else { throw AllocationError.shippedLine(orderid: line.orderid, sku: line.sku) }
            guard !line.isCancelled else { throw AllocationError.cancelledLine(orderid: line.orderid, sku: line.sku) }
            lines = [line]
            products = [product]
        } else {
            let (all, locked) = try lockedLines(of: command.orderid, in: db)
            guard !all.isEmpty else { throw try missing(orderid: command.orderid, sku: nil, in: db) }
            lines = all.filter(\.isOpen)
            guard !lines.isEmpty else { throw AllocationError.nothingToShip(orderid: command.orderid) }
            products = locked.filter { product in lines.contains { $0.sku == product.sku } }
        }
        for index in products.indices {
            try products[index].include(try batches(holding: lines.filter { $0.sku == products[index].sku }, in: db))
        }
        let problems = lines.compactMap { line in
            products.first { $0.sku == line.sku }.flatMap { $0.shippingProblem(line, partial: command.partial) }
        }
        var open: [OpenRest] = []
        if command.partial, command.sku == nil, problems.count < lines.count {
            let canShip = { (line: OrderLine) in
                products.first { $0.sku == line.sku }?.shippingProblem(line, partial: true) == nil
            }
            let untouched = lines.filter { !canShip($0) }
            lines = lines.filter(canShip)
            open = untouched.map {
                OpenRest(orderid: $0.orderid, sku: $0.sku, pieces: $0.pieces, waiting: $0.waitingPart)
            }
        } else if !problems.isEmpty {
            throw AllocationError.notShippable(problems)
        }
        var shipped: [LineOnBatch] = []
        for index in products.indices where lines.contains(where: { $0.sku == products[index].sku }) {
            for line in lines where line.sku == products[index].sku {
                let done = try products[index].ship(line, partial: command.partial)
                let pieces = done.map { Piece(batchref: $0.batchref, qty: $0.qty) }
                try line.saveShipment(pieces, at: context.now, in: db)
                for piece in done {
                    let batch = try products[index].batches[products[index].batchIndex(piece.batchref)]
                    try Batch.saveShipped(batch.shipped, reference: batch.reference, in: db)
                }
                let rest = line.pieces.filter { piece in !done.contains { $0.batchref == piece.batchref } }
                if !rest.isEmpty || line.waitingPart > 0 {
                    open.append(OpenRest(orderid: line.orderid, sku: line.sku, pieces: rest, waiting: line.waitingPart))
                }
                shipped += done
            }
            try products[index].saveVersion(in: db)
        }
        open.sort { $0.sku < $1.sku }
        return (.shipped(shipped, open: open), products.flatMap(\.events))
    }

    static func moveLine(_ command: MoveLine, context: Context, in db: Database) throws -> (Outcome, [Event]) {
        var product = try productOfLine(orderid: command.orderid, sku: command.sku, in: db)
        let line = try existingLine(orderid: command.orderid, sku: command.sku, in: db)
        guard !line.isCancelled else { throw AllocationError.cancelledLine(orderid: line.orderid, sku: line.sku) }
        if let target = try Batch.find(reference: command.batchref, in: db) {
            guard target.sku == command.sku else {
                throw AllocationError.wrongSKU(batch: command.batchref, batchSKU: target.sku, lineSKU: command.sku)
            }
            try product.include([target])
        }
        try product.include(try batches(holding: [line], in: db))
        let from = try product.move(line, to: command.batchref)
        var moved = line
        moved.batchReference = command.batchref
        try moved.saveAllocation(to: product.batch(command.batchref), in: db)
        let filled =
            from == nil ? [] : try fillWaitingLines(of: &product, if: context.autoAllocate, context: context, in: db)
        try product.saveVersion(in: db)
        return (
            .moved(orderid: line.orderid, sku: line.sku, from: from, to: command.batchref, filled: filled),
            product.events
        )
    }

    /// Fills waiting lines on demand, whatever `autoAllocate` says.
    static func allocateWaiting(
        _ command: AllocateWaiting, context: Context, in db: Database
    ) throws -> (Outcome, [Event]) {
        let skus: [String]
        if let sku = command.sku {
            guard try Views.productExists(sku: sku, in: db) else { throw AllocationError.invalidSKU(sku) }
            skus = [sku]
        } else {
            skus = try OrderLine.skusWithWaitingLines(in: db)
        }
        var filled: [LineOnBatch] = []
        var events: [Event] = []
        for sku in skus {
            var product = try loadProduct(sku: sku, in: db)
            filled += try fillWaitingLines(of: &product, if: true, context: context, in: db)
            if product.version != product.readVersion { try product.saveVersion(in: db) }
            events += product.events
        }
        return (.allocatedWaiting(filled), events)
    }

    /// The product `sku`, with no batch loaded yet.
    ///
    /// - Throws: `AllocationError.invalidSKU` when there is no such product.
    static func loadProduct(sku: String, in db: Database) throws -> Product {
        guard let product = try Product.loadVersion(sku: sku, in: db) else { throw AllocationError.invalidSKU(sku) }
        return product
    }

    /// The product holding the batch `reference`, with that batch alone loaded.
    ///
    /// - Throws: `AllocationError.unknownBatch` when there is no such batch.
    static func loadProduct(ofBatch reference: String, in db: Database) throws -> Product {
        guard let product = try Product.loadVersion(batchReference: reference, in: db) else {
            throw AllocationError.unknownBatch(reference)
        }
        return product
    }

    /// The lines of order `orderid`, read after the product rows of all their SKUs are locked, with those
    /// products (no batch loaded), in SKU order.
    ///
    /// The lines are read once to learn the SKUs, the rows are locked in SKU order (the one order every command
    /// takes several in, so two such commands cannot deadlock), and the lines are read again: what a command that
    /// held a row meanwhile did to them is seen. A line of a new SKU that appeared meanwhile has its row locked in
    /// turn, and the lines are read again.
    static func lockedLines(of orderid: String, in db: Database) throws -> ([OrderLine], [Product]) {
        var lines = try OrderLine.forOrder(orderid, in: db)
        var products: [Product] = []
        while true {
            let skus = Set(lines.map(\.sku)).filter { sku in !products.contains { $0.sku == sku } }
            guard !skus.isEmpty else { break }
            for sku in skus.sorted() { products.append(try loadProduct(sku: sku, in: db)) }
            lines = try OrderLine.forOrder(orderid, in: db)
        }
        return (lines, products.sorted { $0.sku < $1.sku })
    }

    /// The batches the allocated ones among `lines` are on, each read once by its reference.
    private static func batches(holding lines: [OrderLine], in db: Database) throws -> [Batch] {
        var references: [String] = []
        for reference in lines.flatMap(\.pieces).map(\.batchref) where !references.contains(reference) {
            references.append(reference)
        }
        return try references.compactMap { try Batch.find(reference: $0, in: db) }
    }

    /// Gives the product's stock to its waiting lines (and waiting rests), oldest first, when `enabled`: one
    /// indexed lookup when none waits.
    private static func fillWaitingLines(
        of product: inout Product, if enabled: Bool, context: Context, in db: Database
    ) throws -> [LineOnBatch] {
        guard enabled else { return [] }
        let waiting = try OrderLine.waiting(sku: product.sku, in: db)
        guard !waiting.isEmpty else { return [] }
        var (stock, stored) = try stock(of: product, lines: waiting, filling: false, context: context, in: db)
        try stock.fillWaiting()
        guard !stock.changes.isEmpty else { return [] }
        product.events += try save(stock, lines: stored, sku: product.sku, context: context, in: db)
        product.bumpVersion()
        return movesAndFills(stock, off: nil, lines: stored, sku: product.sku).filled
    }
}
