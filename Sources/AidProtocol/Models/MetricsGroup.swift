/// The recorded calls of one model for one task in one experiment arm.
public struct MetricsGroup: Codable, Sendable, Equatable {
    public var model: String
    public var task: String
    /// The experiment arm; absent for calls outside experiments.
    public var arm: String?
    /// Calls (attempts, retries and fallbacks included).
    public var count: Int
    /// Failed calls.
    public var errors: Int
    /// `errors / count`.
    public var errorRate: Double
    /// Time to the first token, of the calls that produced one.
    public var ttftMs: LatencyPercentiles?
    /// Time to the end of the call.
    public var totalMs: LatencyPercentiles?
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    /// Estimated cost in US dollars, from the model's prices.
    public var costUsd: Double
    /// Cached prompt tokens over all prompt tokens.
    public var cacheHitRatio: Double

    public init(model: String, task: String, arm: String?, count: Int, errors: Int, errorRate: Double, ttftMs: LatencyPercentiles?,
                totalMs: LatencyPercentiles?, inputTokens: Int, outputTokens: Int, cachedInputTokens: Int, costUsd: Double,
                cacheHitRatio: Double) {
        self.model = model
        self.task = task
        self.arm = arm
        self.count = count
        self.errors = errors
        self.errorRate = errorRate
        self.ttftMs = ttftMs
        self.totalMs = totalMs
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.costUsd = costUsd
        self.cacheHitRatio = cacheHitRatio
    }
}

/// Latency percentiles in milliseconds.
public struct LatencyPercentiles: Codable, Sendable, Equatable {
    public var p50: Double
    public var p90: Double
    public var p99: Double

    public init(p50: Double, p90: Double, p99: Double) {
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }
}

/// An experiment's arms side by side.
public struct MetricsExperiment: Codable, Sendable, Equatable {
    public var experiment: String
    /// The arm the others are compared with.
    public var control: String
    /// The control first, then the other arms by name.
    public var arms: [Arm]

    public init(experiment: String, control: String, arms: [Arm]) {
        self.experiment = experiment
        self.control = control
        self.arms = arms
    }

    /// One arm's acceptance.
    public struct Arm: Codable, Sendable, Equatable {
        public var arm: String
        /// Requests in the arm whose answer received feedback.
        public var trials: Int
        /// Of those, the accepted ones.
        public var accepted: Int
        /// `accepted / trials` (0 without trials).
        public var acceptanceRate: Double
        /// The 95% Wilson score interval of the acceptance rate: lower bound.
        public var ciLow: Double
        /// The 95% Wilson score interval of the acceptance rate: upper bound.
        public var ciHigh: Double
        /// The two-proportion z statistic against the control (absent for the control itself, and
        /// when either arm has no trials).
        public var zAgainstControl: Double?
        /// Whether the difference from the control is significant at the 5% level.
        public var significant: Bool

        public init(arm: String, trials: Int, accepted: Int, acceptanceRate: Double, ciLow: Double, ciHigh: Double,
                    zAgainstControl: Double?, significant: Bool) {
            self.arm = arm
            self.trials = trials
            self.accepted = accepted
            self.acceptanceRate = acceptanceRate
            self.ciLow = ciLow
            self.ciHigh = ciHigh
            self.zAgainstControl = zAgainstControl
            self.significant = significant
        }
    }
}
