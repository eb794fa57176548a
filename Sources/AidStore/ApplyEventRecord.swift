import GRDB

/// One row of the `edit_apply_event` table: an `edit/apply` (dry runs and failures included).
public struct ApplyEventRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "edit_apply_event"

    public var id: Int64?
    /// The proposal applied, or nil for a diff sent as it is.
    public var proposalId: String?
    public var workspace: String
    /// Seconds since 1970.
    public var appliedAt: Double
    public var dryRun: Bool
    /// JSON array of the workspace-relative paths written (or that would be).
    public var paths: String
    /// nil when it applied, else the error code of the answer.
    public var errorCode: Int?
    public var errorMessage: String?

    public init(id: Int64? = nil, proposalId: String?, workspace: String, appliedAt: Double, dryRun: Bool, paths: String,
                errorCode: Int?, errorMessage: String?) {
        self.id = id
        self.proposalId = proposalId
        self.workspace = workspace
        self.appliedAt = appliedAt
        self.dryRun = dryRun
        self.paths = paths
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
