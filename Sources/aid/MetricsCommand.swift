import AidProtocol
import ArgumentParser
import Foundation
import JSONRPC

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Summarise the recorded model calls per model, task and experiment arm; compare experiment arms.",
        discussion: """
            Counts every call (retries and fallbacks too): error rate, time to first token and total \
            time (p50/p90/p99 in ms), tokens, estimated cost and cache hit ratio. Experiments show \
            each arm's acceptance rate with its 95% confidence interval, and whether it differs \
            significantly from the control.
            """)

    @Flag(help: "Print the metrics/summary result as JSON.")
    var json = false

    @Option(help: "Only calls since then: 30m, 12h, 7d, or an ISO 8601 date-time.")
    var since: String?

    @Option(help: "Only calls of this task.")
    var task: String?

    func run() throws {
        let client = try CLI.connect()
        defer { client.close() }
        let report = try client.call(MetricsSummaryRequest(since: since, task: task))
        if json {
            CLI.printJSON(try JSONCoding.jsonValue(report))
        } else {
            print(Self.render(report))
        }
    }

    static func render(_ report: MetricsReport) -> String {
        var lines: [String] = []
        if report.groups.isEmpty {
            lines.append("No model calls recorded\(report.since.map { " since \($0)" } ?? "").")
        } else {
            lines.append(TextTable.render(
                header: ["model", "task", "arm", "calls", "errors", "ttft p50/p90/p99", "total p50/p90/p99", "tokens in/out", "cache", "cost $"],
                rows: report.groups.map { group in
                    [group.model, group.task, group.arm ?? "-", String(group.count),
                     String(format: "%.1f%%", group.errorRate * 100), percentiles(group.ttftMs), percentiles(group.totalMs),
                     "\(group.inputTokens)/\(group.outputTokens)", String(format: "%.0f%%", group.cacheHitRatio * 100),
                     String(format: "%.4f", group.costUsd)]
                }))
        }
        for experiment in report.experiments {
            lines.append("")
            lines.append("experiment \(experiment.experiment) (control \(experiment.control))")
            lines.append(TextTable.render(
                header: ["  arm", "trials", "accepted", "rate", "95% CI", "z", "significant"],
                rows: experiment.arms.map { arm in
                    ["  " + arm.arm, String(arm.trials), String(arm.accepted), String(format: "%.1f%%", arm.acceptanceRate * 100),
                     String(format: "%.1f%%-%.1f%%", arm.ciLow * 100, arm.ciHigh * 100),
                     arm.zAgainstControl.map { String(format: "%+.2f", $0) } ?? "-",
                     arm.arm == experiment.control ? "(control)" : (arm.significant ? "yes" : "no")]
                }))
        }
        if let acceptance = report.acceptance, !acceptance.isEmpty {
            lines.append("")
            lines.append("proposals (edit/feedback)")
            lines.append(TextTable.render(
                header: ["  model", "strategy", "task", "arm", "proposals", "applying", "repaired", "trials", "accepted", "rate",
                         "green after apply"],
                rows: acceptance.map { row in
                    ["  " + row.model, row.strategy, row.task, row.arm ?? "-", String(row.proposals), String(row.applying),
                     String(row.repaired), String(row.trials), String(row.accepted), String(format: "%.1f%%", row.acceptanceRate * 100),
                     row.builtAfterApply == 0 ? "-" : "\(row.greenAfterApply)/\(row.builtAfterApply)"]
                }))
        }
        return lines.joined(separator: "\n")
    }

    private static func percentiles(_ value: LatencyPercentiles?) -> String {
        guard let value else { return "-" }
        return "\(TextTable.milliseconds(value.p50))/\(TextTable.milliseconds(value.p90))/\(TextTable.milliseconds(value.p99))"
    }
}
