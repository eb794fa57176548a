import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Owns every call to language models: picks the route for a request's task (and the experiment
/// arm for its user), streams the answer from the first model that can give it, retries 429 and
/// 503 with back-off, falls back along the route on failures, keeps a circuit breaker per
/// provider endpoint and a concurrency limit per model, enforces the timeouts, and reports one
/// `ModelCallRecord` per attempt to its observers.
///
/// Keys are read from the environment or key files at each call and go only into the request
/// to their own provider; they are never logged or recorded.
public final class ModelGateway: Sendable {
    public let configuration: ModelsConfiguration
    let providers: [ProviderKind: any ModelProvider]
    let breakers: [String: CircuitBreaker]
    let limiters: [String: ConcurrencyLimiter]
    let observers: [any ModelCallObserver]
    let recorder: ReplayStore?
    let environment: GatewayEnvironment
    let logger: Logger

    /// A gateway for `configuration`.
    /// - Parameters:
    ///   - httpClient: the client for HTTP providers; see `makeHTTPClient(settings:)`. The
    ///     caller owns it and shuts it down.
    ///   - observers: receive one record per attempt.
    ///   - recorder: when given, every successful answer is recorded there for later replay.
    ///   - providers: replaces the provider of a kind (tests, custom transports).
    public init(
        configuration: ModelsConfiguration,
        httpClient: HTTPClient,
        observers: [any ModelCallObserver] = [],
        recorder: ReplayStore? = nil,
        environment: GatewayEnvironment = .live,
        logger: Logger = Logger(label: "aid.models"),
        providers: [ProviderKind: any ModelProvider] = [:]
    ) {
        self.configuration = configuration
        var all: [ProviderKind: any ModelProvider] = [
            .openai: OpenAIChatProvider(client: httpClient),
            .anthropic: AnthropicMessagesProvider(client: httpClient),
            .replay: ReplayProvider(),
        ]
        all.merge(providers) { _, custom in custom }
        self.providers = all
        let settings = configuration.gateway
        var breakers: [String: CircuitBreaker] = [:]
        var limiters: [String: ConcurrencyLimiter] = [:]
        for model in configuration.models.values {
            if breakers[model.endpoint] == nil {
                breakers[model.endpoint] = CircuitBreaker(failureThreshold: settings.circuitFailureThreshold, cooldown: settings.circuitCooldown)
            }
            limiters[model.id] = ConcurrencyLimiter(limit: model.concurrency)
        }
        self.breakers = breakers
        self.limiters = limiters
        self.observers = observers
        self.recorder = recorder
        self.environment = environment
        self.logger = logger
    }

