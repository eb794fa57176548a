import AidProtocol
import AidStore
import Foundation

extension WorkspaceMonitor {
    /// Writes a run to the history, off the monitor (in order, on a queue of its own).
    func record(run: Int, result: BuildProcessResult, plan: BuildPlan, trigger: PendingTrigger,
                outcome: BuildRunRecord.Outcome, evaluation: BuildEvaluation?) {
        guard let history = options.history else { return }
        let diagnostics = (evaluation?.diagnostics ?? []).map(BuildDiagnostic.init)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let record = BuildRunRecord(
            workspace: root, command: plan.displayCommand, buildSystem: plan.buildSystem, reason: trigger.reason.rawValue,
            changedPaths: String(decoding: (try? encoder.encode(trigger.paths)) ?? Data("[]".utf8), as: UTF8.self),
            startedAt: result.startedAt.timeIntervalSince1970,
            finishedAt: result.startedAt.timeIntervalSince1970 + Self.seconds(result.duration),
            durationMs: Int(Self.seconds(result.duration) * 1000), exitStatus: result.exitStatus, outcome: outcome,
            errorCount: diagnostics.filter { $0.severity == .error }.count,
            warningCount: diagnostics.filter { $0.severity == .warning }.count,
            diagnostics: String(decoding: (try? encoder.encode(diagnostics)) ?? Data("[]".utf8), as: UTF8.self),
            message: evaluation?.message, outputTail: evaluation?.outputTail)
        let logger = options.logger
        historyQueue.async {
            do {
                try history.record(record)
            } catch {
                logger.error("Could not record build \(run) of \(record.workspace): \(error)")
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Returns once every run finished so far is in the history.
    public func historyWritten() async {
        await withCheckedContinuation { continuation in
            historyQueue.async { continuation.resume() }
        }
    }

    /// The result of the last build of `root` with `command` that the history holds (from an
    /// earlier session of the daemon), to show until a new build has finished; nil when there
    /// is none.
    public static func lastRecordedStatus(history: BuildHistory, root: String, command: String) -> BuildStatus? {
        guard let runs = try? history.recentRuns(workspace: root, limit: 20),
              let last = runs.first(where: { $0.outcome != .cancelled && $0.command == command }) else { return nil }
        let diagnostics = (try? JSONDecoder().decode([BuildDiagnostic].self, from: Data(last.diagnostics.utf8))) ?? []
        let startedAt = Date(timeIntervalSince1970: last.startedAt)
        return BuildStatus(
            state: last.outcome == .green ? .green : .red, command: last.command, buildSystem: last.buildSystem,
            startedAt: Timestamp.iso8601(startedAt),
            durationMs: last.durationMs, exitStatus: last.exitStatus, diagnostics: diagnostics,
            message: combine("the result of a build recorded earlier; the workspace is built again shortly", last.message),
            outputTail: last.outputTail)
    }
}
