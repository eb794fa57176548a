import Foundation
import GRDB
import Histogram

/// Aggregates of model calls and experiments, for reports and dashboards.
public struct MetricsSummary: Sendable, Hashable {
    /// Latency percentiles in milliseconds.
    public struct Percentiles: Sendable, Hashable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
    }

    /// The calls of one model for one task in one arm (`arm` is `nil` outside experiments).
    public struct Group: Sendable, Hashable {
        public var model: String
        public var task: String
        public var arm: String?
        public var count: Int
        public var errors: Int
        public var errorRate: Double
        /// Of attempts that produced a first token.
        public var timeToFirstToken: Percentiles?
        public var totalTime: Percentiles?
        public var inputTokens: Int
        public var outputTokens: Int
        public var cachedInputTokens: Int
        public var cost: Double
        /// Cached prompt tokens over all prompt tokens.
        public var cacheHitRatio: Double
    }

    /// One arm's acceptance in an experiment.
    public struct ArmResult: Sendable, Hashable {
        public var arm: String
        /// Requests in the arm that received feedback.
        public var trials: Int
        public var accepted: Int
        public var acceptanceRate: Double
        /// 95% Wilson score interval of the acceptance rate.
        public var confidenceInterval: ClosedRange<Double>
        /// Two-proportion z against the control arm (`nil` for the control itself).
        public var zAgainstControl: Double?
        /// Whether the difference from the control is significant at 5%.
        public var significant: Bool
    }

    /// An experiment's arms side by side.
    public struct ExperimentResult: Sendable, Hashable {
        public var experiment: String
        public var control: String
        public var arms: [ArmResult]
    }

    /// The outcome of one request in an experiment: its arm and whether its answer was accepted
    /// (`nil` when no feedback arrived).
    public struct ExperimentOutcome: Sendable, Hashable {
        public var experiment: String
        public var arm: String
        public var requestID: String
        public var accepted: Bool?

        public init(experiment: String, arm: String, requestID: String, accepted: Bool?) {
            self.experiment = experiment
            self.arm = arm
            self.requestID = requestID
            self.accepted = accepted
        }
    }

    /// Groups ordered by model, task and arm.
    public var groups: [Group]
    /// Experiments ordered by name, arms by name with the control first.
    public var experiments: [ExperimentResult]

    /// Aggregates `records` and `outcomes`. `controls` names each experiment's control arm
    /// (default: an arm named `control`, else the first by name).
    public init(records: [ModelCallRecord], outcomes: [ExperimentOutcome] = [], controls: [String: String] = [:]) {
        struct Key: Hashable { var model: String; var task: String; var arm: String? }
        let byKey = Dictionary(grouping: records) { Key(model: $0.model, task: $0.task, arm: $0.arm) }
        groups = byKey.map { key, records in Self.group(key.model, key.task, key.arm, records) }
            .sorted { ($0.model, $0.task, $0.arm ?? "") < ($1.model, $1.task, $1.arm ?? "") }
        let byExperiment = Dictionary(grouping: outcomes, by: \.experiment)
        experiments = byExperiment.keys.sorted().map { name in
            Self.experiment(name, byExperiment[name]!, control: controls[name])
        }
    }

    private static func group(_ model: String, _ task: String, _ arm: String?, _ records: [ModelCallRecord]) -> Group {
        let errors = records.filter { $0.outcome == .failure }.count
        let input = records.reduce(0) { $0 + $1.inputTokens }
        let cached = records.reduce(0) { $0 + $1.cachedInputTokens }
        return Group(
            model: model, task: task, arm: arm, count: records.count, errors: errors,
            errorRate: records.isEmpty ? 0 : Double(errors) / Double(records.count),
            timeToFirstToken: percentiles(records.compactMap(\.timeToFirstToken)),
            totalTime: percentiles(records.map(\.totalTime)),
            inputTokens: input, outputTokens: records.reduce(0) { $0 + $1.outputTokens }, cachedInputTokens: cached,
            cost: records.reduce(0) { $0 + $1.costEstimate },
            cacheHitRatio: input == 0 ? 0 : Double(cached) / Double(input))
    }

    /// p50, p90 and p99 of `seconds`, in milliseconds, from an HDR histogram of microseconds
    /// (3 significant digits, up to one hour).
    static func percentiles(_ seconds: [Double]) -> Percentiles? {
        guard !seconds.isEmpty else { return nil }
        var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for value in seconds {
            let micros = UInt64(min(max(value * 1_000_000, 1), 3_600_000_000))
            _ = histogram.record(micros)
        }
        func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1000 }
        return Percentiles(p50: ms(50), p90: ms(90), p99: ms(99))
    }

    private static func experiment(_ name: String, _ outcomes: [ExperimentOutcome], control: String?) -> ExperimentResult {
        let byArm = Dictionary(grouping: outcomes, by: \.arm)
        let names = byArm.keys.sorted()
        let control = control ?? (names.contains("control") ? "control" : names.first ?? "")
        func counts(_ arm: String) -> (trials: Int, accepted: Int) {
            let judged = (byArm[arm] ?? []).compactMap(\.accepted)
            return (judged.count, judged.filter { $0 }.count)
        }
        let base = counts(control)
        let ordered = [control].filter { byArm[$0] != nil } + names.filter { $0 != control }
        let arms = ordered.map { arm -> ArmResult in
            let (trials, accepted) = counts(arm)
            let z = arm == control ? nil : Statistics.twoProportionZ(successesA: base.accepted, trialsA: base.trials, successesB: accepted, trialsB: trials)
            return ArmResult(
                arm: arm, trials: trials, accepted: accepted,
                acceptanceRate: trials == 0 ? 0 : Double(accepted) / Double(trials),
                confidenceInterval: Statistics.wilsonInterval(successes: accepted, trials: trials),
                zAgainstControl: z, significant: Statistics.isSignificant(z))
        }
        return ExperimentResult(experiment: name, control: control, arms: arms)
    }
}

