/// `build/run`: build a workspace now, without waiting for a change. A build already running
/// is cancelled or followed by this one, as `build.on_change` says.
public struct BuildRunRequest: RPCRequest {
    public static let method = "build/run"
    public typealias Result = WorkspaceBuildStatus

    /// The workspace; defaults to the one this connection gave in `initialize`.
    public var workspaceRoot: String?
    /// True (the default): answer when the build has finished, with its result. False: answer at
    /// once with the status as it stands (normally `running`).
    public var wait: Bool?

    public init(workspaceRoot: String? = nil, wait: Bool? = nil) {
        self.workspaceRoot = workspaceRoot
        self.wait = wait
    }
}
