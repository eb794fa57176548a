/// `initialize`: the first request of every connection. Tells the daemon who the client is and
/// which workspace it works in; answers with the daemon's version and capabilities.
/// A client re-sends it after every reconnect.
public struct InitializeRequest: RPCRequest {
    public static let method = "initialize"
    public typealias Result = InitializeResult

    /// The client's name, e.g. `aid.el`, `aid.nvim`, `aid-vscode`, `aid-cli`.
    public var clientName: String
    /// The client's version.
    public var clientVersion: String?
    /// The editor and its version, e.g. `Emacs 29.1`, `NVIM v0.9.5`, `VS Code 1.95`.
    public var editor: String?
    /// Absolute path of the workspace root the client works in, if any.
    public var workspaceRoot: String?
    /// The client's process id, for diagnostics.
    public var processId: Int?

    public init(clientName: String, clientVersion: String? = nil, editor: String? = nil,
                workspaceRoot: String? = nil, processId: Int? = nil) {
        self.clientName = clientName
        self.clientVersion = clientVersion
        self.editor = editor
        self.workspaceRoot = workspaceRoot
        self.processId = processId
    }
}

/// The answer to `initialize`.
public struct InitializeResult: Codable, Sendable, Equatable {
    /// Always `aid`.
    public var serverName: String
    /// The daemon's version.
    public var serverVersion: String
    /// The version of the wire protocol, see `ProtocolMessages.protocolVersion`.
    public var protocolVersion: String
    /// The daemon's process id (unchanged across restarts, which re-exec the same process).
    public var pid: Int
    /// How many times this daemon has restarted itself since it was first started.
    public var generation: Int
    /// Every method and notification the daemon handles.
    public var capabilities: Capabilities

    public init(serverName: String, serverVersion: String, protocolVersion: String, pid: Int,
                generation: Int, capabilities: Capabilities) {
        self.serverName = serverName
        self.serverVersion = serverVersion
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.generation = generation
        self.capabilities = capabilities
    }

    /// What the daemon can do.
    public struct Capabilities: Codable, Sendable, Equatable {
        /// Request methods the daemon answers.
        public var methods: [String]
        /// Notifications the daemon accepts or sends.
        public var notifications: [String]
        public init(methods: [String], notifications: [String]) {
            self.methods = methods
            self.notifications = notifications
        }
    }
}
