import AidConfig
import AidProtocol
import AidStore
import Builds
import FileWatching
import Foundation
import JSONRPC
import Logging
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The running daemon: one per user and socket. Owns the listening socket, the lock, the
/// store and the JSON-RPC server, and carries out restarts (re-exec with the socket handed
/// over) and shutdowns.
public final class Daemon: Sendable {
    /// Why the daemon stops serving.
    public enum StopReason: Sendable, Equatable { case restart, shutdown }

    public struct Options: Sendable {
        public var paths: AidPaths
        /// Overrides `daemon.log_level` from the configuration.
        public var logLevel: String?
        public init(paths: AidPaths, logLevel: String? = nil) {
            self.paths = paths
            self.logLevel = logLevel
        }
    }

    public let paths: AidPaths
    public let generation: Int
    /// This process's id, read once (on a VM every system call counts on the request path).
    let pid = Int(getpid())
    let startedAt: String
    let executablePath: String
    /// The image this process runs; it cannot change while the process lives.
    let executable: DaemonStatus.Executable
    let configuration: AidConfiguration
    let configErrors: [String]
    let logger: Logger
    let logSink: FileLogHandler.Sink
    let store: AidStore
    let requestLog: RequestLog
    let recorder: RequestRecorder
    /// The initialized clients and their workspaces.
    let clients = ClientDirectory()
    /// Builds every workspace a client works in.
    let builds: BuildService
    /// The model gateway, its records and its local HTTP endpoint.
    let models: ModelService
    /// The workspace indexes and context engines of the main job.
    let contexts: WorkspaceContexts
    /// The main job: proposals, applies, feedback, chat, context previews.
    let edits: EditService
    let lock: DaemonLock
    let listeningDescriptor: CInt
    let tookOver = ContinuousClock.now
    private let server = Mutex<RPCServer?>(nil)
    private let stopRequest = Mutex<(reason: StopReason, drainTimeoutMs: Int?)?>(nil)
    private let stopSignal: AsyncStream<Void>
    private let stopContinuation: AsyncStream<Void>.Continuation
    let openRPCDocument: JSONValue
    private let names = Mutex<(methods: [String], notifications: [String])>(([], []))
    var methodNames: [String] { names.withLock { $0.methods } }
    var notificationNames: [String] { names.withLock { $0.notifications } }
    private let options: Options

    /// What starting found.
    public enum StartOutcome: Sendable {
        case started(Daemon)
        /// Another daemon holds the socket's lock.
        case alreadyRunning(pid: Int?)
    }

    /// Takes the lock, binds (or adopts, after a restart) the socket, opens the store and
    /// starts serving.
    public static func start(options: Options) async throws -> StartOutcome {
        let paths = options.paths
        try PrivateDirectory.ensure(paths.socketDirectory)
        try PrivateDirectory.ensure(paths.stateDirectory)
        let handover = Handover.fromEnvironment()
        Handover.clearEnvironment()
        let lock: DaemonLock
        let listening: CInt
        if let handover {
            lock = .adopt(descriptor: handover.lockDescriptor)
            listening = handover.listeningDescriptor
        } else {
            switch try DaemonLock.acquire(path: paths.lockFile) {
            case .heldBy(let pid): return .alreadyRunning(pid: pid)
            case .acquired(let acquired): lock = acquired
            }
            listening = try UnixSocket.listen(path: paths.socket)
        }
        let daemon = try Daemon(options: options, handover: handover, lock: lock, listening: listening)
        try await daemon.serve()
        return .started(daemon)
    }

