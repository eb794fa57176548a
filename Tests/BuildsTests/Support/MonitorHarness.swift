import AidConfig
import AidProtocol
import BuildDiagnostics
import Foundation
import Logging
@testable import Builds

/// A ``WorkspaceMonitor`` on a temporary workspace with a shell command as its build, and a
/// log of everything it does.
struct MonitorHarness: Sendable {
    let workspace: TemporaryWorkspace
    let monitor: WorkspaceMonitor
    let events: EventLog<BuildMonitorEvent>
    let statuses: EventLog<BuildStatus>

    /// `out/` (where commands keep their records) is the build's output directory, and
    /// `ignored/` is in `.gitignore`.
    init(command: String, testCommand: String? = nil, debounce: Duration = .milliseconds(100), onChange: BuildConfiguration.OnChange = .cancel,
         timeout: Duration = .seconds(120), killGrace: Duration = .seconds(2), prepare: (TemporaryWorkspace) throws -> Void = { _ in }) throws {
        workspace = try TemporaryWorkspace("monitor")
        try workspace.write(".gitignore", "ignored/\n")
        try workspace.makeDirectory("out")
        try workspace.makeDirectory("src")
        try workspace.makeDirectory("ignored")
        try prepare(workspace)
        var plan = BuildPlan(command: command, buildSystem: "configured", tool: .generic, marker: nil, outputDirectories: ["out"])
        plan.testCommand = testCommand
        let settings = BuildSettings(plan: plan, timeout: timeout, killGrace: killGrace, debounce: debounce, onChange: onChange)
        let events = EventLog<BuildMonitorEvent>()
        let statuses = EventLog<BuildStatus>()
        var logger = Logger(label: "aid.builds.test")
        logger.logLevel = .warning
        monitor = WorkspaceMonitor(root: workspace.root, settings: settings, options: .init(logger: logger),
                                   onStatus: { statuses.append($0) }, onEvent: { events.append($0) })
        self.events = events
        self.statuses = statuses
    }

    /// Starts the monitor and waits for the first build to finish.
    @discardableResult
    func startAndAwaitFirstBuild() async throws -> BuildStatus {
        await monitor.start()
        return try await finished(run: 1)
    }

    func started(run: Int, timeout: Duration = .seconds(120)) async throws -> (reason: BuildStatus.Reason, paths: [String]) {
        let event = try await events.next("build \(run) to start", timeout: timeout) { $0.started?.run == run }
        let started = event.started!
        return (started.reason, started.paths)
    }

    func finished(run: Int, timeout: Duration = .seconds(120)) async throws -> BuildStatus {
        let event = try await events.next("build \(run) to finish", timeout: timeout) { $0.finished?.run == run }
        return event.finished!.status
    }

    /// Every run that started, in order.
    var startedRuns: [(run: Int, reason: BuildStatus.Reason, paths: [String])] {
        events.all.compactMap(\.started)
    }

    func stop() async {
        await monitor.stop()
        workspace.delete()
    }
}

extension BuildMonitorEvent {
    var started: (run: Int, reason: BuildStatus.Reason, paths: [String])? {
        if case .started(let run, let reason, let paths) = self { return (run, reason, paths) }
        return nil
    }

    var finished: (run: Int, status: BuildStatus, exitedAt: ContinuousClock.Instant)? {
        if case .finished(let run, let status, let exitedAt) = self { return (run, status, exitedAt) }
        return nil
    }

    var cancelledRun: Int? {
        if case .cancelled(let run) = self { return run }
        return nil
    }

    var deferred: (run: Int, cancelling: Bool)? {
        if case .deferred(let run, let cancelling) = self { return (run, cancelling) }
        return nil
    }

    var changedPaths: [String]? {
        if case .changesReceived(let paths) = self { return paths }
        return nil
    }
}
