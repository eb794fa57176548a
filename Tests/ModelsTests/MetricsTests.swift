import Foundation
import GRDB
import Models
import Testing

@Suite struct MetricsTests {
    private func record(
        _ request: String, model: String = "gpt", task: String = "edit", arm: String? = nil, outcome: CallOutcome = .success,
        ttft: Double? = 0.2, total: Double = 1.0, usage: Usage = Usage(inputTokens: 1000, outputTokens: 100, cachedInputTokens: 800), cost: Double = 0.01
    ) -> ModelCallRecord {
        ModelCallRecord(
            requestID: request, startedAt: Date(timeIntervalSince1970: 1_700_000_000), task: task, route: task, model: model,
            provider: .openai, experiment: arm == nil ? nil : "exp", arm: arm, userHash: arm == nil ? nil : "abcd", attempt: 1,
            fallbackIndex: 0, outcome: outcome, errorClass: outcome == .failure ? "server_error" : nil, timeToFirstToken: ttft,
            totalTime: total, usage: usage, costEstimate: cost)
    }

    @Test func wilsonIntervalAndZTestMatchKnownValues() throws {
        let interval = Statistics.wilsonInterval(successes: 50, trials: 100)
        #expect(abs(interval.lowerBound - 0.4038) < 0.0005)
        #expect(abs(interval.upperBound - 0.5962) < 0.0005)
        let zero = Statistics.wilsonInterval(successes: 0, trials: 10)
        #expect(zero.lowerBound == 0)
        #expect(abs(zero.upperBound - 0.2775) < 0.0005)
        #expect(Statistics.wilsonInterval(successes: 0, trials: 0) == 0...1)
        // 45/100 against 60/100: pooled 0.525, z = 0.15 / sqrt(0.525 * 0.475 * 0.02) = 2.1243.
        let z = try #require(Statistics.twoProportionZ(successesA: 45, trialsA: 100, successesB: 60, trialsB: 100))
        #expect(abs(z - 2.1243) < 0.001)
        #expect(Statistics.isSignificant(z))
        #expect(!Statistics.isSignificant(Statistics.twoProportionZ(successesA: 50, trialsA: 100, successesB: 55, trialsB: 100)))
        #expect(Statistics.twoProportionZ(successesA: 0, trialsA: 0, successesB: 1, trialsB: 2) == nil)
    }

    @Test func groupsByModelTaskAndArm() throws {
        var records = (1...100).map { record("r\($0)", ttft: Double($0) / 1000, total: Double($0) / 100) }
        records.append(record("e1", outcome: .failure, ttft: nil, total: 0.5, usage: Usage(), cost: 0))
        records.append(record("c1", model: "claude", arm: "b", usage: Usage(inputTokens: 500, outputTokens: 50, cacheCreationTokens: 500)))
        let summary = MetricsSummary(records: records)
        #expect(summary.groups.map { "\($0.model)/\($0.task)/\($0.arm ?? "-")" } == ["claude/edit/b", "gpt/edit/-"])
        let gpt = summary.groups[1]
        #expect(gpt.count == 101)
        #expect(gpt.errors == 1)
        #expect(abs(gpt.errorRate - 1.0 / 101) < 1e-9)
        let ttft = try #require(gpt.timeToFirstToken)
        #expect(abs(ttft.p50 - 50) < 0.1)
        #expect(abs(ttft.p90 - 90) < 0.1)
        #expect(abs(ttft.p99 - 99) < 0.1)
        let total = try #require(gpt.totalTime)
        #expect(abs(total.p50 - 500) < 1)
        #expect(gpt.inputTokens == 100_000)
        #expect(gpt.outputTokens == 10_000)
        #expect(abs(gpt.cacheHitRatio - 0.8) < 1e-9)
        #expect(abs(gpt.cost - 1.0) < 1e-9)
        #expect(summary.groups[0].cacheHitRatio == 0)
    }

    @Test func storeMigrationsAndAcceptanceByArm() throws {
        let queue = try DatabaseQueue()
        var migrator = DatabaseMigrator()
        registerModelMigrations(into: &migrator)
        try migrator.migrate(queue)
        let tables = try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") }
        #expect(tables.contains("model_call") && tables.contains("feedback") && tables.contains("experiment_assignment"))

        let store = ModelCallStore(writer: queue)
        // Control: 45 of 100 accepted; treatment: 60 of 100; 10 control requests without feedback.
        for index in 0..<110 {
            let id = "c\(index)"
            var failed = record(id, arm: "control", outcome: .failure, ttft: nil)
            failed.attempt = 1
            store.modelCallFinished(failed)
            var retried = record(id, arm: "control")
            retried.attempt = 2
            store.modelCallFinished(retried)
            if index < 100 { try store.insert(Feedback(requestID: id, kind: index < 45 ? "accepted" : "rejected", accepted: index < 45)) }
        }
        for index in 0..<100 {
            let id = "t\(index)"
            store.modelCallFinished(record(id, model: "claude", arm: "treatment"))
            // A first rejection later replaced by an acceptance counts as accepted (latest wins).
            try store.insert(Feedback(requestID: id, kind: "rejected", accepted: false, createdAt: Date(timeIntervalSince1970: 1)))
            if index < 60 { try store.insert(Feedback(requestID: id, kind: "accepted", accepted: true, createdAt: Date(timeIntervalSince1970: 2))) }
        }
        let assignments = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM experiment_assignment") }
        #expect(assignments == 210)

        let summary = try queue.read { db in try MetricsSummary.load(from: db) }
        let control = try #require(summary.groups.first { $0.arm == "control" })
        #expect(control.count == 220)
        #expect(control.errorRate == 0.5)
        let experiment = try #require(summary.experiments.first)
        #expect(experiment.experiment == "exp")
        #expect(experiment.arms.map(\.arm) == ["control", "treatment"])
        let (a, b) = (experiment.arms[0], experiment.arms[1])
        #expect(a.trials == 100 && a.accepted == 45)
        #expect(b.trials == 100 && b.accepted == 60)
        #expect(abs(b.acceptanceRate - 0.6) < 1e-9)
        #expect(b.confidenceInterval.contains(0.6))
        #expect(abs((b.zAgainstControl ?? 0) - 2.1243) < 0.001)
        #expect(b.significant)
        #expect(a.zAgainstControl == nil && !a.significant)
    }
}