extension MetricsSummary {
    /// The summary of the rows stored by `ModelCallStore` since `since` (all when `nil`), of
    /// requests of `task` only when given. An experiment request's acceptance is that of its
    /// latest feedback.
    public static func load(from db: Database, since: Date? = nil, task: String? = nil, controls: [String: String] = [:]) throws -> MetricsSummary {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM model_call WHERE startedAt >= ? AND (? IS NULL OR task = ?) ORDER BY id",
            arguments: [from, task, task])
        let records = rows.map { row in
            ModelCallRecord(
                requestID: row["requestId"], startedAt: Date(timeIntervalSince1970: row["startedAt"]), task: row["task"],
                route: row["route"], model: row["model"], provider: ProviderKind(rawValue: row["provider"]) ?? .openai,
                experiment: row["experiment"], arm: row["arm"], attempt: row["attempt"], fallbackIndex: row["fallbackIndex"],
                outcome: CallOutcome(rawValue: row["outcome"]) ?? .failure, errorClass: row["errorClass"], httpStatus: row["httpStatus"],
                timeToFirstToken: (row["ttftMs"] as Double?).map { $0 / 1000 }, totalTime: (row["totalMs"] as Double) / 1000,
                usage: Usage(inputTokens: row["inputTokens"], outputTokens: row["outputTokens"], cachedInputTokens: row["cachedInputTokens"], cacheCreationTokens: row["cacheCreationTokens"]),
                costEstimate: row["costUsd"])
        }
        let outcomeRows = try Row.fetchAll(db, sql: """
            SELECT a.experiment, a.arm, a.requestId,
                   (SELECT f.accepted FROM feedback f WHERE f.requestId = a.requestId
                    ORDER BY f.createdAt DESC, f.id DESC LIMIT 1) AS accepted
            FROM experiment_assignment a
            WHERE a.assignedAt >= ? AND (? IS NULL OR a.task = ?)
            """, arguments: [from, task, task])
        let outcomes = outcomeRows.map { row in
            ExperimentOutcome(experiment: row["experiment"], arm: row["arm"], requestID: row["requestId"], accepted: row["accepted"])
        }
        return MetricsSummary(records: records, outcomes: outcomes, controls: controls)
    }
}
