import AidConfig
import AidStore
import AsyncHTTPClient
import Foundation
import JSONRPC
import Logging
import Models
import Synchronization

/// The daemon's model gateway: one `ModelGateway` over one HTTP client, every call recorded in
/// the store (batched, off the request path) and counted for `/metrics`, the user id for sticky
/// experiment arms, and the local OpenAI-compatible endpoint when enabled. `models/*` and
/// `metrics/summary` and the endpoint all go through `run`.
final class ModelService: Sendable {
    let gateway: ModelGateway
    let configuration: ModelsConfiguration
    let endpointConfiguration: EndpointConfiguration
    /// Problems in the models' configuration; the gateway then runs without models.
    let configurationProblems: [String]
    let store: AidStore
    let metrics = ModelMetrics()
    let logger: Logger
    /// `name@installid`, for sticky experiment assignment; nil when the install id cannot be kept.
    let userID: String?
    private let httpClient: HTTPClient
    private let callLog: ModelCallLog
    private let tracker = ModelAttemptTracker()
    private let stateDirectory: String
    private let endpoint = Mutex<EndpointState>(EndpointState())

    private struct EndpointState {
        var server: ModelEndpointServer?
        var url: String?
        var tokenFile: String?
        var problem: String?
    }

    init(configuration: AidConfiguration, configurationProblems: [String], stateDirectory: String, store: AidStore, logger: Logger) {
        self.configuration = configuration.models
        endpointConfiguration = configuration.endpoint
        self.configurationProblems = configurationProblems
        self.store = store
        self.stateDirectory = stateDirectory
        self.logger = logger
        var userID: String?
        do {
            userID = try ModelUser.identifier(stateDirectory: stateDirectory)
        } catch {
            logger.warning("Models: no user id for experiments (\(error)); requests are in no experiment arm.")
        }
        self.userID = userID
        httpClient = ModelGateway.makeHTTPClient(settings: configuration.models.gateway)
        callLog = ModelCallLog(store: store, logger: logger)
        gateway = ModelGateway(
            configuration: configuration.models, httpClient: httpClient, observers: [callLog, tracker, metrics],
            logger: logger)
        if !configuration.models.models.isEmpty {
            logger.info("Models: \(configuration.models.models.count) configured, routes for \(configuration.models.routes.keys.sorted().joined(separator: ", ")).")
        }
    }

    // MARK: Running requests

    /// Runs `request` through the gateway (its task's route, or `forcedModel` alone), calling
    /// `onEvent` as the answer arrives. Throws `ModelRunFailure` when no model could answer,
    /// `CancellationError` when cancelled, and what `onEvent` throws (which cancels the upstream
    /// call). `requestID` names the call records (default: a new id); requests that belong
    /// together, such as an edit and its repair round, share one.
    func run(_ request: ChatRequest, forcedModel: String?, via: String, requestID: String? = nil,
             onEvent: (ModelRunEvent) async throws -> Void) async throws -> ModelRun {
        let requestID = requestID ?? UUID.newIdentifier()
        let options = CallOptions(requestID: requestID, userID: userID, models: forcedModel.map { [$0] })
        let start = ContinuousClock.now
        tracker.begin(requestID)
        var text = ""
        var answering: (model: String, provider: ProviderKind)?
        var usage = Usage()
        var finish: FinishReason?
        var firstToken: Duration?
        func handle(_ event: GatewayEvent) async throws {
            switch event {
            case .started(let model, let provider, _):
                answering = (model, provider)
                text = ""
                try await onEvent(.started(model: model, provider: provider))
            case .delta(let piece):
                if firstToken == nil { firstToken = ContinuousClock.now - start }
                text += piece
                try await onEvent(.delta(piece))
            case .usage(let used):
                usage = used
            case .done(let reason):
                finish = reason
            case .interrupted:
                break  // the error that follows ends the request
            }
        }
        do {
            if request.stream {
                for try await event in gateway.stream(request, options: options, executor: EventLoopExecutor.current) {
                    try await handle(event)
                }
            } else {
                // A whole answer arrives at once: run the gateway in this task (no stream, no
                // task of its own) and take its events at the end.
                let collected = Mutex<[GatewayEvent]>([])
                var failure: (any Error)?
                do {
                    try await gateway.run(request, options: options) { event in collected.withLock { $0.append(event) } }
                } catch {
                    failure = error
                }
                for event in collected.withLock({ $0 }) { try await handle(event) }
                if let failure { throw failure }
            }
        } catch let error as ModelError {
            metrics.requestFinished(via: via, task: request.task, outcome: "failure")
            throw ModelRunFailure(error: error, attempts: tracker.end(requestID), afterFirstToken: answering != nil)
        } catch {
            _ = tracker.end(requestID)
            metrics.requestFinished(via: via, task: request.task, outcome: "cancelled")
            throw error
        }
        let attempts = tracker.end(requestID)
        guard let finish, let answering else {
            metrics.requestFinished(via: via, task: request.task, outcome: "cancelled")
            try Task.checkCancellation()
            throw ModelRunFailure(error: ModelError(.brokenStream, "the answer ended without completing"), attempts: attempts, afterFirstToken: answering != nil)
        }
        metrics.requestFinished(via: via, task: request.task, outcome: "success")
        return ModelRun(
            requestID: requestID, text: text, model: answering.model, provider: answering.provider, usage: usage,
            finishReason: finish, firstTokenMs: firstToken.map(Self.milliseconds),
            totalMs: Self.milliseconds(ContinuousClock.now - start), attempts: attempts)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) * 1e-15
    }

    /// Stores every model call record queued so far.
    func flushRecords() async {
        await callLog.flush()
    }

    // MARK: The local endpoint

    /// Starts the local HTTP endpoint when `gateway.endpoint_enabled` is set. A failure to start
    /// is logged and shown by `models/list`; the daemon goes on without the endpoint.
    func startEndpoint() async {
        guard endpointConfiguration.enabled else { return }
        do {
            let token = try EndpointToken(stateDirectory: stateDirectory)
            let router = ModelEndpointRouter(models: self, token: token)
            let server = try await ModelEndpointServer.start(port: endpointConfiguration.port, router: router, logger: logger)
            let url = "http://127.0.0.1:\(server.port)/v1"
            endpoint.withLock { $0 = EndpointState(server: server, url: url, tokenFile: token.path, problem: nil) }
            logger.notice("Models: OpenAI-compatible endpoint on \(url) (bearer token in \(token.path)).")
        } catch {
            let problem = "the local endpoint could not start on 127.0.0.1:\(endpointConfiguration.port): \(error); choose another gateway.endpoint_port and run `aid restart`"
            endpoint.withLock { $0.problem = problem }
            logger.error("Models: \(problem)")
        }
    }

    /// The endpoint's URL and token file while it serves, and why it does not when it failed.
    var endpointState: (url: String?, tokenFile: String?, problem: String?) {
        endpoint.withLock { ($0.url, $0.tokenFile, $0.problem) }
    }

    /// Closes the endpoint (its requests in flight end) and stores the queued records: before a
    /// restart, whose new process opens the endpoint again.
    func stop() async {
        let server = endpoint.withLock { state -> ModelEndpointServer? in
            defer { state = EndpointState() }
            return state.server
        }
        await server?.stop()
        await callLog.flush()
    }

    /// `stop`, then releases the HTTP client: before the daemon exits.
    func shutdown() async {
        await stop()
        await callLog.close()
        do {
            try await httpClient.shutdown()
        } catch {
            logger.warning("Models: the HTTP client did not shut down cleanly: \(error)")
        }
    }
}
