import AidProtocol
import FileWatching

/// What a ``WorkspaceMonitor`` does, step by step, for logs, tests and measurements.
public enum BuildMonitorEvent: Sendable {
    /// The watcher is watching; its set-up figures.
    case watching(FileWatcherStatistics)
    /// Changes that can trigger a build arrived (paths relative to the root); the debounce
    /// period starts again.
    case changesReceived([String])
    /// A build was asked for while one runs; `cancelling` tells whether the running one is
    /// being killed (`build.on_change = "cancel"`) or left to finish (`"queue"`).
    case deferred(run: Int, cancelling: Bool)
    /// A run started.
    case started(run: Int, reason: BuildStatus.Reason, changedPaths: [String])
    /// A run was cancelled and its result discarded.
    case cancelled(run: Int)
    /// A run finished; `exitedAt` is when its process was reaped.
    case finished(run: Int, status: BuildStatus, exitedAt: ContinuousClock.Instant)
    /// The configuration or the build files changed what is run.
    case settingsChanged(BuildSettings)
    /// The watcher reported a problem.
    case watchWarning(String)
}
