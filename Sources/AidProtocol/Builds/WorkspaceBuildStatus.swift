/// The build status of one workspace: the answer to `build/status` and `build/run`.
public struct WorkspaceBuildStatus: Codable, Sendable, Equatable {
    /// The workspace root, as the daemon resolved it (absolute, symbolic links resolved).
    public var workspaceRoot: String
    public var status: BuildStatus

    public init(workspaceRoot: String, status: BuildStatus) {
        self.workspaceRoot = workspaceRoot
        self.status = status
    }
}
