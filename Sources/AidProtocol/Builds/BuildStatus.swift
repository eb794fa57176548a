/// Where the build of one workspace stands: the run in progress, or the last one that finished.
public struct BuildStatus: Codable, Sendable, Equatable {
    /// The overall state.
    public enum State: String, Codable, Sendable, Equatable {
        /// No build has finished yet, or none is known for the workspace (see `message`).
        case unknown
        /// A build is running.
        case running
        /// The last build succeeded.
        case green
        /// The last build failed, timed out, or could not be started.
        case red
    }

    /// Why a run started.
    public enum Reason: String, Codable, Sendable, Equatable {
        /// The first build after the workspace was opened.
        case initial
        /// Files changed (see `changedPaths`).
        case change
        /// A client asked with `build/run`.
        case manual
        /// The file watcher lost events, so the tree may have changed unseen.
        case rescan
    }

    public var state: State
    /// The shell command in force; nil when no build is known for the workspace.
    public var command: String?
    /// `configured` when `build.command` set it, else the build system found: `dune`, `swift`,
    /// `cargo`, `go`, `make`, `tsc`, `cmake`, `gradle` or `maven`.
    public var buildSystem: String?
    /// Number of the run (running or last finished), counted from 1 since the daemon began
    /// watching the workspace.
    public var run: Int?
    /// Why that run started.
    public var reason: Reason?
    /// Paths (relative to the root) whose changes started it, at most 20.
    public var changedPaths: [String]?
    /// When it started (ISO 8601, UTC).
    public var startedAt: String?
    /// How long it took; nil while running.
    public var durationMs: Int?
    /// Its exit status (128 + the signal number when a signal ended it); nil while running or
    /// when it could not be started.
    public var exitStatus: Int?
    /// Problems found by the last finished run (while running: those of the previous run).
    public var diagnostics: [BuildDiagnostic]
    /// What to know beyond the diagnostics: no build found, timed out, could not start, watch
    /// limit reached, configuration error, ...
    public var message: String?
    /// The last lines of the last finished run's output.
    public var outputTail: String?

    public init(state: State, command: String? = nil, buildSystem: String? = nil, run: Int? = nil, reason: Reason? = nil,
                changedPaths: [String]? = nil, startedAt: String? = nil, durationMs: Int? = nil, exitStatus: Int? = nil,
                diagnostics: [BuildDiagnostic] = [], message: String? = nil, outputTail: String? = nil) {
        self.state = state
        self.command = command
        self.buildSystem = buildSystem
        self.run = run
        self.reason = reason
        self.changedPaths = changedPaths
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.exitStatus = exitStatus
        self.diagnostics = diagnostics
        self.message = message
        self.outputTail = outputTail
    }
}
