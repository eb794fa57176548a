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
    private let watcher = Mutex<(watcher: FileWatcher?, stopped: Bool)>((nil, false))
    /// When it was last asked for, for dropping the least used workspace.
    let lastUsed = Mutex(ContinuousClock.now)
    /// The first build and the watcher's updates, for `daemon/status`.
    private let activity = IndexActivity()

    /// Opens the index of `root` and starts building it (a cold build indexes every file; a
    /// warm one re-reads what changed since the daemon last ran), then watches the files.
    init(root: String, database: any DatabaseWriter, tokenCounter: any TokenCounter, diagnostics: any DiagnosticsSource,
         privateDirectories: [String], logger: Logger) throws {
        self.root = root
        self.logger = logger
        index = try WorkspaceIndex(root: root, database: database)
        engine = ContextEngine(index: index, tokenCounter: tokenCounter, diagnostics: diagnostics)
        ignore = IndexIgnoreMatcher(root: root, privateDirectories: privateDirectories)
        let listeners = self.listeners
        let index = self.index
        let activity = self.activity
        ready = Task {
            let report: IndexReport
            do {
                report = try await index.build { done, total, message in listeners.report(done, total, message) }
            } catch {
                activity.withLock { $0.state = "failed" }
                throw error
            }
            activity.withLock { activity in
                activity.state = "ready"
                activity.buildSeconds = report.seconds
            }
            logger.info("Context: indexed \(root) in \(String(format: "%.2f", report.seconds)) s (\(report.indexed) files read, \(report.unchanged) unchanged, \(report.removed) removed)\(report.ctagsProblem.map { "; \($0)" } ?? "").")
        }
        Task { [weak self] in
            guard (try? await self?.ready.value) != nil else { return }
            await self?.startWatching()
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

    private func startWatching() async {
        let watcher = FileWatcher(root: root, ignoreMatcher: ignore)
        do {
            try await watcher.start()
        } catch {
            logger.warning("Context: cannot watch \(root) (\(error)); the index is brought up to date before each request instead.")
            return
        }
        let kept = self.watcher.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.watcher = watcher
            return true
        }
        guard kept else { return watcher.stop() }
        let index = self.index
        let ignore = self.ignore
        let logger = self.logger
        let root = self.root
        let activity = self.activity
        Task {
            for await event in watcher.events {
                do {
                    let started = ContinuousClock.now
                    switch event {
                    case .changes(let changes):
                        let paths = changes.flatMap { [$0.relativePath, $0.previousPath].compactMap { $0 } }.filter { !ignore.isPrivate($0) }
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
    var isWatched: Bool { watcher.withLock { $0.watcher != nil } }

    /// Brings the index up to date when no watcher does it.
    func refreshIfUnwatched() async {
        guard !isWatched else { return }
        do { try await index.build() } catch { logger.warning("Context: refreshing the index of \(root) failed: \(error)") }
    }

    /// Stops watching.
    func stop() {
        ready.cancel()
        let watcher = self.watcher.withLock { state -> FileWatcher? in
            state.stopped = true
            defer { state.watcher = nil }
            return state.watcher
        }
        watcher?.stop()
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
