import Foundation

/// What the gateway does when a model's stream breaks after its first token.
public enum MidStreamFailurePolicy: Sendable, Hashable {
    /// Report `.interrupted(error, restarting: false)` and fail the request.
    case stop
    /// Report `.interrupted(error, restarting: true)` and start again on the next model of the
    /// route; the caller discards the text received so far.
    case restartOnFallback
}

/// How one request is to be made.
public struct CallOptions: Sendable, Hashable {
    /// The caller's id for the request, shared by the records of all its attempts.
    public var requestID: String
    /// The user, for sticky experiment assignment; no experiment applies without one.
    public var userID: String?
    /// Overrides `gateway.deadline` for this request.
    public var deadline: Duration?
    public var onMidStreamFailure: MidStreamFailurePolicy
    /// When set, the request tries exactly these model ids, in order, instead of its task's route,
    /// and no experiment applies (a forced model would blur the comparison of arms).
    public var models: [String]?

    public init(
        requestID: String, userID: String? = nil, deadline: Duration? = nil, onMidStreamFailure: MidStreamFailurePolicy = .stop,
        models: [String]? = nil
    ) {
        self.requestID = requestID
        self.userID = userID
        self.deadline = deadline
        self.onMidStreamFailure = onMidStreamFailure
        self.models = models
    }
}

/// One step of the gateway's answer to a request.
public enum GatewayEvent: Sendable, Hashable {
    /// A model produced its first event; what follows comes from it.
    case started(model: String, provider: ProviderKind, attempt: Int)
    /// More text.
    case delta(String)
    /// Tokens the answering call used.
    case usage(Usage)
    /// The answer is complete; the last event of a successful request.
    case done(FinishReason)
    /// The answering model's stream broke after its first token. With `restarting`, a new
    /// `.started` follows and its text replaces everything received before; without, the
    /// request fails with `error`.
    case interrupted(ModelError, restarting: Bool)
}

/// The route a request follows.
public struct RoutePlan: Sendable, Hashable {
    /// The route's name (the task, or `default`).
    public var route: String
    /// Model ids to try in order.
    public var models: [String]
    /// The experiment arm the request is in, if any.
    public var assignment: ExperimentAssignment?
}

/// A complete answer, for callers that do not stream.
public struct GatewayResult: Sendable, Hashable {
    public var text: String
    public var model: String
    public var usage: Usage?
    public var finishReason: FinishReason
}

/// The gateway's ties to the outside world, replaceable in tests.
public struct GatewayEnvironment: Sendable {
    /// The clock of circuit-breaker cool-downs.
    public var now: @Sendable () -> ContinuousClock.Instant
    /// Waits between retries.
    public var sleep: @Sendable (Duration) async throws -> Void
    /// A random number in [0, 1), for back-off jitter.
    public var random: @Sendable () -> Double
    /// Looks up an environment variable (for API keys).
    public var environmentVariable: @Sendable (String) -> String?

    public init(
        now: @escaping @Sendable () -> ContinuousClock.Instant,
        sleep: @escaping @Sendable (Duration) async throws -> Void,
        random: @escaping @Sendable () -> Double,
        environmentVariable: @escaping @Sendable (String) -> String?
    ) {
        self.now = now
        self.sleep = sleep
        self.random = random
        self.environmentVariable = environmentVariable
    }

    /// The real clock, sleeps, randomness and process environment.
    public static var live: GatewayEnvironment {
        GatewayEnvironment(
            now: { ContinuousClock.now },
            sleep: { try await Task.sleep(for: $0) },
            random: { Double.random(in: 0..<1) },
            environmentVariable: { ProcessInfo.processInfo.environment[$0] })
    }
}
