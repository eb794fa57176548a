/// `metrics/summary`: counts, latencies, tokens and cost of the recorded model calls per model,
/// task and experiment arm, and each experiment's arms side by side.
public struct MetricsSummaryRequest: RPCRequest {
    public static let method = "metrics/summary"
    public typealias Result = MetricsReport

    /// Only calls since then: an ISO 8601 date-time (`2026-11-22T09:00:00Z`) or a span back from
    /// now (`90s`, `30m`, `12h`, `7d`). Default: every recorded call.
    public var since: String?
    /// Only calls of this task.
    public var task: String?

    public init(since: String? = nil, task: String? = nil) {
        self.since = since
        self.task = task
    }
}

/// The answer to `metrics/summary`.
public struct MetricsReport: Codable, Sendable, Equatable {
    /// The start of the period summarised (ISO 8601), when `since` was given.
    public var since: String?
    /// One group per model, task and arm, ordered by model, task and arm.
    public var groups: [MetricsGroup]
    /// The experiments with recorded requests, ordered by name.
    public var experiments: [MetricsExperiment]
    /// Acceptance of proposals per model, strategy and arm (absent when no proposal was made).
    public var acceptance: [MetricsAcceptance]?

    public init(since: String?, groups: [MetricsGroup], experiments: [MetricsExperiment], acceptance: [MetricsAcceptance]? = nil) {
        self.since = since
        self.groups = groups
        self.experiments = experiments
        self.acceptance = acceptance
    }
}
