import AidTestSupport
import AidStore
import Foundation
import GRDB
import Testing

struct BuildHistoryTests {
    private func history() throws -> BuildHistory {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return BuildHistory(store: try AidStore(path: directory.appendingPathComponent("aid.sqlite").path))
    }

    private func run(_ workspace: String, startedAt: Double, outcome: BuildRunRecord.Outcome) -> BuildRunRecord {
        BuildRunRecord(workspace: workspace, command: "dune build", buildSystem: "dune", reason: "change", changedPaths: "[]",
                       startedAt: startedAt, finishedAt: startedAt + 1, durationMs: 1000, exitStatus: outcome == .green ? 0 : 1,
                       outcome: outcome, errorCount: 0, warningCount: 0, diagnostics: "[]", message: nil, outputTail: nil)
    }

    @Test func runsAreRecordedNewestFirstPerWorkspace() throws {
        let history = try history()
        try history.record(run("/w", startedAt: 100, outcome: .green))
        try history.record(run("/w", startedAt: 200, outcome: .red))
        try history.record(run("/other", startedAt: 300, outcome: .green))
        let runs = try history.recentRuns(workspace: "/w")
        #expect(runs.map(\.startedAt) == [200, 100])
        #expect(runs.map(\.outcome) == [.red, .green])
        #expect(runs.allSatisfy { $0.id != nil })
    }

    @Test func anAppliedChangeIsLinkedToTheFirstBuildThatStartedAfterItAndFinished() throws {
        let history = try history()
        let change = try history.recordAppliedChange(workspace: "/w", appliedAt: Date(timeIntervalSince1970: 1000),
                                                     source: "proposal", proposalId: "p-42")
        #expect(change.buildRunId == nil)
        // A build that started before the change does not judge it, nor does a cancelled one,
        // nor one of another workspace.
        try history.record(run("/w", startedAt: 999, outcome: .green))
        try history.record(run("/w", startedAt: 1001, outcome: .cancelled))
        try history.record(run("/other", startedAt: 1002, outcome: .green))
        #expect(try history.appliedChange(id: change.id!)?.buildRunId == nil)
        let judged = try history.record(run("/w", startedAt: 1003, outcome: .red))
        let linked = try #require(try history.appliedChange(id: change.id!))
        #expect(linked.buildRunId == judged.id)
        #expect(linked.proposalId == "p-42" && linked.source == "proposal")
        // Later builds leave the link alone.
        try history.record(run("/w", startedAt: 1004, outcome: .green))
        #expect(try history.appliedChange(id: change.id!)?.buildRunId == judged.id)
        #expect(try history.run(id: judged.id!)?.outcome == .red)
    }
}
