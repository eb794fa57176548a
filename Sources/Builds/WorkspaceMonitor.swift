import AidProtocol
import AidStore
import BuildDiagnostics
import FileWatching
import Foundation
import Logging

/// Watches one workspace and builds it when files change: changes are debounced, one build runs
/// at a time, a change during a build cancels or queues it (`build.on_change`), and every
/// start and finish is published as a ``BuildStatus``.
///
/// Call ``start()`` once, ``stop()`` when no one needs the workspace any more.
public actor WorkspaceMonitor {
    /// What a monitor needs besides the workspace and its settings.
    public struct Options: Sendable {
        /// Re-reads the settings (the configuration and the build files) when `.aid/config.toml`
        /// changes or a build is asked for; nil keeps the settings given at creation.
        public var loadSettings: (@Sendable (String) -> BuildSettings)?
        /// Directories (relative to the root) never watched besides the build's outputs, such as
        /// the daemon's own state directory when it lies inside the workspace.
        public var ignoredDirectories: [String]
        /// Where finished runs are recorded; nil records nothing.
        public var history: BuildHistory?
        public var logger: Logger
        /// The environment builds start from (`build.env` is added to it).
        public var environment: [String: String]
        /// Where the workspace's files are watched; share one with the other watchers of the
        /// process (the workspace index) so each root has a single inotify watcher.
        public var fileWatchers: SharedFileWatchers

        public init(loadSettings: (@Sendable (String) -> BuildSettings)? = nil, ignoredDirectories: [String] = [],
                    history: BuildHistory? = nil, logger: Logger = Logger(label: "aid.builds"),
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    fileWatchers: SharedFileWatchers = SharedFileWatchers()) {
            self.loadSettings = loadSettings
            self.ignoredDirectories = ignoredDirectories
            self.history = history
            self.logger = logger
            self.environment = environment
            self.fileWatchers = fileWatchers
        }
    }

    struct RunningBuild {
        let run: Int
        let process: BuildProcess
        let task: Task<Void, Never>
    }

    /// The workspace root.
    public nonisolated let root: String
    let options: Options
    let onStatus: @Sendable (BuildStatus) -> Void
    let onEvent: @Sendable (BuildMonitorEvent) -> Void
    let historyQueue = DispatchQueue(label: "aid.build-history")

    /// The settings in force.
    public internal(set) var settings: BuildSettings
    /// The status as last published.
    public internal(set) var status: BuildStatus
    /// The diagnostics of the last finished run.
    public internal(set) var lastDiagnostics: [Diagnostic] = []
    var watcher: FileWatchSubscription?
    /// True from the moment a watcher is being set up (which takes a while on a large tree).
    var watching = false
    /// Counts watcher starts and stops, so that a set-up overtaken by a stop is undone.
    var watchGeneration = 0
    var watchedOutputDirectories: [String] = []
    var watchWarning: String?
    var pending: PendingTrigger?
    var debounceGeneration = 0
    var debounceTask: Task<Void, Never>?
    var current: RunningBuild?
    var queued: PendingTrigger?
    var nextRun = 1
    var waiters: [UUID: (minimumRun: Int, continuation: CheckedContinuation<BuildStatus, Never>)] = [:]
    var started = false
    var stopped = false

    /// Creates a monitor; nothing happens until ``start()``.
    ///
    /// - Parameters:
    ///   - onStatus: called with every new status, in order (from the monitor; keep it quick).
    ///   - onEvent: called with every step, in order.
    ///   - initialStatus: the status until the first build finishes, such as the last one
    ///     recorded (see ``lastRecordedStatus(history:root:command:)``); by default `unknown`.
    public init(root: String, settings: BuildSettings, options: Options = Options(), initialStatus: BuildStatus? = nil,
                onStatus: @escaping @Sendable (BuildStatus) -> Void = { _ in },
                onEvent: @escaping @Sendable (BuildMonitorEvent) -> Void = { _ in }) {
        self.root = root
        self.settings = settings
        self.options = options
        self.onStatus = onStatus
        self.onEvent = onEvent
        status = initialStatus ?? BuildStatus(state: .unknown, command: settings.plan?.command, buildSystem: settings.plan?.buildSystem,
                                              message: Self.combine(settings.unavailableReason, settings.configurationProblem))
    }

    /// Starts watching and runs the first build, after the debounce period. Without a build plan
    /// it only records why.
    public func start() async {
        guard !started, !stopped else { return }
        started = true
        guard settings.plan != nil else {
            options.logger.info("No build for \(root): \(settings.unavailableReason ?? "no command").")
            return
        }
        // Through the debounce, so that a `build/run` arriving right after joins this build, and
        // a client that leaves at once (a one-off command) costs no watcher set-up. The watcher
        // starts before the first build does, so no change after that build began is missed.
        schedule(PendingTrigger(reason: .initial))
    }

    /// Stops watching, kills a running build and answers every waiting ``runNow(wait:)``.
    public func stop() async {
        guard !stopped else { return }
        stopped = true
        debounceTask?.cancel()
        pending = nil
        queued = nil
        stopWatching()
        if let current {
            current.process.cancel()
            await current.task.value
        }
        for (_, waiter) in waiters { waiter.continuation.resume(returning: status) }
        waiters.removeAll()
    }

    /// Builds now, without waiting for the debounce (changes waiting for it are included). A
    /// running build is cancelled or followed, as `build.on_change` says. With `wait`, returns
    /// the status of the first build that started after this call once it has finished;
    /// otherwise the status at once.
    public func runNow(wait: Bool) async -> BuildStatus {
        reloadSettings()
        guard !stopped, settings.plan != nil else { return status }
        if !watching { await startWatching() }
        let minimumRun = nextRun
        var trigger = PendingTrigger(reason: .manual)
        if let waiting = pending {
            trigger = trigger.merged(with: waiting)
            pending = nil
            debounceGeneration += 1
            debounceTask?.cancel()
        }
        request(trigger)
        guard wait else { return status }
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id] = (minimumRun, continuation)
            }
        } onCancel: {
            Task { await self.answerWaiter(id) }
        }
    }

    /// The process group id of the running build, if one runs.
    public func runningProcessID() -> Int32? { current?.process.processID }

    // MARK: Scheduling

    /// Adds changes to those waiting for the debounce period, and starts it again.
    func schedule(_ trigger: PendingTrigger) {
        guard !stopped else { return }
        pending = trigger.merged(with: pending)
        debounceGeneration += 1
        let generation = debounceGeneration
        let debounce = settings.debounce
        debounceTask?.cancel()
        debounceTask = Task { [weak self] in
            if debounce > .zero { try? await Task.sleep(for: debounce) }
            await self?.debounceElapsed(generation)
        }
    }

    private func debounceElapsed(_ generation: Int) async {
        guard generation == debounceGeneration, pending != nil else { return }
        if !watching { await startWatching() }
        // Setting up the watcher may have taken a while: the changes may be built by now.
        guard let trigger = pending else { return }
        pending = nil
        request(trigger)
    }

    /// Starts a build, or, while one runs, cancels it or queues this one.
    func request(_ trigger: PendingTrigger) {
        guard !stopped, settings.plan != nil else { return }
        guard let current else {
            launch(trigger)
            return
        }
        queued = trigger.merged(with: queued)
        let cancelling = settings.onChange == .cancel
        onEvent(.deferred(run: current.run, cancelling: cancelling))
        if cancelling { current.process.cancel() }
    }

    private func launch(_ trigger: PendingTrigger) {
        guard let plan = settings.plan else { return }
        let run = nextRun
        nextRun += 1
        let environment = options.environment.merging(settings.environment) { _, configured in configured }
        let process = BuildProcess(options: .init(command: plan.shellCommand, directory: root, environment: environment,
                                                  timeout: settings.timeout, killGrace: settings.killGrace))
        let (timeout, root) = (settings.timeout, root)
        let task = Task { [weak self] in
            let result = await process.run()
            await self?.finished(run: run, result: result, plan: plan, trigger: trigger, timeout: timeout, root: root)
        }
        current = RunningBuild(run: run, process: process, task: task)
        var next = status
        next.state = .running
        next.command = plan.displayCommand
        next.buildSystem = plan.buildSystem
        next.run = run
        next.reason = trigger.reason
        next.changedPaths = trigger.paths.isEmpty ? nil : Array(trigger.paths.prefix(20))
        next.startedAt = Timestamp.iso8601(Date())
        next.durationMs = nil
        next.exitStatus = nil
        next.message = Self.combine(settings.configurationProblem, watchWarning)
        options.logger.debug("Build \(run) of \(root) started (\(trigger.reason.rawValue)): \(plan.displayCommand)")
        onEvent(.started(run: run, reason: trigger.reason, changedPaths: trigger.paths))
        publish(next)
    }

    private func finished(run: Int, result: BuildProcessResult, plan: BuildPlan, trigger: PendingTrigger, timeout: Duration,
                          root: String) {
        if current?.run == run { current = nil }
        if result.cancelled {
            options.logger.debug("Build \(run) of \(root) cancelled.")
            onEvent(.cancelled(run: run))
            record(run: run, result: result, plan: plan, trigger: trigger, outcome: .cancelled, evaluation: nil)
        } else {
            let evaluation = BuildEvaluation.evaluate(result, plan: plan, root: root, timeout: timeout)
            lastDiagnostics = evaluation.diagnostics
            var next = status
            next.state = evaluation.state
            next.durationMs = Int(result.duration.components.seconds * 1000 + result.duration.components.attoseconds / 1_000_000_000_000_000)
            next.exitStatus = result.exitStatus
            next.diagnostics = evaluation.diagnostics.map(BuildDiagnostic.init)
            next.message = Self.combine(evaluation.message, settings.configurationProblem, watchWarning)
            next.outputTail = evaluation.outputTail
            publish(next)
            onEvent(.finished(run: run, status: next, exitedAt: result.exitedAt))
            let errors = evaluation.diagnostics.filter { $0.severity == .error }.count
            options.logger.info("Build \(run) of \(root) is \(evaluation.state.rawValue) after \(next.durationMs ?? 0) ms (\(errors) errors).")
            record(run: run, result: result, plan: plan, trigger: trigger,
                   outcome: result.timedOut ? .timedOut : (evaluation.state == .green ? .green : .red), evaluation: evaluation)
            for (id, waiter) in waiters where waiter.minimumRun <= run {
                waiters[id] = nil
                waiter.continuation.resume(returning: next)
            }
        }
        guard !stopped, let next = queued else { return }
        queued = nil
        launch(next)
    }

    private func answerWaiter(_ id: UUID) {
        waiters.removeValue(forKey: id)?.continuation.resume(returning: status)
    }

    func publish(_ next: BuildStatus) {
        status = next
        onStatus(next)
    }

    static func combine(_ parts: String?...) -> String? {
        let present = parts.compactMap { $0 }.filter { !$0.isEmpty }
        return present.isEmpty ? nil : present.joined(separator: "; ")
    }
}
