import AidProtocol
import Context
import FileWatching
import Foundation
import GRDB
import Logging
import Synchronization

/// One workspace's context machinery: its index (built once, then kept current by a file
/// watcher) and the context engine drawing on it.
final class WorkspaceContext: Sendable {
    /// The workspace root (canonical).
    let root: String
    let index: WorkspaceIndex
    let engine: ContextEngine
    private let ignore: IndexIgnoreMatcher
    private let logger: Logger
    private let ready: Task<Void, any Error>
    private let listeners = ProgressListeners()
    private let watch = WatchState()
    /// When it was last asked for, for dropping the least used workspace.
    let lastUsed = Mutex(ContinuousClock.now)
    /// The first build and the watcher's updates, for `daemon/status`.
    private let activity = IndexActivity()

    /// Opens the index of `root` and starts building it (a cold build indexes every file; a
    /// warm one re-reads what changed since the daemon last ran) while it subscribes to the
    /// workspace's shared file watcher. The index is ready when both are done, so no change
    /// made after the build read a file goes unnoticed: changes that arrive during the build
    /// are taken in after it.
    init(root: String, database: any DatabaseWriter, tokenCounter: any TokenCounter, diagnostics: any DiagnosticsSource,
         privateDirectories: [String], fileWatchers: SharedFileWatchers, logger: Logger) throws {
        self.root = root
        self.logger = logger
        index = try WorkspaceIndex(root: root, database: database)
        engine = ContextEngine(index: index, tokenCounter: tokenCounter, diagnostics: diagnostics)
        ignore = IndexIgnoreMatcher(root: root, privateDirectories: privateDirectories)
        let listeners = self.listeners
        let index = self.index
        let activity = self.activity
        let watch = self.watch
        let ignore = self.ignore
        let subscribing = Task {
            do {
                let subscription = try await fileWatchers.subscribe(root: root, matcher: ignore)
                if !watch.keep(subscription) { subscription.cancel() }
            } catch {
                logger.warning("Context: cannot watch \(root) (\(error)); the index is brought up to date before each request instead.")
            }
        }
        ready = Task {
            let report: IndexReport
            do {
                report = try await index.build { done, total, message in listeners.report(done, total, message) }
            } catch {
                activity.withLock { $0.state = "failed" }
                // Nothing will take the watcher's changes in: requests refresh the index instead.
                await subscribing.value
                watch.stop()
                throw error
            }
            activity.withLock { activity in
                activity.state = "ready"
                activity.buildSeconds = report.seconds
            }
            logger.info("Context: indexed \(root) in \(String(format: "%.2f", report.seconds)) s (\(report.indexed) files read, \(report.unchanged) unchanged, \(report.removed) removed)\(report.ctagsProblem.map { "; \($0)" } ?? "").")
            await subscribing.value
        }
        Task { [weak self] in
            guard (try? await self?.ready.value) != nil else { return }
            self?.followChanges()
        }
    }

    /// Waits until the first build of the index is done; `progress` hears of it meanwhile.
    func waitUntilReady(progress: IndexProgress?) async throws {
        lastUsed.withLock { $0 = .now }
        let id = UUID()
        if let progress { listeners.add(id, progress) }
        defer { listeners.remove(id) }
        try await ready.value
        try Task.checkCancellation()
    }

    /// Takes the watcher's changes into the index, from the first build on.
    private func followChanges() {
        guard let watcher = watch.subscription else { return }
        let index = self.index
        let logger = self.logger
        let root = self.root
        let activity = self.activity
        Task {
            for await event in watcher.events {
                do {
                    let started = ContinuousClock.now
                    switch event {
                    case .changes(let changes):
                        let paths = changes.flatMap { [$0.relativePath, $0.previousPath].compactMap { $0 } }
                        guard !paths.isEmpty else { continue }
                        try await index.update(changedPaths: paths)
                        let elapsed = ModelService.milliseconds(ContinuousClock.now - started)
                        logger.debug("Context: re-indexed \(paths.count) changed path(s) of \(root) in \(String(format: "%.2f", elapsed)) ms.")
                    case .rescanNeeded:
                        try await index.build()
                    }
                    let elapsed = ModelService.milliseconds(ContinuousClock.now - started)
                    activity.withLock { activity in
                        activity.updates += 1
                        activity.lastUpdateMilliseconds = elapsed
                    }
                } catch {
                    logger.warning("Context: updating the index of \(root) failed: \(error)")
                }
            }
        }
    }

    /// The index as `daemon/status` shows it.
    var status: DaemonStatus.Index {
        let size = index.size()
        return activity.withLock { activity in
            DaemonStatus.Index(root: root, state: activity.state, files: size.files, lines: size.lines,
                               buildSeconds: activity.buildSeconds, updates: activity.updates,
                               lastUpdateMilliseconds: activity.lastUpdateMilliseconds)
        }
    }

    /// Whether files are watched (otherwise the index is refreshed before each request).
    var isWatched: Bool { watch.subscription != nil }

    /// Brings the index up to date when no watcher does it.
    func refreshIfUnwatched() async {
        guard !isWatched else { return }
        do { try await index.build() } catch { logger.warning("Context: refreshing the index of \(root) failed: \(error)") }
    }

    /// Stops watching.
    func stop() {
        ready.cancel()
        watch.stop()
    }
}

/// A workspace index's subscription to its files' watcher, kept until the index stops.
final class WatchState: Sendable {
    private let state = Mutex<(subscription: FileWatchSubscription?, stopped: Bool)>((nil, false))

    /// The subscription, once made and until stopped.
    var subscription: FileWatchSubscription? { state.withLock { $0.subscription } }

    /// Keeps `subscription`; false when the index has stopped meanwhile.
    func keep(_ subscription: FileWatchSubscription) -> Bool {
        state.withLock { state in
            guard !state.stopped else { return false }
            state.subscription = subscription
            return true
        }
    }

    /// Cancels the subscription; one made later is not kept.
    func stop() {
        let subscription = state.withLock { state -> FileWatchSubscription? in
            state.stopped = true
            defer { state.subscription = nil }
            return state.subscription
        }
        subscription?.cancel()
    }
}

/// Whoever waits for an index's first build and wants to hear how it goes.
final class ProgressListeners: Sendable {
    private let listeners = Mutex<[UUID: IndexProgress]>([:])

    func add(_ id: UUID, _ listener: @escaping IndexProgress) { listeners.withLock { $0[id] = listener } }
    func remove(_ id: UUID) { _ = listeners.withLock { $0.removeValue(forKey: id) } }

    func report(_ done: Int, _ total: Int, _ message: String) {
        for listener in listeners.withLock({ Array($0.values) }) { listener(done, total, message) }
    }
}

/// What an index has been through: its first build and the watcher's updates since.
final class IndexActivity: Sendable {
    struct State {
        var state = "indexing"
        var buildSeconds: Double?
        var updates = 0
        var lastUpdateMilliseconds: Double?
    }

    private let state = Mutex(State())

    func withLock<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
}