    private init(options: Options, handover: Handover?, lock: DaemonLock, listening: CInt) throws {
        self.options = options
        paths = options.paths
        self.lock = lock
        listeningDescriptor = listening
        generation = handover?.generation ?? 0
        startedAt = handover?.startedAt ?? Self.iso8601Now()
        executablePath = handover?.executablePath ?? ExecutableIdentity.installedPath()
        executable = ExecutableIdentity.running(path: executablePath)
        var configErrors: [String] = []
        var configuration: AidConfiguration
        do {
            configuration = try AidConfiguration.load(userFile: paths.configFile)
        } catch {
            configErrors = error.errors.map(\.description)
            configuration = AidConfiguration()
        }
        // Errors in the models' tables leave the rest of the configuration in force.
        let modelErrors = configuration.modelErrors.map(\.description)
        configErrors += modelErrors
        self.configuration = configuration
        self.configErrors = configErrors
        logSink = try FileLogHandler.Sink(path: paths.logFile, maximumBytes: configuration.logMaxBytes, keptFiles: configuration.logFiles)
        let level = Logger.Level(rawValue: options.logLevel ?? configuration.logLevel) ?? .info
        let sink = logSink
        logger = Logger(label: "aid") { label in FileLogHandler(label: label, sink: sink, level: level) }
        store = try AidStore(path: paths.databaseFile)
        requestLog = RequestLog(store: store, logger: logger)
        recorder = RequestRecorder(log: requestLog, generation: generation, logger: logger)
        // One inotify watcher per workspace, shared by its build monitor and its index.
        let fileWatchers = SharedFileWatchers()
        builds = BuildService(store: store, userConfigFile: paths.configFile,
                              privateDirectories: [paths.stateDirectory, paths.socketDirectory],
                              fileWatchers: fileWatchers, logger: logger)
        openRPCDocument = (try? JSONParser.parse(OpenRPCDocument.text)) ?? .object([:])
        (stopSignal, stopContinuation) = AsyncStream.makeStream(of: Void.self)
        models = ModelService(configuration: configuration, configurationProblems: modelErrors,
                              stateDirectory: paths.stateDirectory, store: store, logger: logger)
        contexts = WorkspaceContexts(stateDirectory: paths.stateDirectory, diagnostics: BuildDiagnosticsSource(provider: builds),
                                     privateDirectories: [paths.stateDirectory, paths.socketDirectory],
                                     fileWatchers: fileWatchers, logger: logger)
        edits = EditService(models: models, contexts: contexts, store: store, buildHistory: builds.buildHistory, logger: logger)
        for error in configErrors { logger.error("Configuration: \(error)") }
    }

