import AidProtocol
import AidStore
import Builds
import FileWatching
import Foundation
import JSONRPC
import Logging
import Synchronization

/// Builds the workspaces clients work in: a ``WorkspaceMonitor`` runs for every workspace root
/// some connected client gave in `initialize`, and stops when the last of them disconnects.
/// Every status change goes to each client attached to that workspace as `build/statusChanged`.
final class BuildService: RPCServerObserver, DiagnosticsProvider {
    private struct Workspace {
        let monitor: WorkspaceMonitor
        var connections: [UInt64: RPCConnection] = [:]
    }
    private struct State {
        var workspaces: [String: Workspace] = [:]
        /// The root each connection is attached to.
        var rootByConnection: [UInt64: String] = [:]
        /// Monitors being stopped, so that a new one for the same root starts only after.
        var stopping: [String: Task<Void, Never>] = [:]
        var closed = false
    }
    private let state = Mutex(State())
    private let logger: Logger
    private let history: BuildHistory
    private let userConfigFile: String
    /// Directories of the daemon's own (state, socket) that are never watched.
    private let privateDirectories: [String]
    private let fileWatchers: SharedFileWatchers

    init(store: AidStore, userConfigFile: String, privateDirectories: [String],
         fileWatchers: SharedFileWatchers = SharedFileWatchers(), logger: Logger) {
        history = BuildHistory(store: store)
        self.fileWatchers = fileWatchers
        self.userConfigFile = userConfigFile
        self.privateDirectories = privateDirectories
        self.logger = logger
    }

    /// The build history, also for recording applied changes.
    var buildHistory: BuildHistory { history }

    // MARK: Attaching clients

    /// Attaches `connection` to the workspace at `workspaceRoot` (detaching it from the one it
    /// had), starting that workspace's monitor if it is the first client there.
    func attach(_ connection: RPCConnection, workspaceRoot: String?) {
        let root = workspaceRoot.flatMap(Self.canonicalRoot)
        if let workspaceRoot, root == nil {
            logger.warning("Workspace root \(workspaceRoot) of client \(connection.clientInfo?.name ?? "?") is not a readable directory; no builds for it.")
        }
        // Reading the settings and the history takes a while: not under the lock. A monitor made
        // here and then not needed was never started, and is simply dropped.
        let needed = root.map { root in state.withLock { !$0.closed && $0.workspaces[root] == nil } } ?? false
        let candidate = needed ? root.map(makeMonitor) : nil
        let (start, stop) = state.withLock { state -> ((WorkspaceMonitor, Task<Void, Never>?)?, WorkspaceMonitor?) in
            guard !state.closed else { return (nil, nil) }
            let previous = state.rootByConnection[connection.id]
            guard previous != root else { return (nil, nil) }
            let stop = previous.flatMap { Self.remove(connection.id, from: $0, in: &state) }
            guard let root else { return (nil, stop) }
            state.rootByConnection[connection.id] = root
            if state.workspaces[root] != nil {
                state.workspaces[root]!.connections[connection.id] = connection
                return (nil, stop)
            }
            let monitor = candidate ?? makeMonitor(root: root)
            state.workspaces[root] = Workspace(monitor: monitor, connections: [connection.id: connection])
            return ((monitor, state.stopping[root]), stop)
        }
        if let stop { stopLater(stop) }
        if let (monitor, previous) = start {
            logger.info("Builds: watching workspace \(monitor.root).")
            Task {
                await previous?.value
                await monitor.start()
            }
        }
    }

    func connectionOpened(_ connection: RPCConnection) {}
    func requestCompleted(_ record: RequestRecord) {}

    func connectionClosed(_ connection: RPCConnection) {
        let stop = state.withLock { state -> WorkspaceMonitor? in
            guard let root = state.rootByConnection[connection.id] else { return nil }
            return Self.remove(connection.id, from: root, in: &state)
        }
        if let stop { stopLater(stop) }
    }

    /// Removes a connection from a workspace; returns the monitor to stop if none remains.
    private static func remove(_ id: UInt64, from root: String, in state: inout State) -> WorkspaceMonitor? {
        state.rootByConnection[id] = nil
        state.workspaces[root]?.connections[id] = nil
        guard let workspace = state.workspaces[root], workspace.connections.isEmpty else { return nil }
        state.workspaces[root] = nil
        return workspace.monitor
    }

