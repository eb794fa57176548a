/// Why a model stopped answering.
public enum FinishReason: Sendable, Hashable {
    /// The model ended its answer.
    case stop
    /// The answer reached the token limit.
    case length
    /// The answer produced one of the request's stop sequences.
    case stopSequence
    /// The provider filtered or refused the answer.
    case contentFilter
    /// The model asked to call a tool.
    case toolUse
    /// Any other reason, as the provider named it.
    case other(String)

    /// A stable name for records and replay files.
    public var name: String {
        switch self {
        case .stop: return "stop"
        case .length: return "length"
        case .stopSequence: return "stop_sequence"
        case .contentFilter: return "content_filter"
        case .toolUse: return "tool_use"
        case .other(let name): return name
        }
    }

    /// The reason with the given `name`.
    public init(name: String) {
        switch name {
        case "stop": self = .stop
        case "length": self = .length
        case "stop_sequence": self = .stopSequence
        case "content_filter": self = .contentFilter
        case "tool_use": self = .toolUse
        default: self = .other(name)
        }
    }
}

/// Tokens a call used, normalised across providers.
public struct Usage: Sendable, Hashable, Codable {
    /// Every prompt token, including those read from or written to the provider's cache.
    public var inputTokens: Int
    /// Tokens of the answer.
    public var outputTokens: Int
    /// Prompt tokens read from the provider's prompt cache (part of `inputTokens`).
    public var cachedInputTokens: Int
    /// Prompt tokens written to the provider's prompt cache (part of `inputTokens`).
    public var cacheCreationTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cachedInputTokens: Int = 0, cacheCreationTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheCreationTokens = cacheCreationTokens
    }

    /// Prompt tokens neither read from nor written to the cache.
    public var uncachedInputTokens: Int {
        max(0, inputTokens - cachedInputTokens - cacheCreationTokens)
    }
}

/// One step of a model's streamed answer. A stream is any number of `delta`s, at most one
/// `usage`, and a final `done`.
public enum ModelEvent: Sendable, Hashable {
    /// More text of the answer.
    case delta(String)
    /// Tokens the call used.
    case usage(Usage)
    /// The answer is complete.
    case done(FinishReason)
}
