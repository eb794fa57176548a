import GRDB

/// One row of the `edit_feedback` table: what the developer did with a proposal (`edit/feedback`).
/// A proposal may get several; the latest counts.
public struct ProposalFeedbackRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "edit_feedback"

    public var id: Int64?
    public var proposalId: String
    /// Seconds since 1970.
    public var createdAt: Double
    /// `accepted`, `rejected` or `partial`.
    public var outcome: String
    /// JSON array of the accepted paths (for `partial`), or nil.
    public var paths: String?
    public var comment: String?
    /// `editor` or `daemon`, when the client said who wrote the files.
    public var appliedBy: String?

    public init(id: Int64? = nil, proposalId: String, createdAt: Double, outcome: String, paths: String?, comment: String?,
                appliedBy: String?) {
        self.id = id
        self.proposalId = proposalId
        self.createdAt = createdAt
        self.outcome = outcome
        self.paths = paths
        self.comment = comment
        self.appliedBy = appliedBy
    }

    /// Whether the outcome counts as an acceptance in acceptance rates (`accepted`, `partial`).
    public var isAcceptance: Bool { outcome == "accepted" || outcome == "partial" }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