    private func stopLater(_ monitor: WorkspaceMonitor) {
        let root = monitor.root
        logger.info("Builds: no client left in \(root); stopping its monitor.")
        let task = Task { await monitor.stop() }
        state.withLock { $0.stopping[root] = task }
        Task { [weak self] in
            await task.value
            self?.state.withLock { state in
                if state.stopping[root] == task { state.stopping[root] = nil }
            }
        }
    }

    /// Lets clients attach again after ``stopAll()`` (when a restart could not execute the new
    /// binary and the daemon goes on serving).
    func reopen() {
        state.withLock { $0.closed = false }
    }

    /// Stops every monitor and kills every running build (before a restart or shutdown).
    func stopAll() async {
        let monitors = state.withLock { state -> [WorkspaceMonitor] in
            state.closed = true
            let monitors = state.workspaces.values.map(\.monitor)
            state.workspaces.removeAll()
            state.rootByConnection.removeAll()
            return monitors
        }
        for monitor in monitors { await monitor.stop() }
        for task in state.withLock({ Array($0.stopping.values) }) { await task.value }
    }

    // MARK: Lookup

    /// The monitor for `workspaceRoot`, or, when nil, for the workspace `connection` opened.
    func monitor(for workspaceRoot: String?, connection: RPCConnection, method: String) throws(ResponseError) -> WorkspaceMonitor {
        guard let requested = workspaceRoot ?? connection.clientInfo?.workspaceRoot else {
            throw ResponseError(.workspaceUnknown, "\(method) needs a workspace: pass workspaceRoot, or give workspaceRoot in initialize")
        }
        guard let root = Self.canonicalRoot(requested) else {
            throw ResponseError(.workspaceUnknown, "workspace root \(requested) does not exist or is not a readable directory")
        }
        let (monitor, open) = state.withLock { state in (state.workspaces[root]?.monitor, state.workspaces.keys.sorted()) }
        guard let monitor else {
            let known = open.isEmpty ? "none" : open.joined(separator: ", ")
            throw ResponseError(.workspaceUnknown, "no client has opened workspace \(root): send initialize with workspaceRoot \(root) first (open workspaces: \(known))")
        }
        return monitor
    }

    func diagnostics(workspaceRoot: String, focus: DiagnosticsFocus?, contextLines: Int) async -> [LocatedDiagnostic]? {
        guard let root = Self.canonicalRoot(workspaceRoot),
              let monitor = state.withLock({ $0.workspaces[root]?.monitor }) else { return nil }
        return await monitor.diagnostics(focus: focus, contextLines: contextLines)
    }

    // MARK: Monitors

    private func makeMonitor(root: String) -> WorkspaceMonitor {
        let userConfigFile = self.userConfigFile
        let ignored = privateDirectories.compactMap { directory -> String? in
            guard let canonical = Self.canonicalRoot(directory), canonical.hasPrefix(root + "/") else { return nil }
            return String(canonical.dropFirst(root.count + 1))
        }
        let options = WorkspaceMonitor.Options(
            loadSettings: { BuildSettings.load(root: $0, userConfigFile: userConfigFile) },
            ignoredDirectories: ignored, history: history, logger: logger, fileWatchers: fileWatchers)
        let settings = BuildSettings.load(root: root, userConfigFile: userConfigFile)
        let recorded = settings.plan.flatMap { WorkspaceMonitor.lastRecordedStatus(history: history, root: root, command: $0.command) }
        return WorkspaceMonitor(root: root, settings: settings, options: options, initialStatus: recorded) { [weak self] status in
            self?.broadcast(BuildStatusChangedNotification(workspaceRoot: root, status: status))
        }
    }

    private func broadcast(_ notification: BuildStatusChangedNotification) {
        let connections = state.withLock { Array(($0.workspaces[notification.workspaceRoot]?.connections ?? [:]).values) }
        for connection in connections { connection.send(notification) }
    }

    /// The absolute, symlink-free path of an existing directory.
    static func canonicalRoot(_ path: String) -> String? {
        guard path.hasPrefix("/"), let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        let canonical = String(cString: resolved)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: canonical, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return canonical
    }
}
