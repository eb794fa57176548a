import AsyncHTTPClient
import Foundation
import Logging
import Models
import ModelsTestSupport
import NIOConcurrencyHelpers

/// One HTTP client for every test; never shut down (it lives as long as the test process).
/// Its connect timeout is shorter than the tests' first-token timeout, so that a refused
/// connection (which the client retries until the connect timeout) surfaces as a connection error.
enum TestHTTP {
    static let client: HTTPClient = {
        var settings = testSettings()
        settings.connectTimeout = .milliseconds(200)
        return ModelGateway.makeHTTPClient(settings: settings)
    }()
}

/// Gateway settings for tests. The timeouts are generous, so that answers that should succeed do
/// so even on a loaded machine; tests of timeouts shorten them on the failing model only.
func testSettings(
    firstToken: Duration = .seconds(10), idle: Duration = .seconds(10), deadline: Duration = .seconds(30),
    maxRetries: Int = 2, failureThreshold: Int = 3, maxResponseBytes: Int = 1 << 20
) -> GatewaySettings {
    var settings = GatewaySettings()
    settings.connectTimeout = .seconds(2)
    settings.firstTokenTimeout = firstToken
    settings.idleTimeout = idle
    settings.deadline = deadline
    settings.maxRetries = maxRetries
    settings.backoffBase = .milliseconds(100)
    settings.backoffMax = .seconds(2)
    settings.maxRetryAfter = .seconds(5)
    settings.circuitFailureThreshold = failureThreshold
    settings.circuitCooldown = .seconds(30)
    settings.maxResponseBytes = maxResponseBytes
    return settings
}

/// A model served by `server`.
/// `firstToken` and `idle`, when given, override the gateway's timeouts for this model only.
func fakeModel(
    _ id: String, _ provider: ProviderKind = .openai, server: FakeModelServer, keyVariable: String? = nil,
    pricing: Pricing = Pricing(), firstToken: Duration? = nil, idle: Duration? = nil
) -> ModelDefinition {
    ModelDefinition(
        id: id, provider: provider, upstreamModel: "\(id)-upstream",
        baseURL: provider == .openai ? server.baseURL + "/v1" : server.baseURL,
        apiKey: keyVariable.map { .environment($0) } ?? .none, pricing: pricing, concurrency: 4,
        firstTokenTimeout: firstToken, idleTimeout: idle)
}

/// A clock that only moves when told, for circuit-breaker cool-downs.
final class ManualClock: Sendable {
    private let offset = NIOLockedValueBox<Duration>(.zero)
    private let origin = ContinuousClock.now

    var now: ContinuousClock.Instant { origin + offset.withLockedValue { $0 } }

    func advance(by duration: Duration) {
        offset.withLockedValue { $0 += duration }
    }
}

/// Records the back-off waits the gateway asks for instead of waiting.
final class SleepLog: Sendable {
    private let durations = NIOLockedValueBox<[Duration]>([])

    var all: [Duration] { durations.withLockedValue { $0 } }

    func sleep(_ duration: Duration) async throws {
        try Task.checkCancellation()
        durations.withLockedValue { $0.append(duration) }
    }
}

/// A test environment: manual clock, recorded sleeps, fixed jitter, given variables.
func testEnvironment(clock: ManualClock = ManualClock(), sleeps: SleepLog = SleepLog(), variables: [String: String] = [:]) -> GatewayEnvironment {
    GatewayEnvironment(
        now: { clock.now },
        sleep: { try await sleeps.sleep($0) },
        random: { 0.5 },
        environmentVariable: { variables[$0] })
}

/// A gateway over `models` with route `edit` = the models in order.
func makeGateway(
    _ models: [ModelDefinition], settings: GatewaySettings = testSettings(), experiments: [ExperimentDefinition] = [],
    observer: ModelCallCollector = ModelCallCollector(), environment: GatewayEnvironment = testEnvironment(),
    recorder: ReplayStore? = nil, logCapture: LogCapture? = nil
) -> ModelGateway {
    let configuration = ModelsConfiguration(models: models, routes: ["edit": models.map(\.id)], experiments: experiments, gateway: settings)
    return ModelGateway(
        configuration: configuration, httpClient: TestHTTP.client, observers: [observer], recorder: recorder,
        environment: environment, logger: logCapture?.logger(label: "aid.models") ?? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
}

/// A plain edit request.
func editRequest(_ text: String = "Rename foo to bar", strategy: String? = nil) -> ChatRequest {
    ChatRequest(
        messages: [.system("You edit code."), .user("func foo() {}", stable: true), .user(text)],
        task: "edit", maxTokens: 256, strategy: strategy)
}

/// Every event of a gateway stream, and the error that ended it, if any.
struct StreamResult {
    var events: [GatewayEvent]
    var error: Error?

    var text: String {
        var text = ""
        for event in events {
            if case .delta(let piece) = event { text += piece }
            if case .interrupted(_, true) = event { text = "" }
        }
        return text
    }

    var modelError: ModelError? { error as? ModelError }

    var startedModels: [String] {
        events.compactMap { if case .started(let model, _, _) = $0 { return model } else { return nil } }
    }

    var interruptions: [(ModelError, Bool)] {
        events.compactMap { if case .interrupted(let error, let restarting) = $0 { return (error, restarting) } else { return nil } }
    }
}

/// Reads `stream` to its end; `onEvent` sees each event as it arrives.
func collect(_ stream: AsyncThrowingStream<GatewayEvent, Error>, onEvent: (GatewayEvent) -> Void = { _ in }) async -> StreamResult {
    var events: [GatewayEvent] = []
    do {
        for try await event in stream {
            events.append(event)
            onEvent(event)
        }
        return StreamResult(events: events, error: nil)
    } catch {
        return StreamResult(events: events, error: error)
    }
}

/// A port on 127.0.0.1 with nothing listening (a server started and stopped).
func closedPortURL() async throws -> String {
    let server = try await FakeModelServer.start()
    let url = server.baseURL
    await server.shutdown()
    return url
}

/// Whether `condition` becomes true within `timeout`, checking after each yield of the
/// scheduler (for state that changes on another task with no event to wait on).
func eventually(timeout: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async -> Bool {
    let end = ContinuousClock.now + timeout
    while ContinuousClock.now < end {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}