    /// An HTTP client suited to the gateway: connect timeout from `settings`, no redirects
    /// (a key must never follow a redirect to another host), no proxy from the environment.
    public static func makeHTTPClient(settings: GatewaySettings, eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(Int64(Watchdog.milliseconds(settings.connectTimeout)) * 1_000_000), read: nil)
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: configuration)
    }

    /// The circuit breaker state of the endpoint serving model `id`.
    public func circuitState(ofModel id: String) -> CircuitBreaker.State? {
        guard let model = configuration.models[id] else { return nil }
        return breakers[model.endpoint]?.state(at: environment.now())
    }

    /// Calls to model `id` under way now, and calls waiting for one of its concurrent places.
    public func concurrency(ofModel id: String) -> (inUse: Int, waiting: Int)? {
        guard let limiter = limiters[id] else { return nil }
        return (limiter.inUse, limiter.waiting)
    }

    /// The experiment arm a request of `task` by `userID` is in, so that the caller can build the
    /// prompt with the arm's strategy before calling `stream`.
    public func assignment(task: String, userID: String) -> ExperimentAssignment? {
        ExperimentAssigner.assignment(task: task, user: userID, experiments: configuration.experiments)
    }

    /// The models `request` will try, in order, and its experiment arm.
    public func plan(for request: ChatRequest, options: CallOptions) throws -> RoutePlan {
        if let forced = options.models {
            guard !forced.isEmpty else { throw ModelError(.configuration, "the request names no model to try") }
            for id in forced where configuration.models[id] == nil {
                throw ModelError(.configuration, "no model '\(id)' is configured; configured models: \(configuration.models.keys.sorted().joined(separator: ", "))")
            }
            return RoutePlan(route: request.task, models: forced, assignment: nil)
        }
        guard let route = configuration.route(for: request.task) else {
            throw ModelError(.configuration, "no route for task '\(request.task)'; add routes.\(request.task) (or routes.default) to the configuration")
        }
        var models = route.models
        let assignment = options.userID.flatMap { self.assignment(task: request.task, userID: $0) }
        if let armModel = assignment?.arm.model {
            models = [armModel] + models.filter { $0 != armModel }
        }
        for id in models where configuration.models[id] == nil {
            throw ModelError(.configuration, "route '\(route.name)' names model '\(id)', which is not configured")
        }
        return RoutePlan(route: route.name, models: models, assignment: assignment)
    }

    /// Streams the answer to `request`. Cancelling the consuming task, or dropping the stream,
    /// cancels the request and closes the upstream connection. The request runs in a task of
    /// its own, which prefers `executor` when given (the consumer's event loop: then events
    /// pass from producer to consumer without a hop between threads).
    public func stream(_ request: ChatRequest, options: CallOptions, executor: (any TaskExecutor)? = nil) -> AsyncThrowingStream<GatewayEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task(executorPreference: executor) {
                do {
                    try await self.run(request, options: options) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The complete answer to `request`.
    public func complete(_ request: ChatRequest, options: CallOptions) async throws -> GatewayResult {
        var text = ""
        var model = ""
        var usage: Usage?
        for try await event in stream(request, options: options) {
            switch event {
            case .started(let id, _, _): model = id
            case .delta(let piece): text += piece
            case .usage(let used): usage = used
            case .done(let reason): return GatewayResult(text: text, model: model, usage: usage, finishReason: reason)
            case .interrupted(_, let restarting):
                if restarting {
                    text = ""
                    usage = nil
                }
            }
        }
        try Task.checkCancellation()
        throw ModelError(.brokenStream, "the answer ended without completing", model: model)
    }

    /// Follows the route of `request` in the calling task, emitting events, until one model
    /// completes the answer; throws the error that ended it. `emit` is called from the gateway's
    /// tasks and must not block. Cancelling the calling task cancels the request (and closes the
    /// upstream connection). `stream` wraps this in a task of its own; callers that only want
    /// the events at the end (non-streamed requests) save that task by calling it directly.
    public func run(_ request: ChatRequest, options: CallOptions, emit: @escaping @Sendable (GatewayEvent) -> Void) async throws {
        let plan = try plan(for: request, options: options)
        let deadline = ContinuousClock.now + (options.deadline ?? configuration.gateway.deadline)
        let retryPolicy = RetryPolicy(configuration.gateway)
        var logger = self.logger
        logger[metadataKey: "request"] = "\(options.requestID)"
        var attempt = 0
        var failures: [ModelError] = []
        for (index, id) in plan.models.enumerated() {
            let model = configuration.models[id]!
            let breaker = breakers[model.endpoint]!
            var retry = 0
            retries: while true {
                try Task.checkCancellation()
                guard ContinuousClock.now < deadline else {
                    throw ModelError(.deadlineExceeded, "the request's deadline passed after \(attempt) attempts; raise gateway.deadline_ms or the request's deadline", model: id)
                }
                guard let permit = breaker.acquire(at: environment.now()) else {
                    logger.notice("skipping model: its circuit is open", metadata: ["model": "\(id)"])
                    failures.append(ModelError(.circuitOpen, "skipped: the circuit is open after repeated failures of \(model.endpoint); a probe is let through after gateway.circuit_cooldown_ms", model: id))
                    break retries
                }
                attempt += 1
                let context = AttemptContext(
                    request: request, options: options, plan: plan, model: model, attempt: attempt,
                    fallbackIndex: index, deadline: deadline)
                let result = await self.attempt(context, logger: logger, emit: emit)
                switch result.outcome {
                case .success:
                    breaker.succeeded(permit)
                    return
                case .cancelled:
                    breaker.released(permit)
                    throw CancellationError()
                case .failure(let error):
                    settle(breaker, permit, after: error)
                    if result.sawFirstToken {
                        let restart = options.onMidStreamFailure == .restartOnFallback && error.allowsFallback && index + 1 < plan.models.count
                        emit(.interrupted(error, restarting: restart))
                        guard restart else { throw error }
                        failures.append(error)
                        break retries
                    }
                    if error.isRetryableOnSameModel,
                       let delay = retryPolicy.delay(beforeRetry: retry, retryAfter: error.retryAfter, random: environment.random()),
                       ContinuousClock.now + delay < deadline {
                        logger.info("retrying after back-off", metadata: ["model": "\(id)", "delay_ms": "\(Watchdog.milliseconds(delay))", "error": "\(error.kind.rawValue)"])
                        try await environment.sleep(delay)
                        retry += 1
                        continue retries
                    }
                    guard error.allowsFallback else { throw error }
                    failures.append(error)
                    break retries
                }
            }
        }
        throw Self.exhausted(route: plan.route, failures: failures)
    }

    /// Tells the breaker what `error` says about the provider's health.
    private func settle(_ breaker: CircuitBreaker, _ permit: CircuitBreaker.Permit, after error: ModelError) {
        if error.countsAgainstProvider {
            breaker.failed(permit, at: environment.now())
        } else if error.httpStatus != nil {
            breaker.succeeded(permit)  // the provider answered coherently
        } else {
            breaker.released(permit)
        }
    }

    /// The error for a route whose every model failed: the last failure's class, with all of them
    /// listed.
    static func exhausted(route: String, failures: [ModelError]) -> ModelError {
        guard var last = failures.last else {
            return ModelError(.configuration, "route '\(route)' has no model to try")
        }
        let tried = failures.map { "\($0.model ?? "?"): \($0.kind.rawValue)" }.joined(separator: ", ")
        last.message = "every model of route '\(route)' failed (\(tried)); last: \(last.message)"
        last.failures = failures
        return last
    }
}
