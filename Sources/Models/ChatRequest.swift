/// Who wrote a message of a conversation.
public enum ChatRole: String, Sendable, Hashable, Codable, CaseIterable {
    case system
    case user
    case assistant
}

/// One message of a conversation sent to a model.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote it.
    public var role: ChatRole
    /// Its text.
    public var content: String
    /// Whether this message belongs to the stable prefix of the prompt: the part that stays the same
    /// from one request to the next (system prompt, project context), which providers can cache.
    /// Only a leading run of stable messages counts: a stable message after an unstable one is not
    /// part of the prefix.
    public var stable: Bool

    public init(role: ChatRole, content: String, stable: Bool = false) {
        self.role = role
        self.content = content
        self.stable = stable
    }

    /// A system message.
    public static func system(_ content: String, stable: Bool = true) -> ChatMessage {
        ChatMessage(role: .system, content: content, stable: stable)
    }

    /// A user message.
    public static func user(_ content: String, stable: Bool = false) -> ChatMessage {
        ChatMessage(role: .user, content: content, stable: stable)
    }

    /// An assistant message.
    public static func assistant(_ content: String, stable: Bool = false) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, stable: stable)
    }
}

/// A request for a chat answer, independent of any provider or model.
public struct ChatRequest: Sendable, Hashable {
    /// The conversation, oldest first. System messages may appear anywhere; providers that take the
    /// system prompt separately (Anthropic) collect them in order.
    public var messages: [ChatMessage]
    /// Most tokens the answer may have; `nil` lets the model's `max_output_tokens` decide.
    public var maxTokens: Int?
    /// Sampling temperature; `nil` leaves the provider's default.
    public var temperature: Double?
    /// Sequences that end the answer when produced.
    public var stop: [String]
    /// Text the answer is expected to be close to (OpenAI "predicted outputs"); sent only to
    /// providers that support it.
    public var prediction: String?
    /// What the answer is for (`edit`, `chat`, `describe`, ...): chooses the route of models.
    public var task: String
    /// The prompt strategy used to build `messages`, when an experiment arm chose one.
    public var strategy: String?
    /// Whether the caller wants the answer as it is produced (the upstream call streams) or only
    /// whole (the upstream call is a plain JSON request and response, with no first-token or
    /// idle timeout: only the request's deadline bounds it). The gateway's events are the same
    /// either way; a whole answer arrives as one `delta`, then `usage` and `done`.
    public var stream: Bool

    public init(
        messages: [ChatMessage],
        task: String,
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        stop: [String] = [],
        prediction: String? = nil,
        strategy: String? = nil,
        stream: Bool = true
    ) {
        self.messages = messages
        self.task = task
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.stop = stop
        self.prediction = prediction
        self.strategy = strategy
        self.stream = stream
    }

    /// The number of leading messages that form the stable prefix.
    public var stablePrefixCount: Int {
        messages.prefix { $0.stable }.count
    }
}
