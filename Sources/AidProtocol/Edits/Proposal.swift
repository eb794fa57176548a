/// A proposed change to the workspace: the model's answer read as a multi-file diff, checked
/// against the text the daemon saw (unsaved buffers included), with whole-line edits per file.
/// The result of `edit/propose`, and of every diff in a `chat/send` answer.
public struct Proposal: Codable, Sendable, Equatable {
    /// Names the proposal in `edit/apply` and `edit/feedback`.
    public var proposalId: String
    /// The model's raw answer.
    public var text: String
    /// A git-style unified diff with `a/` and `b/` workspace-relative paths (empty when the
    /// answer held no applicable change).
    public var diff: String
    /// One entry per file the diff changes.
    public var files: [ProposedFile]
    /// Whether the diff applies to the text the daemon saw.
    public var applies: Bool
    /// Why it does not apply, when it does not.
    public var applyError: String?
    /// Whether a repair round ran (the first answer did not apply or could not be read).
    public var repaired: Bool
    /// The model that answered.
    public var model: String
    /// Its provider: `openai`, `anthropic` or `replay`.
    public var provider: String
    /// The prompt strategy, `name@version`.
    public var strategy: String
    /// The experiment the request was in, if any.
    public var experiment: String?
    /// The experiment arm, if any.
    public var arm: String?
    /// Tokens used, over every round.
    public var usage: ModelUsage
    /// How long the steps took.
    public var timings: ProposalTimings
    /// What context was sent.
    public var context: ProposalContextStats

    public init(proposalId: String, text: String, diff: String, files: [ProposedFile], applies: Bool, applyError: String? = nil,
                repaired: Bool, model: String, provider: String, strategy: String, experiment: String? = nil, arm: String? = nil,
                usage: ModelUsage, timings: ProposalTimings, context: ProposalContextStats) {
        self.proposalId = proposalId
        self.text = text
        self.diff = diff
        self.files = files
        self.applies = applies
        self.applyError = applyError
        self.repaired = repaired
        self.model = model
        self.provider = provider
        self.strategy = strategy
        self.experiment = experiment
        self.arm = arm
        self.usage = usage
        self.timings = timings
        self.context = context
    }
}

/// The change a proposal makes to one file.
public struct ProposedFile: Codable, Sendable, Equatable {
    /// Workspace-relative path (the new path of a rename).
    public var path: String
    /// The path before a rename.
    public var oldPath: String?
    /// `modified`, `added`, `deleted` or `renamed`.
    public var status: String
    /// Whole-line edits (character 0 at both ends) against the text the daemon saw, ascending and
    /// non-overlapping: apply them last to first.
    public var edits: [TextEdit]
    /// The whole proposed text; null when the file is deleted.
    public var newText: String?

    public init(path: String, oldPath: String? = nil, status: String, edits: [TextEdit], newText: String?) {
        self.path = path
        self.oldPath = oldPath
        self.status = status
        self.edits = edits
        self.newText = newText
    }

    // `newText` is written as null for a deleted file rather than left out.
    enum CodingKeys: String, CodingKey { case path, oldPath, status, edits, newText }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encodeIfPresent(oldPath, forKey: .oldPath)
        try container.encode(status, forKey: .status)
        try container.encode(edits, forKey: .edits)
        try container.encode(newText, forKey: .newText)
    }
}

/// Replace `range` by `newText`.
public struct TextEdit: Codable, Sendable, Equatable {
    public var range: EditorRange
    public var newText: String

    public init(range: EditorRange, newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// How long a proposal took, from the daemon reading the request.
public struct ProposalTimings: Codable, Sendable, Equatable {
    /// Gathering and packing the context.
    public var contextMs: Double
    /// Until the first text of the (first) answer; absent when none came.
    public var firstTokenMs: Double?
    /// Until the result was ready.
    public var totalMs: Double

    public init(contextMs: Double, firstTokenMs: Double?, totalMs: Double) {
        self.contextMs = contextMs
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
    }
}

/// The context a request sent.
public struct ProposalContextStats: Codable, Sendable, Equatable {
    /// Context items sent.
    public var items: Int
    /// Their tokens.
    public var tokens: Int
    /// Leading tokens identical to the previous request of the same client and workspace (what
    /// a provider's prompt cache can reuse); 0 for the first request.
    public var sharedPrefixTokens: Int

    public init(items: Int, tokens: Int, sharedPrefixTokens: Int) {
        self.items = items
        self.tokens = tokens
        self.sharedPrefixTokens = sharedPrefixTokens
    }
}
