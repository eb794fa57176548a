import AidProtocol
import Context
import FileWatching
import Foundation
import GRDB
import JSONRPC
import Logging
import Synchronization

/// The context machinery of every workspace the main job has served: one ``WorkspaceContext``
/// per root, opened on first use, its index stored in `index.sqlite` in the state directory.
/// The least recently used is closed when more than ``capacity`` are open.
final class WorkspaceContexts: Sendable {
    /// Workspaces kept open at most.
    let capacity: Int
    private let databasePath: String
    private let diagnostics: any DiagnosticsSource
    /// The daemon's own directories (never indexed when inside a workspace).
    private let privateDirectories: [String]
    private let fileWatchers: SharedFileWatchers
    private let logger: Logger
    private let state = Mutex<(database: DatabasePool?, open: [String: WorkspaceContext], closed: Bool)>((nil, [:], false))

    init(stateDirectory: String, diagnostics: any DiagnosticsSource, privateDirectories: [String],
         fileWatchers: SharedFileWatchers = SharedFileWatchers(), logger: Logger, capacity: Int = 16) {
        self.fileWatchers = fileWatchers
        databasePath = stateDirectory + "/index.sqlite"
        self.diagnostics = diagnostics
        self.privateDirectories = privateDirectories
        self.logger = logger
        self.capacity = capacity
    }

    /// The tokenizer every count uses: exact cl100k when its ranks file is found, else an
    /// estimate. Loaded on first use, not at start-up.
    var tokenCounter: any TokenCounter {
        tokenizer.withLock { cached in
            if let cached { return cached }
            let logger = self.logger
            let made = TokenCounterFactory.make { problem in logger.notice("Context: \(problem)") }
            cached = made
            return made
        }
    }
    private let tokenizer = Mutex<(any TokenCounter)?>(nil)

    /// The context of the workspace at `root` (canonical), ready to use: its index built.
    /// `progress` reports a cold build (`$/progress` for a request with a workDoneToken).
    func context(for root: String, progress: RequestContext?) async throws -> WorkspaceContext {
        let (context, evicted) = try open(root)
        evicted?.stop()
        var reporter: IndexProgressReporter?
        if let progress, progress.workDoneToken != nil { reporter = IndexProgressReporter(request: progress, root: root) }
        reporter?.begin()
        defer { reporter?.end() }
        var listener: IndexProgress?
        if let reporter {
            listener = { done, total, message in reporter.report(done: done, total: total, message: message) }
        }
        try await context.waitUntilReady(progress: listener)
        await context.refreshIfUnwatched()
        return context
    }

    private func open(_ root: String) throws -> (WorkspaceContext, evicted: WorkspaceContext?) {
        let (known, closed) = state.withLock { state in (state.open[root], state.closed) }
        if closed { throw ContextServiceError("the daemon is stopping; send the request again after it restarts") }
        if let known { return (known, nil) }
        // Opened (and migrated) once, under the lock: two pools migrating the same file at once
        // would both try to create its tables.
        let database = try state.withLock { state -> DatabasePool in
            if let database = state.database { return database }
            let database = try IndexDatabase.open(path: databasePath)
            state.database = database
            return database
        }
        let inside = privateDirectories.compactMap { directory -> String? in
            guard let canonical = BuildService.canonicalRoot(directory), canonical.hasPrefix(root + "/") else { return nil }
            return String(canonical.dropFirst(root.count + 1))
        }
        // Opening an index reads it from the database: not under the lock. When two requests
        // open the same workspace at once, the first one stored wins and the other is dropped.
        let candidate = try WorkspaceContext(root: root, database: database, tokenCounter: tokenCounter, diagnostics: diagnostics,
                                             privateDirectories: inside, fileWatchers: fileWatchers, logger: logger)
        let (chosen, evicted) = state.withLock { state -> (WorkspaceContext, WorkspaceContext?) in
            if let winner = state.open[root] { return (winner, nil) }
            state.open[root] = candidate
            guard state.open.count > capacity else { return (candidate, nil) }
            let others = state.open.values.filter { $0 !== candidate }
            guard let oldest = others.min(by: { $0.lastUsed.withLock { $0 } < $1.lastUsed.withLock { $0 } }) else { return (candidate, nil) }
            state.open[oldest.root] = nil
            return (candidate, oldest)
        }
        if chosen !== candidate { candidate.stop() }
        return (chosen, evicted)
    }

    /// The open indexes, by root, for `daemon/status`.
    var statuses: [DaemonStatus.Index] {
        let open = state.withLock { Array($0.open.values) }
        return open.map(\.status).sorted { $0.root < $1.root }
    }

    /// Stops every watcher (before a restart or shutdown).
    func stopAll() {
        let open = state.withLock { state -> [WorkspaceContext] in
            state.closed = true
            defer { state.open.removeAll() }
            return Array(state.open.values)
        }
        for context in open { context.stop() }
    }

    /// Lets workspaces open again after ``stopAll()`` (when a restart could not execute).
    func reopen() {
        state.withLock { $0.closed = false }
    }
}

/// Why the context of a workspace is not available.
struct ContextServiceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Sends `$/progress` for the cold build of a workspace index: begin, reports, end.
final class IndexProgressReporter: Sendable {
    private let request: RequestContext
    private let root: String
    private let lastPercentage = Mutex(-1)

    init(request: RequestContext, root: String) {
        self.request = request
        self.root = root
    }

    func begin() {
        request.progress(.init(kind: .begin, title: "Indexing \(root)", message: "checking the workspace index", percentage: 0))
    }

    func report(done: Int, total: Int, message: String) {
        let percentage = total == 0 ? 0 : min(100, done * 100 / total)
        let changed = lastPercentage.withLock { last -> Bool in
            guard percentage != last else { return false }
            last = percentage
            return true
        }
        if changed { request.progress(.init(kind: .report, message: message, percentage: percentage)) }
    }

    func end() {
        request.progress(.init(kind: .end, message: "index ready"))
    }
}
