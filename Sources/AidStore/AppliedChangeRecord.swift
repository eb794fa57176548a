import GRDB

/// One row of the `applied_change` table: a change written to a workspace (an accepted edit
/// proposal, a patch applied from the command line, ...), later linked to the first build that
/// started after it and finished, so that one can tell whether the change kept the build green.
public struct AppliedChangeRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "applied_change"

    public var id: Int64?
    /// The workspace root.
    public var workspace: String
    /// Seconds since 1970 when the change was written.
    public var appliedAt: Double
    /// Who applied it, e.g. `proposal`, `cli`.
    public var source: String
    /// The edit proposal it came from, when it came from one.
    public var proposalId: String?
    /// The `build_run` that judged it; nil until such a build has finished.
    public var buildRunId: Int64?

    public init(id: Int64? = nil, workspace: String, appliedAt: Double, source: String, proposalId: String? = nil,
                buildRunId: Int64? = nil) {
        self.id = id
        self.workspace = workspace
        self.appliedAt = appliedAt
        self.source = source
        self.proposalId = proposalId
        self.buildRunId = buildRunId
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
