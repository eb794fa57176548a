/// The outcome of packing: what is sent, in order, and what was left out.
public struct PackedContext: Sendable, Hashable {
    /// Items to send, in order: stable ones first, volatile ones last.
    public var items: [ContextItem]
    /// Items left out, each with the reason.
    public var dropped: [DroppedItem]
    /// The budget packed against.
    public var budget: TokenBudget
    /// Tokens of the sent items.
    public var totalTokens: Int
    /// Tokens of the leading stable items (the part meant to be shared between requests).
    public var stableTokens: Int
    /// Tokens at the start identical to the previous packed request of the same
    /// session (nil without a session or a previous request).
    public var sharedPrefixTokens: Int?
    /// Providers that failed, with their errors; the rest of the context is still packed.
    public var problems: [String]
    /// Milliseconds each provider took, in registration order, then `tokens` (counting) and
    /// `pack`: where the time of a request went. Not part of equality: two packings of the
    /// same context are equal however long they took.
    public var timings: [ProviderTiming] {
        get { measured.timings }
        set { measured.timings = newValue }
    }
    private var measured = Measured()

    /// Timings that every instance considers equal.
    private struct Measured: Sendable, Hashable {
        var timings: [ProviderTiming] = []
        static func == (lhs: Measured, rhs: Measured) -> Bool { true }
        func hash(into hasher: inout Hasher) {}
    }

    public init(items: [ContextItem], dropped: [DroppedItem], budget: TokenBudget, totalTokens: Int, stableTokens: Int,
                sharedPrefixTokens: Int? = nil, problems: [String] = []) {
        self.items = items
        self.dropped = dropped
        self.budget = budget
        self.totalTokens = totalTokens
        self.stableTokens = stableTokens
        self.sharedPrefixTokens = sharedPrefixTokens
        self.problems = problems
    }

    /// The text sent to the model: every item rendered, in order.
    public var text: String { items.map(\.rendered).joined(separator: "\n") }
}

/// An item the packer left out.
public struct DroppedItem: Sendable, Hashable {
    /// The item as the provider offered it.
    public var item: ContextItem
    /// Why, as a sentence.
    public var reason: String

    public init(item: ContextItem, reason: String) {
        self.item = item
        self.reason = reason
    }
}

/// How long one stage of packing took.
public struct ProviderTiming: Sendable, Hashable {
    public var name: String
    public var milliseconds: Double
    public init(name: String, milliseconds: Double) {
        self.name = name
        self.milliseconds = milliseconds
    }
}
