/// `build/statusChanged`: the build of a workspace started or finished. Sent to every client
/// that opened that workspace (gave it as `workspaceRoot` in `initialize`).
public struct BuildStatusChangedNotification: RPCNotification {
    public static let method = "build/statusChanged"
    /// The workspace root, as the daemon resolved it.
    public var workspaceRoot: String
    public var status: BuildStatus

    public init(workspaceRoot: String, status: BuildStatus) {
        self.workspaceRoot = workspaceRoot
        self.status = status
    }
}
