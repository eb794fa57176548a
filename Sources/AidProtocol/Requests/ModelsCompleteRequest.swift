/// `models/complete`: asks the models of a task's route for an answer to a conversation,
/// streaming it to the requesting client as `models/delta` notifications.
public struct ModelsCompleteRequest: RPCRequest {
    public static let method = "models/complete"
    public typealias Result = ModelCompletion

    /// What the answer is for; chooses the route of models (default `chat`).
    public var task: String?
    /// The conversation, oldest first.
    public var messages: [ModelMessage]
    /// Most tokens the answer may have (default: the model's `max_output_tokens`).
    public var maxTokens: Int?
    /// Sampling temperature (default: the provider's).
    public var temperature: Double?
    /// A model id to use instead of the task's route; no experiment applies then.
    public var model: String?
    /// Whether to send the answer as `models/delta` notifications while it arrives (default true).
    /// With false the upstream call is not streamed either (bounded by the deadline only).
    public var stream: Bool?
    /// The token `models/delta` notifications carry (default: this request's id).
    public var streamToken: JSONValue?

    public init(task: String? = nil, messages: [ModelMessage], maxTokens: Int? = nil, temperature: Double? = nil,
                model: String? = nil, stream: Bool? = nil, streamToken: JSONValue? = nil) {
        self.task = task
        self.messages = messages
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.model = model
        self.stream = stream
        self.streamToken = streamToken
    }
}

/// One message of a conversation.
public struct ModelMessage: Codable, Sendable, Equatable {
    /// `system`, `user` or `assistant`.
    public var role: String
    /// Its text.
    public var content: String

    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// The answer to `models/complete`.
public struct ModelCompletion: Codable, Sendable, Equatable {
    /// The id under which the request's model calls are recorded (for feedback and metrics).
    public var requestId: String
    /// The whole answer.
    public var text: String
    /// The id of the model that answered.
    public var model: String
    /// Its provider: `openai`, `anthropic` or `replay`.
    public var provider: String
    /// The experiment the request was in, if any.
    public var experiment: String?
    /// The experiment arm the request was in, if any.
    public var arm: String?
    /// Why the answer ended: `stop`, `length`, `stop_sequence`, `content_filter`, `tool_use`, or the
    /// provider's own word.
    public var finishReason: String
    /// Tokens the answering call used.
    public var usage: ModelUsage
    /// How long it took.
    public var timings: ModelTimings
    /// Calls made, retries and fallbacks included (1 when the first model answered at once).
    public var attempts: Int

    public init(requestId: String, text: String, model: String, provider: String, experiment: String? = nil, arm: String? = nil,
                finishReason: String, usage: ModelUsage, timings: ModelTimings, attempts: Int) {
        self.requestId = requestId
        self.text = text
        self.model = model
        self.provider = provider
        self.experiment = experiment
        self.arm = arm
        self.finishReason = finishReason
        self.usage = usage
        self.timings = timings
        self.attempts = attempts
    }
}

/// Tokens a model call used.
public struct ModelUsage: Codable, Sendable, Equatable {
    /// Every prompt token, cached ones included.
    public var inputTokens: Int
    /// Tokens of the answer.
    public var outputTokens: Int
    /// Prompt tokens read from the provider's cache.
    public var cachedInputTokens: Int

    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
    }
}

/// How long a request took, from the daemon reading it.
public struct ModelTimings: Codable, Sendable, Equatable {
    /// Until the first text of the answer (absent when none came).
    public var firstTokenMs: Double?
    /// Until the answer was complete.
    public var totalMs: Double

    public init(firstTokenMs: Double?, totalMs: Double) {
        self.firstTokenMs = firstTokenMs
        self.totalMs = totalMs
    }
}
