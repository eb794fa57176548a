/// `context/preview`: the context `edit/propose` would send for a prompt, item by item, without
/// calling a model.
public struct ContextPreviewRequest: RPCRequest, EditorStateParams {
    public static let method = "context/preview"
    public typealias Result = ContextPreview

    /// The request the context is for.
    public var prompt: String
    public var workspaceRoot: String?
    public var file: String?
    public var cursor: EditorPosition?
    public var selection: EditorRange?
    public var buffers: [EditorBuffer]?
    /// The strategy whose prompt it is for (default as for `edit/propose`).
    public var strategy: String?
    /// The model whose window is the budget (default: the first of the `edit` route).
    public var model: String?
    /// When given, a cold workspace index reports its progress as `$/progress` with this token.
    public var workDoneToken: JSONValue?

    public init(prompt: String, workspaceRoot: String? = nil, file: String? = nil, cursor: EditorPosition? = nil,
                selection: EditorRange? = nil, buffers: [EditorBuffer]? = nil, strategy: String? = nil, model: String? = nil,
                workDoneToken: JSONValue? = nil) {
        self.prompt = prompt
        self.workspaceRoot = workspaceRoot
        self.file = file
        self.cursor = cursor
        self.selection = selection
        self.buffers = buffers
        self.strategy = strategy
        self.model = model
        self.workDoneToken = workDoneToken
    }
}

/// The answer to `context/preview`.
public struct ContextPreview: Codable, Sendable, Equatable {
    /// What would be sent, in order.
    public var items: [Item]
    /// Tokens of every item.
    public var totalTokens: Int
    /// Tokens available for context: the model's window less its answer's reserve.
    public var budgetTokens: Int
    /// The model whose window is the budget (`none` when no model is configured).
    public var model: String
    /// The strategy, `name@version`.
    public var strategy: String
    /// Items left out for lack of room (optional; absent when none).
    public var dropped: [Item]?

    public init(items: [Item], totalTokens: Int, budgetTokens: Int, model: String, strategy: String, dropped: [Item]? = nil) {
        self.items = items
        self.totalTokens = totalTokens
        self.budgetTokens = budgetTokens
        self.model = model
        self.strategy = strategy
        self.dropped = dropped
    }

    /// One piece of context.
    public struct Item: Codable, Sendable, Equatable {
        /// The provider that offered it: `cursor`, `retrieval`, `repoMap`, `diagnostics`, ...
        public var provider: String
        /// A heading naming its source, e.g. `calc.py:1-20 (around the cursor)`.
        public var title: String
        /// Workspace-relative path, when it comes from a file.
        public var path: String?
        /// Why it was chosen (or, for a dropped item, left out).
        public var reason: String
        public var tokens: Int
        /// Whether it stays the same across requests (sent first, cacheable).
        public var stable: Bool

        public init(provider: String, title: String, path: String? = nil, reason: String, tokens: Int, stable: Bool) {
            self.provider = provider
            self.title = title
            self.path = path
            self.reason = reason
            self.tokens = tokens
            self.stable = stable
        }
    }
}
