/// `daemon/status`: what the daemon is, how long it has run, and what it is doing.
public struct DaemonStatusRequest: RPCRequest {
    public static let method = "daemon/status"
    public typealias Result = DaemonStatus
    public init() {}
}

/// The answer to `daemon/status`.
public struct DaemonStatus: Codable, Sendable, Equatable {
    /// The daemon's version.
    public var version: String
    /// The protocol version.
    public var protocolVersion: String
    /// The daemon's process id.
    public var pid: Int
    /// Restarts since the daemon was first started (0 for a fresh daemon).
    public var generation: Int
    /// When the daemon was first started (ISO 8601), kept across restarts.
    public var startedAt: String
    /// Seconds since the current binary took over (since the last restart).
    public var uptimeSeconds: Double
    /// The binary that is running.
    public var executable: Executable
    /// The socket the daemon listens on.
    public var socketPath: String
    /// Where the database and logs are.
    public var stateDirectory: String
    /// The log file.
    public var logFile: String
    /// Connected clients.
    public var connections: Int
    /// Requests being worked on right now, over all connections.
    public var inFlightRequests: Int
    /// Requests answered since the current binary took over.
    public var requestsServed: Int
    /// Workspaces the connected clients work in.
    public var workspaces: [Workspace]
    /// Problems in the configuration files (the daemon runs with defaults for those keys).
    public var configErrors: [String]
    /// The workspace indexes the context engine keeps open (absent from daemons that predate it).
    public var indexes: [Index]?

    public init(version: String, protocolVersion: String, pid: Int, generation: Int, startedAt: String,
                uptimeSeconds: Double, executable: Executable, socketPath: String, stateDirectory: String,
                logFile: String, connections: Int, inFlightRequests: Int, requestsServed: Int,
                workspaces: [Workspace], configErrors: [String], indexes: [Index]? = nil) {
        self.version = version
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.generation = generation
        self.startedAt = startedAt
        self.uptimeSeconds = uptimeSeconds
        self.executable = executable
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        self.logFile = logFile
        self.connections = connections
        self.inFlightRequests = inFlightRequests
        self.requestsServed = requestsServed
        self.workspaces = workspaces
        self.configErrors = configErrors
        self.indexes = indexes
    }

    /// The running binary: the path it was started from and the identity of the file that is
    /// actually running (which changes when a new binary is installed and the daemon restarts).
    public struct Executable: Codable, Sendable, Equatable {
        public var path: String
        /// Inode of the running image.
        public var inode: UInt64
        /// Modification time of the running image (seconds since 1970).
        public var modified: Double
        public init(path: String, inode: UInt64, modified: Double) {
            self.path = path
            self.inode = inode
            self.modified = modified
        }
    }

    /// A workspace and the clients attached to it.
    public struct Workspace: Codable, Sendable, Equatable {
        public var root: String
        public var clients: [String]
        public init(root: String, clients: [String]) {
            self.root = root
            self.clients = clients
        }
    }

    /// A workspace index of the context engine: its size, its first build and the updates
    /// the file watcher has made to it since.
    public struct Index: Codable, Sendable, Equatable {
        public var root: String
        /// `indexing` until the first build is done, then `ready`; `failed` when it could not be built.
        public var state: String
        /// Indexed files.
        public var files: Int
        /// Their lines.
        public var lines: Int
        /// Seconds the first build took (cold: every file read; warm: only changed ones), once done.
        public var buildSeconds: Double?
        /// Updates made for file changes reported by the watcher since the index was opened.
        public var updates: Int
        /// Milliseconds the last update took, from the watcher's report to the index being current.
        public var lastUpdateMilliseconds: Double?

        public init(root: String, state: String, files: Int, lines: Int, buildSeconds: Double? = nil, updates: Int = 0,
                    lastUpdateMilliseconds: Double? = nil) {
            self.root = root
            self.state = state
            self.files = files
            self.lines = lines
            self.buildSeconds = buildSeconds
            self.updates = updates
            self.lastUpdateMilliseconds = lastUpdateMilliseconds
        }
    }
}
