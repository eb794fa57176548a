/// `chat/send`: one turn of a conversation about the workspace, streamed as `chat/delta`; every
/// diff in the answer becomes a ``Proposal``.
public struct ChatSendRequest: RPCRequest, EditorStateParams {
    public static let method = "chat/send"
    public typealias Result = ChatReply

    /// The developer's message.
    public var message: String
    public var workspaceRoot: String?
    public var file: String?
    public var cursor: EditorPosition?
    public var selection: EditorRange?
    public var buffers: [EditorBuffer]?
    /// Continues a conversation the daemon knows.
    public var conversationId: String?
    /// The earlier turns, for a conversation the daemon does not know (reopened from a file).
    public var history: [ModelMessage]?
    /// A model id to use instead of the `chat` route; no experiment applies then.
    public var model: String?
    /// The token `chat/delta` notifications carry (default: this request's id).
    public var streamToken: JSONValue?
    /// When given, a cold workspace index reports its progress as `$/progress` with this token.
    public var workDoneToken: JSONValue?

    public init(message: String, workspaceRoot: String? = nil, file: String? = nil, cursor: EditorPosition? = nil,
                selection: EditorRange? = nil, buffers: [EditorBuffer]? = nil, conversationId: String? = nil,
                history: [ModelMessage]? = nil, model: String? = nil, streamToken: JSONValue? = nil, workDoneToken: JSONValue? = nil) {
        self.message = message
        self.workspaceRoot = workspaceRoot
        self.file = file
        self.cursor = cursor
        self.selection = selection
        self.buffers = buffers
        self.conversationId = conversationId
        self.history = history
        self.model = model
        self.streamToken = streamToken
        self.workDoneToken = workDoneToken
    }
}

/// The answer to `chat/send`.
public struct ChatReply: Codable, Sendable, Equatable {
    /// Send it with the next turn to continue the conversation.
    public var conversationId: String
    /// The answer (Markdown).
    public var text: String
    /// One proposal per file a diff in the answer changes.
    public var proposals: [Proposal]
    public var model: String
    public var provider: String
    public var experiment: String?
    public var arm: String?
    public var usage: ModelUsage
    public var timings: ProposalTimings

    public init(conversationId: String, text: String, proposals: [Proposal], model: String, provider: String,
                experiment: String? = nil, arm: String? = nil, usage: ModelUsage, timings: ProposalTimings) {
        self.conversationId = conversationId
        self.text = text
        self.proposals = proposals
        self.model = model
        self.provider = provider
        self.experiment = experiment
        self.arm = arm
        self.usage = usage
        self.timings = timings
    }
}
