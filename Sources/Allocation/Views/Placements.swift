/// Where a new order line of a SKU would go now, by the rule that places it (``placement(of:among:policy:today:)``)
/// over the SKU's batches with room: its pieces in rank order, what would wait, and the room there is.
public struct PlacementPreview: Equatable, Sendable {
    public let sku: String
    public let qty: Int
    public let policy: SplitLines
    /// The pieces the line would be placed in, in rank order; empty when it would wait whole.
    public let pieces: [Piece]
    /// The part of the line that would wait (0 when all of it is placed).
    public let waiting: Int
    /// What the SKU's batches have room for together, and how many batches have room.
    public let available: Int
    public let batches: Int

    public init(
        sku: String, qty: Int, policy: SplitLines, pieces: [Piece], waiting: Int, available: Int, batches: Int
    ) {
        self.sku = sku
        self.qty = qty
        self.policy = policy
        self.pieces = pieces
        self.waiting = waiting
        self.available = available
        self.batches = batches
    }
}

extension Views {
    /// Where a new line of `qty` of `sku` would go under `policy` as of `today`, computed by the rule the
    /// allocation applies over the SKU's batches with room, read (not locked, nothing written) now.
    public static func placementPreview(
        sku: String, qty: Int, policy: SplitLines, today: Day, in db: Database
    ) throws -> PlacementPreview {
        let room = try Batch.candidates(sku: sku, available: 1, in: db)
        let plan = placement(of: qty, among: room, policy: policy, today: today)
        return PlacementPreview(
            sku: sku, qty: qty, policy: policy, pieces: plan.pieces, waiting: plan.waiting,
            available: room.reduce(0) { $0 + $1.available }, batches: room.count)
    }
}
