import GRDB

/// One row of the `edit_proposal` table: a proposal made by `edit/propose` or found in a
/// `chat/send` answer, with what produced it and how it went.
public struct ProposalRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "edit_proposal"

    /// The proposal id.
    public var id: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// The JSON-RPC id of the request, as JSON text.
    public var requestId: String
    /// The request id of its model calls (in `model_call`, `experiment_assignment` and `feedback`):
    /// the proposal id for `edit/propose`, the answer's for proposals of a chat answer.
    public var modelRequestId: String
    /// `edit` or `chat`.
    public var task: String
    /// The workspace root.
    public var workspace: String
    /// The client's name from `initialize`.
    public var client: String?
    /// The chat conversation, for proposals from `chat/send`.
    public var conversationId: String?
    /// SHA-256 (hex) of the developer's prompt; the prompt itself is not stored.
    public var promptHash: String
    /// `name@version`.
    public var strategy: String
    public var model: String
    public var provider: String
    public var experiment: String?
    public var arm: String?
    /// The proposed diff.
    public var diff: String
    public var applies: Bool
    public var applyError: String?
    public var repaired: Bool
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    public var contextMs: Double
    public var firstTokenMs: Double?
    public var totalMs: Double
    public var contextItems: Int
    public var contextTokens: Int
    public var sharedPrefixTokens: Int

    public init(id: String, createdAt: Double, requestId: String, modelRequestId: String, task: String, workspace: String, client: String?,
                conversationId: String?, promptHash: String, strategy: String, model: String, provider: String,
                experiment: String?, arm: String?, diff: String, applies: Bool, applyError: String?, repaired: Bool,
                inputTokens: Int, outputTokens: Int, cachedInputTokens: Int, contextMs: Double, firstTokenMs: Double?,
                totalMs: Double, contextItems: Int, contextTokens: Int, sharedPrefixTokens: Int) {
        self.id = id
        self.createdAt = createdAt
        self.requestId = requestId
        self.modelRequestId = modelRequestId
        self.task = task
        self.workspace = workspace
        self.client = client
        self.conversationId = conversationId
        self.promptHash = promptHash
        self.strategy = strategy
        self.model = model
        self.provider = provider
        self.experiment = experiment
        self.arm = arm
        self.diff = diff
        self.applies = applies
        self.applyError = applyError
        self.repaired = repaired
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.contextMs = contextMs
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
        self.contextItems = contextItems
        self.contextTokens = contextTokens
        self.sharedPrefixTokens = sharedPrefixTokens
    }
}