    /// Now, as ISO 8601 in UTC to the second (`2026-11-22T09:00:00Z`, as ISO8601DateFormatter
    /// writes it), without Foundation's formatters: they load ICU's data, megabytes of resident
    /// memory for one timestamp.
    static func iso8601Now() -> String {
        var time = time(nil)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    /// The parameter names of every method in document order, for params given by position.
    static func positionalNames(_ document: JSONValue) -> [String: [String]] {
        var names: [String: [String]] = [:]
        for method in document["methods"]?.arrayValue ?? [] {
            guard let name = method["name"]?.stringValue else { continue }
            names[name] = (method["params"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        }
        return names
    }

    private func serve() async throws {
        var table = MethodTable()
        table.positionalParameterNames = Self.positionalNames(openRPCDocument)
        DaemonHandlers.register(in: &table, daemon: self)
        BuildHandlers.register(in: &table, builds: builds)
        ModelHandlers.register(in: &table, models: models)
        EditHandlers.register(in: &table, edits: edits)
        let sent = [ProgressNotification.method, BuildStatusChangedNotification.method, ModelDeltaNotification.method,
                    EditDeltaNotification.method, ChatDeltaNotification.method]
        let notifications = Array(Set(table.notificationMethods).union(sent)).sorted()
        names.withLock { $0 = (table.requestMethods, notifications) }
        var serverConfiguration = RPCServerConfiguration()
        serverConfiguration.maximumFrameBytes = configuration.maximumFrameBytes
        serverConfiguration.maximumQueuedBytes = configuration.maximumQueuedBytes
        serverConfiguration.drainExemptMethods = [DaemonRestartRequest.method, DaemonShutdownRequest.method]
        let observers = ServerObservers(members: [recorder, clients, builds])
        let server = RPCServer(configuration: serverConfiguration, methods: table, observer: observers, logger: logger)
        self.server.withLock { $0 = server }
        // Signals first: from the first accepted connection on, SIGTERM must mean a graceful stop.
        installSignalHandlers()
        // Before the socket serves: once the daemon answers, its endpoint answers too.
        await models.startEndpoint()
        try await server.start(listeningSocket: listeningDescriptor)
        logger.notice("Aid \(AidVersion.current) serving on \(paths.socket) (pid \(getpid()), generation \(generation), binary \(executablePath)).")
    }

    private func installSignalHandlers() {
        let reasons: [Int32: StopReason] = [SIGTERM: .shutdown, SIGINT: .shutdown, SIGHUP: .restart]
        let problem = SignalRelay.install(Array(reasons.keys)) { [weak self] number in
            self?.logger.notice("Received signal \(number).")
            if let reason = reasons[number] { self?.requestStop(reason, drainTimeoutMs: nil) }
        }
        if let problem { logger.error("Signals cannot be handled (\(problem)); stop the daemon with `aid stop`.") }
        signal(SIGPIPE, SIG_IGN)
    }

    /// The current build diagnostics of the watched workspaces, for the context engine.
    public var diagnosticsProvider: any DiagnosticsProvider { builds }

    // MARK: Status

    func inFlightRequests() -> Int {
        server.withLock { $0 }?.inFlightCount ?? 0
    }

    func status() -> DaemonStatus {
        let server = self.server.withLock { $0 }
        let elapsed = ContinuousClock.now - tookOver
        return DaemonStatus(
            version: AidVersion.current, protocolVersion: ProtocolMessages.protocolVersion, pid: pid,
            generation: generation, startedAt: startedAt,
            uptimeSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18,
            executable: executable, socketPath: paths.socket,
            stateDirectory: paths.stateDirectory, logFile: paths.logFile, connections: server?.connectionCount ?? 0,
            inFlightRequests: server?.inFlightCount ?? 0, requestsServed: recorder.requestsServed,
            workspaces: clients.workspaces,
            configErrors: configErrors, indexes: contexts.statuses)
    }

    // MARK: Stopping

    /// Asks the daemon to restart or shut down; the first request wins.
    public func requestStop(_ reason: StopReason, drainTimeoutMs: Int?) {
        let first = stopRequest.withLock { current -> Bool in
            guard current == nil else { return false }
            current = (reason, drainTimeoutMs)
            return true
        }
        if first { stopContinuation.yield() }
    }

    /// Serves until a restart or shutdown is requested, drains, and then re-executes the
    /// installed binary (restart) or cleans up (shutdown). Returns only for a shutdown, or when
    /// the new binary could not be executed (the daemon then goes on serving).
    public func run() async -> StopReason {
        for await _ in stopSignal { break }
        let (reason, drainMs) = stopRequest.withLock { $0! }
        let server = self.server.withLock { $0! }
        let timeout = Duration.milliseconds(drainMs ?? configuration.drainTimeoutMs)
        let draining = ContinuousClock.now
        // Let the answer to daemon/restart or daemon/shutdown reach its client first.
        await Task.yield()
        await server.drain(timeout: timeout)
        // Running builds die with the daemon's monitors rather than outlive them.
        await builds.stopAll()
        contexts.stopAll()
        // The endpoint closes (the next process opens it again) and model records are stored.
        if reason == .restart { await models.stop() } else { await models.shutdown() }
        logger.notice("Drained in \(ContinuousClock.now - draining); \(reason == .restart ? "restarting" : "shutting down").")
        requestLog.close()
        if reason == .restart {
            reexec()
            // Only reached when exec failed.
            builds.reopen()
            contexts.reopen()
            await models.startEndpoint()
            return .restart
        }
        await server.stop()
        unlink(paths.socket)
        lock.release()
        logger.notice("Stopped.")
        return .shutdown
    }

    private func reexec() {
        let next = Handover(listeningDescriptor: listeningDescriptor, lockDescriptor: lock.descriptor,
                            generation: generation + 1, startedAt: startedAt, executablePath: executablePath)
        next.export()
        UnixSocket.keepAcrossExec(listeningDescriptor)
        UnixSocket.keepAcrossExec(lock.descriptor)
        var arguments = [executablePath, "daemon", "--foreground"]
        if let level = options.logLevel { arguments += ["--log-level", level] }
        logger.notice("Executing \(executablePath) (generation \(generation + 1)).")
        let argv = arguments.map { strdup($0) } + [nil]
        execv(executablePath, argv)
        let reason = String(cString: strerror(errno))
        logger.critical("Could not execute \(executablePath): \(reason). The daemon exits; the next client starts a new one.")
        Handover.clearEnvironment()
    }
}
