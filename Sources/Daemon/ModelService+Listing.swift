import AidProtocol
import Models

extension ModelService {
    /// `models/list`: models, routes and experiments as configured, and the endpoint. Shows
    /// where keys come from, never a key.
    func listing() -> ModelsList {
        let models = configuration.models.values.sorted { $0.id < $1.id }.map { model in
            ModelInfo(
                id: model.id, provider: model.provider.rawValue, upstreamModel: model.upstreamModel,
                baseURL: model.baseURL, keySource: Self.keySource(model.apiKey), contextWindow: model.contextWindow,
                maxOutputTokens: model.maxOutputTokens,
                prices: ModelPrices(
                    input: model.pricing.inputPerMillion, output: model.pricing.outputPerMillion,
                    cachedInput: model.pricing.cachedInputPerMillion, cacheWrite: model.pricing.cacheWritePerMillion),
                concurrency: model.concurrency, circuit: Self.circuitName(gateway.circuitState(ofModel: model.id)))
        }
        let routes = configuration.routes.keys.sorted().map { ModelRoute(task: $0, models: configuration.routes[$0]!) }
        let experiments = configuration.experiments.map { experiment in
            ModelExperiment(
                name: experiment.name, enabled: experiment.enabled, tasks: experiment.tasks, control: experiment.control,
                arms: experiment.arms.map { ModelExperiment.Arm(name: $0.name, weight: $0.weight, model: $0.model, strategy: $0.strategy) },
                assignedArm: userID.flatMap { ExperimentAssigner.arm(for: $0, in: experiment)?.name })
        }
        let state = endpointState
        var problems = configurationProblems
        if let problem = state.problem { problems.append(problem) }
        return ModelsList(
            models: models, routes: routes, experiments: experiments,
            endpoint: ModelEndpointInfo(enabled: endpointConfiguration.enabled, url: state.url, tokenFile: state.tokenFile),
            problems: problems)
    }

    static func keySource(_ source: APIKeySource) -> String? {
        switch source {
        case .none: return nil
        case .environment(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }

    static func circuitName(_ state: CircuitBreaker.State?) -> String {
        switch state {
        case .open: return "open"
        case .halfOpen: return "halfOpen"
        case .closed, nil: return "closed"
        }
    }
}
