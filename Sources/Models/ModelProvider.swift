import NIOConcurrencyHelpers

/// Everything a provider needs for one call.
public struct ProviderCall: Sendable {
    /// What to ask.
    public var request: ChatRequest
    /// Which model to ask, and where.
    public var model: ModelDefinition
    /// The key for this provider, read just before the call; `nil` for keyless servers.
    public var apiKey: APIKey?
    /// Where the provider reports progress, for the gateway's timeouts.
    public var activity: StreamActivity
    /// Largest response body to accept.
    public var maxResponseBytes: Int

    public init(request: ChatRequest, model: ModelDefinition, apiKey: APIKey?, activity: StreamActivity = StreamActivity(), maxResponseBytes: Int = 32 << 20) {
        self.request = request
        self.model = model
        self.apiKey = apiKey
        self.activity = activity
        self.maxResponseBytes = maxResponseBytes
    }
}

/// A source of answers speaking one provider's protocol.
public protocol ModelProvider: Sendable {
    /// Sends `call` and calls `emit` with each event of the answer, in order, ending with `.done`.
    /// When `call.request.stream` is false the provider may ask for the whole answer at once and
    /// emit it as one `.delta`, then `.usage` and `.done`.
    /// Throws `ModelError` on failure, and `CancellationError` when the task is cancelled (the
    /// upstream connection is closed promptly then).
    func stream(_ call: ProviderCall, emit: (ModelEvent) async throws -> Void) async throws
}

extension ModelProvider {
    /// The answer to `call` as an asynchronous sequence. Ending the iteration early (or
    /// cancelling the iterating task) cancels the upstream call.
    public func events(_ call: ProviderCall) -> AsyncThrowingStream<ModelEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.stream(call) { event in continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The progress of one call: when bytes and tokens last arrived. Providers report to it; the
/// gateway's timeouts read it and, when one fires, mark it expired, after which it ignores
/// further progress (so that a token arriving just too late is not taken as the first one).
public final class StreamActivity: Sendable {
    /// Which timeout ended a call.
    public enum Expiry: Sendable, Hashable {
        case firstToken
        case idle
        case deadline
    }

    /// What the watchdog should do next.
    enum Check: Sendable, Hashable {
        case expired(Expiry)
        case wait(until: ContinuousClock.Instant)
    }

    private struct State {
        var started: ContinuousClock.Instant
        var lastActivity: ContinuousClock.Instant
        var firstToken: ContinuousClock.Instant?
        var bytes = 0
        var expiry: Expiry?
    }

    private let state: NIOLockedValueBox<State>

    public init() {
        let now = ContinuousClock.now
        state = NIOLockedValueBox(State(started: now, lastActivity: now))
    }

    /// Records that `count` bytes arrived (any bytes: pings and keep-alive comments count).
    public func noteBytes(_ count: Int) {
        state.withLockedValue {
            guard $0.expiry == nil else { return }
            $0.lastActivity = .now
            $0.bytes += count
        }
    }

    /// Records that the answer produced an event; the first one is the first token.
    public func noteEvent() {
        state.withLockedValue {
            guard $0.expiry == nil else { return }
            let now = ContinuousClock.now
            $0.lastActivity = now
            if $0.firstToken == nil { $0.firstToken = now }
        }
    }

    /// When the call started.
    public var started: ContinuousClock.Instant { state.withLockedValue { $0.started } }

    /// When the first event arrived, if it has.
    public var firstToken: ContinuousClock.Instant? { state.withLockedValue { $0.firstToken } }

    /// When anything last arrived.
    public var lastActivity: ContinuousClock.Instant { state.withLockedValue { $0.lastActivity } }

    /// Bytes received so far.
    public var receivedBytes: Int { state.withLockedValue { $0.bytes } }

    /// The timeout that ended the call, if one did.
    public var expiry: Expiry? { state.withLockedValue { $0.expiry } }

    /// Whether a timeout has ended the call.
    public var isExpired: Bool { expiry != nil }

    /// Decides, atomically with the progress notes, whether a limit has passed at `now`: the
    /// deadline, else the first-token limit before the first token, else the idle limit. A `nil`
    /// limit does not apply (a non-streamed call has only its deadline).
    func check(now: ContinuousClock.Instant, firstTokenLimit: Duration?, idleLimit: Duration?, deadline: ContinuousClock.Instant) -> Check {
        state.withLockedValue { state in
            if let expiry = state.expiry { return .expired(expiry) }
            let limit: ContinuousClock.Instant? = state.firstToken == nil
                ? firstTokenLimit.map { state.started + $0 }
                : idleLimit.map { state.lastActivity + $0 }
            if deadline <= now {
                state.expiry = .deadline
            } else if let limit, limit <= now {
                state.expiry = state.firstToken == nil ? .firstToken : .idle
            }
            if let expiry = state.expiry { return .expired(expiry) }
            // Before the first token, wake at least once per idle period: once it arrives, the
            // idle limit may come before the first-token limit.
            var wake = limit ?? deadline
            if state.firstToken == nil, let idleLimit { wake = min(wake, now + idleLimit) }
            return .wait(until: min(wake, deadline))
        }
    }
}
