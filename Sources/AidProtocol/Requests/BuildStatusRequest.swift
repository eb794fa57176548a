/// `build/status`: the build status of a workspace a client has opened.
public struct BuildStatusRequest: RPCRequest {
    public static let method = "build/status"
    public typealias Result = WorkspaceBuildStatus

    /// The workspace; defaults to the one this connection gave in `initialize`.
    public var workspaceRoot: String?

    public init(workspaceRoot: String? = nil) { self.workspaceRoot = workspaceRoot }
}
