/// `edit/apply`: writes a proposal (or a diff) to the workspace, all files or none.
public struct EditApplyRequest: RPCRequest {
    public static let method = "edit/apply"
    public typealias Result = EditApplyResult

    /// The proposal to apply (give this or `diff`).
    public var proposalId: String?
    /// A git-style unified diff with workspace-relative paths (give this or `proposalId`).
    public var diff: String?
    /// The workspace (absolute); default: the proposal's, else the connection's.
    public var workspaceRoot: String?
    /// Check only, write nothing (default false).
    public var dryRun: Bool?
    /// Apply only these files (workspace-relative) of the proposal or diff.
    public var paths: [String]?

    public init(proposalId: String? = nil, diff: String? = nil, workspaceRoot: String? = nil, dryRun: Bool? = nil,
                paths: [String]? = nil) {
        self.proposalId = proposalId
        self.diff = diff
        self.workspaceRoot = workspaceRoot
        self.dryRun = dryRun
        self.paths = paths
    }
}

/// The answer to `edit/apply`.
public struct EditApplyResult: Codable, Sendable, Equatable {
    /// Whether the files were written (false for a dry run).
    public var applied: Bool
    public var dryRun: Bool
    /// What happened (or would happen) to each file.
    public var files: [AppliedFile]

    public init(applied: Bool, dryRun: Bool, files: [AppliedFile]) {
        self.applied = applied
        self.dryRun = dryRun
        self.files = files
    }

    /// One file of an applied diff.
    public struct AppliedFile: Codable, Sendable, Equatable {
        /// Workspace-relative path.
        public var path: String
        /// `modified`, `added`, `deleted` or `renamed`.
        public var status: String

        public init(path: String, status: String) {
            self.path = path
            self.status = status
        }
    }
}
