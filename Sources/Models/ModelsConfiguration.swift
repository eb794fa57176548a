/// Which wire protocol a model speaks.
public enum ProviderKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// OpenAI-compatible Chat Completions (OpenAI, vLLM, Ollama, llama.cpp, LM Studio).
    case openai
    /// Anthropic Messages API.
    case anthropic
    /// Answers recorded earlier, read from a directory.
    case replay
}

/// Where a model's API key comes from. The key itself is never part of the configuration.
public enum APIKeySource: Sendable, Hashable {
    /// No key: no authentication header is sent (local servers).
    case none
    /// The environment variable with this name.
    case environment(String)
    /// The file at this path (its content, without surrounding whitespace).
    case file(String)
}

/// Prices in US dollars per million tokens.
public struct Pricing: Sendable, Hashable {
    public var inputPerMillion: Double
    public var outputPerMillion: Double
    /// Price of prompt tokens read from the cache.
    public var cachedInputPerMillion: Double
    /// Price of prompt tokens written to the cache.
    public var cacheWritePerMillion: Double

    public init(inputPerMillion: Double = 0, outputPerMillion: Double = 0, cachedInputPerMillion: Double? = nil, cacheWritePerMillion: Double? = nil) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion ?? inputPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion ?? inputPerMillion
    }

    /// The estimated cost in US dollars of a call that used `usage`.
    public func cost(of usage: Usage) -> Double {
        (Double(usage.uncachedInputTokens) * inputPerMillion
            + Double(usage.cachedInputTokens) * cachedInputPerMillion
            + Double(usage.cacheCreationTokens) * cacheWritePerMillion
            + Double(usage.outputTokens) * outputPerMillion) / 1_000_000
    }
}

/// One configured model: a provider endpoint and the model name it serves.
public struct ModelDefinition: Sendable, Hashable {
    /// The id routes and experiments name it by.
    public var id: String
    public var provider: ProviderKind
    /// The model name sent to the provider (the `model` key; defaults to `id`).
    public var upstreamModel: String
    /// The provider's base URL (for example `https://api.openai.com/v1`); `nil` for replay.
    public var baseURL: String?
    public var apiKey: APIKeySource
    /// The directory of recordings, for replay models.
    public var replayDirectory: String?
    public var contextWindow: Int
    public var maxOutputTokens: Int
    public var pricing: Pricing
    /// How many calls to this model may run at once; more wait their turn.
    public var concurrency: Int
    /// Overrides the gateway's first-token timeout for this model (slow local models).
    public var firstTokenTimeout: Duration?
    /// Overrides the gateway's idle timeout for this model.
    public var idleTimeout: Duration?

    public init(
        id: String, provider: ProviderKind, upstreamModel: String? = nil, baseURL: String? = nil,
        apiKey: APIKeySource = .none, replayDirectory: String? = nil, contextWindow: Int = 128_000,
        maxOutputTokens: Int = 4096, pricing: Pricing = Pricing(), concurrency: Int = 8, firstTokenTimeout: Duration? = nil,
        idleTimeout: Duration? = nil
    ) {
        self.id = id
        self.provider = provider
        self.upstreamModel = upstreamModel ?? id
        self.baseURL = baseURL ?? Self.defaultBaseURL(for: provider)
        self.apiKey = apiKey
        self.replayDirectory = replayDirectory
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.pricing = pricing
        self.concurrency = concurrency
        self.firstTokenTimeout = firstTokenTimeout
        self.idleTimeout = idleTimeout
    }

    /// The base URL used when the configuration gives none.
    public static func defaultBaseURL(for provider: ProviderKind) -> String? {
        switch provider {
        case .openai: return "https://api.openai.com/v1"
        case .anthropic: return "https://api.anthropic.com"
        case .replay: return nil
        }
    }

    /// The upstream this model is served by: models with the same endpoint share a circuit breaker.
    public var endpoint: String {
        "\(provider.rawValue) \(baseURL ?? replayDirectory ?? id)"
    }
}

/// One arm of an experiment.
public struct ExperimentArm: Sendable, Hashable {
    public var name: String
    /// Relative weight; arms get users in proportion to their weights.
    public var weight: Double
    /// The model this arm puts first in the route, if any.
    public var model: String?
    /// The prompt strategy this arm asks for, if any.
    public var strategy: String?

    public init(name: String, weight: Double, model: String? = nil, strategy: String? = nil) {
        self.name = name
        self.weight = weight
        self.model = model
        self.strategy = strategy
    }
}

/// An A/B experiment: users are split between arms by weight, each user always in the same arm.
public struct ExperimentDefinition: Sendable, Hashable {
    public var name: String
    public var enabled: Bool
    /// The tasks it applies to; empty means every task.
    public var tasks: [String]
    /// The arms, ordered by name.
    public var arms: [ExperimentArm]
    /// The arm others are compared with.
    public var control: String

    public init(name: String, enabled: Bool = true, tasks: [String] = [], arms: [ExperimentArm], control: String? = nil) {
        self.name = name
        self.enabled = enabled
        self.tasks = tasks
        self.arms = arms.sorted { $0.name < $1.name }
        self.control = control ?? (arms.contains { $0.name == "control" } ? "control" : self.arms.first?.name ?? "")
    }

    /// Whether the experiment applies to requests of `task`.
    public func applies(to task: String) -> Bool {
        enabled && (tasks.isEmpty || tasks.contains(task))
    }
}

/// Timeouts, retries and protection limits of the gateway.
public struct GatewaySettings: Sendable, Hashable {
    /// Longest wait for a TCP (and TLS) connection.
    public var connectTimeout: Duration = .seconds(10)
    /// Longest wait from sending a request to its first token.
    public var firstTokenTimeout: Duration = .seconds(60)
    /// Longest silence in a stream after its first token.
    public var idleTimeout: Duration = .seconds(30)
    /// Longest time one request may take, every retry and fallback included.
    public var deadline: Duration = .seconds(300)
    /// Retries on the same model after a 429 or 503.
    public var maxRetries: Int = 2
    /// First back-off delay; each retry doubles it, with jitter.
    public var backoffBase: Duration = .milliseconds(500)
    /// Longest back-off delay.
    public var backoffMax: Duration = .seconds(20)
    /// A `Retry-After` longer than this moves on to the next model instead of waiting.
    public var maxRetryAfter: Duration = .seconds(30)
    /// Consecutive failures that open a provider's circuit.
    public var circuitFailureThreshold: Int = 5
    /// How long an open circuit refuses calls before letting one probe through.
    public var circuitCooldown: Duration = .seconds(30)
    /// Largest response body accepted from a provider.
    public var maxResponseBytes: Int = 32 << 20

    public init() {}
}

/// Everything the model gateway is configured with.
public struct ModelsConfiguration: Sendable, Hashable {
    /// Models by id.
    public var models: [String: ModelDefinition]
    /// For each task, the models to try in order.
    public var routes: [String: [String]]
    /// Experiments, ordered by name.
    public var experiments: [ExperimentDefinition]
    public var gateway: GatewaySettings

    public init(models: [ModelDefinition], routes: [String: [String]], experiments: [ExperimentDefinition] = [], gateway: GatewaySettings = GatewaySettings()) {
        self.models = Dictionary(models.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.routes = routes
        self.experiments = experiments.sorted { $0.name < $1.name }
        self.gateway = gateway
    }

    /// The fallback chain for `task`: its own route, else the `default` route.
    public func route(for task: String) -> (name: String, models: [String])? {
        if let models = routes[task] { return (task, models) }
        if let models = routes["default"] { return ("default", models) }
        return nil
    }
}
