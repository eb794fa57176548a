import AidProtocol
import AidStore
import Foundation
import GRDB
import JSONRPC
import Models

extension ModelService {
    /// `metrics/summary`: the recorded calls (the queued ones stored first) summarised per
    /// model, task and arm, and the experiments' arms side by side.
    func summary(_ params: MetricsSummaryRequest) async throws -> MetricsReport {
        let since = try params.since.map { text -> Date in
            guard let date = MetricsWindow.start(text) else {
                throw ResponseError(.invalidParams, "params.since must be an ISO 8601 date-time such as 2026-11-22T09:00:00Z, or a span back from now such as 90s, 30m, 12h or 7d; got \"\(text)\"")
            }
            return date
        }
        await flushRecords()
        let controls = Dictionary(configuration.experiments.map { ($0.name, $0.control) }, uniquingKeysWith: { first, _ in first })
        let summary = try await store.database.read { db in
            try MetricsSummary.load(from: db, since: since, task: params.task, controls: controls)
        }
        var report = Self.report(summary, since: since)
        let acceptance = try EditRecords(store: store).acceptance(since: since, task: params.task)
        report.acceptance = acceptance.isEmpty ? nil : acceptance
        return report
    }

    static func report(_ summary: MetricsSummary, since: Date?) -> MetricsReport {
        func percentiles(_ p: MetricsSummary.Percentiles?) -> LatencyPercentiles? {
            p.map { LatencyPercentiles(p50: $0.p50, p90: $0.p90, p99: $0.p99) }
        }
        let groups = summary.groups.map { group in
            MetricsGroup(
                model: group.model, task: group.task, arm: group.arm, count: group.count, errors: group.errors,
                errorRate: group.errorRate, ttftMs: percentiles(group.timeToFirstToken), totalMs: percentiles(group.totalTime),
                inputTokens: group.inputTokens, outputTokens: group.outputTokens, cachedInputTokens: group.cachedInputTokens,
                costUsd: group.cost, cacheHitRatio: group.cacheHitRatio)
        }
        let experiments = summary.experiments.map { experiment in
            MetricsExperiment(experiment: experiment.experiment, control: experiment.control, arms: experiment.arms.map { arm in
                MetricsExperiment.Arm(
                    arm: arm.arm, trials: arm.trials, accepted: arm.accepted, acceptanceRate: arm.acceptanceRate,
                    ciLow: arm.confidenceInterval.lowerBound, ciHigh: arm.confidenceInterval.upperBound,
                    zAgainstControl: arm.zAgainstControl, significant: arm.significant)
            })
        }
        return MetricsReport(since: since.map { MetricsWindow.format($0) }, groups: groups, experiments: experiments)
    }
}
