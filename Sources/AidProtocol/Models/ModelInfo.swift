/// One configured model, as `models/list` shows it.
public struct ModelInfo: Codable, Sendable, Equatable {
    /// The id routes and requests name it by.
    public var id: String
    /// The wire protocol: `openai`, `anthropic` or `replay`.
    public var provider: String
    /// The model name sent to the provider.
    public var upstreamModel: String
    /// The provider's base URL (absent for replay models).
    public var baseURL: String?
    /// Where the key is read from: `env:NAME` or `file:PATH`; absent for keyless servers. The key
    /// itself is never shown.
    public var keySource: String?
    /// The context window in tokens.
    public var contextWindow: Int
    /// The most tokens an answer may have.
    public var maxOutputTokens: Int
    /// Prices in US dollars per million tokens.
    public var prices: ModelPrices
    /// Calls that may run at once.
    public var concurrency: Int
    /// The circuit breaker of its endpoint: `closed` (calls go through), `open` (calls are
    /// skipped after repeated failures) or `halfOpen` (one probe goes through).
    public var circuit: String

    public init(id: String, provider: String, upstreamModel: String, baseURL: String?, keySource: String?, contextWindow: Int,
                maxOutputTokens: Int, prices: ModelPrices, concurrency: Int, circuit: String) {
        self.id = id
        self.provider = provider
        self.upstreamModel = upstreamModel
        self.baseURL = baseURL
        self.keySource = keySource
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.prices = prices
        self.concurrency = concurrency
        self.circuit = circuit
    }
}

/// Prices of a model in US dollars per million tokens.
public struct ModelPrices: Codable, Sendable, Equatable {
    /// Prompt tokens.
    public var input: Double
    /// Answer tokens.
    public var output: Double
    /// Prompt tokens read from the provider's cache.
    public var cachedInput: Double
    /// Prompt tokens written to the provider's cache.
    public var cacheWrite: Double

    public init(input: Double, output: Double, cachedInput: Double, cacheWrite: Double) {
        self.input = input
        self.output = output
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
    }
}
