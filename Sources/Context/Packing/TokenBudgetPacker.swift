/// Fills the model's window (minus the output reserve) with the most
/// important items, then orders them so that consecutive requests share the
/// longest possible prefix.
///
/// Selection: required items first, then by descending priority (ties:
/// stable before volatile, then the send order), each taken if it fits in
/// what is left; an item whose lines are already mostly covered by a
/// taken item of the same file is left out as a duplicate.
///
/// Order: stable items first (instructions, repo map, related files — by
/// kind, then path, then line), volatile ones after (unsaved buffers,
/// recent edits, diff, retrieval hits, diagnostics, selection, cursor, the
/// prompt last). The order depends only on the items, never on the order
/// providers returned them in. The tokens of an item are those of its
/// ``ContextItem/rendered`` form; items are joined by one newline, counted
/// as one token each.
public struct TokenBudgetPacker: Sendable {
    /// Fraction of an item's lines already sent that makes it a duplicate.
    public var duplicateOverlap = 0.5

    public init() {}

    /// Chooses and orders `candidates` for `budget`; every candidate ends up sent or dropped.
    public func pack(_ candidates: [ContextItem], budget: TokenBudget) -> PackedContext {
        let available = budget.available
        var remaining = available
        var taken: [ContextItem] = []
        var dropped: [DroppedItem] = []
        for item in candidates.sorted(by: Self.selectionOrder) {
            let cost = item.tokenCount + 1
            if let cover = covering(item, in: taken) {
                dropped.append(DroppedItem(item: item, reason: "Its lines are already sent in \(cover.kind.title) \(Self.describe(cover))."))
                continue
            }
            guard cost <= remaining else {
                dropped.append(DroppedItem(item: item, reason:
                    "Needs \(cost) tokens but only \(remaining) of \(available) remain "
                    + "(window \(budget.contextWindow) − output reserve \(budget.outputReserve)); "
                    + "items with priority above \(item.priority) came first."))
                continue
            }
            remaining -= cost
            taken.append(item)
        }
        taken.sort(by: Self.sendOrder)
        let total = taken.reduce(0) { $0 + $1.tokenCount + 1 }
        let stable = taken.prefix { $0.stability == .stable }.reduce(0) { $0 + $1.tokenCount + 1 }
        dropped.sort { Self.sendOrder($0.item, $1.item) }
        return PackedContext(items: taken, dropped: dropped, budget: budget, totalTokens: total, stableTokens: stable)
    }

    /// Stable before volatile, then by kind, path, first line and identity.
    public static func sendOrder(_ lhs: ContextItem, _ rhs: ContextItem) -> Bool {
        let left = (lhs.stability == .stable ? 0 : 1, lhs.kind.order, lhs.path ?? "", lhs.lines?.start ?? 0)
        let right = (rhs.stability == .stable ? 0 : 1, rhs.kind.order, rhs.path ?? "", rhs.lines?.start ?? 0)
        if left != right { return left < right }
        return (lhs.identity, lhs.text) < (rhs.identity, rhs.text)
    }

    /// Required first, then priority, then stable first, then send order.
    static func selectionOrder(_ lhs: ContextItem, _ rhs: ContextItem) -> Bool {
        let leftRequired = lhs.priority >= ContextPriority.required, rightRequired = rhs.priority >= ContextPriority.required
        if leftRequired != rightRequired { return leftRequired }
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        if lhs.stability != rhs.stability { return lhs.stability == .stable }
        return sendOrder(lhs, rhs)
    }

    /// Kinds whose text is file content (and so can duplicate each other).
    private static let contentKinds: Set<ContextItemKind> = [.cursor, .selection, .retrieval, .relatedFile, .unsavedBuffer]

    private func covering(_ item: ContextItem, in taken: [ContextItem]) -> ContextItem? {
        guard Self.contentKinds.contains(item.kind), let path = item.path, let lines = item.lines else { return nil }
        var covered = 0
        var cover: ContextItem?
        for other in taken where other.path == path && Self.contentKinds.contains(other.kind) {
            guard let otherLines = other.lines else { continue }
            let overlap = lines.overlap(with: otherLines)
            if overlap > 0 {
                covered += overlap
                cover = cover ?? other
            }
        }
        return Double(covered) >= duplicateOverlap * Double(lines.count) ? cover : nil
    }

    private static func describe(_ item: ContextItem) -> String {
        guard let path = item.path else { return "" }
        return item.lines.map { "\(path):\($0.start)-\($0.end)" } ?? path
    }
}
