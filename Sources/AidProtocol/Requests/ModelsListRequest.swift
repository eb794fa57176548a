/// `models/list`: the configured models, the routes that choose between them, the experiments
/// that split users between arms, and the local HTTP endpoint. Never shows a key.
public struct ModelsListRequest: RPCRequest {
    public static let method = "models/list"
    public typealias Result = ModelsList
    public init() {}
}

/// The answer to `models/list`.
public struct ModelsList: Codable, Sendable, Equatable {
    /// The configured models, ordered by id.
    public var models: [ModelInfo]
    /// For each task, the models tried in order; ordered by task.
    public var routes: [ModelRoute]
    /// The experiments, ordered by name.
    public var experiments: [ModelExperiment]
    /// The local OpenAI-compatible HTTP endpoint.
    public var endpoint: ModelEndpointInfo
    /// What keeps models from working (configuration errors, an endpoint that could not start);
    /// empty when all is well.
    public var problems: [String]

    public init(models: [ModelInfo], routes: [ModelRoute], experiments: [ModelExperiment], endpoint: ModelEndpointInfo, problems: [String]) {
        self.models = models
        self.routes = routes
        self.experiments = experiments
        self.endpoint = endpoint
        self.problems = problems
    }
}
