/// `edit/feedback`: what the developer did with a proposal. Stored with the proposal's record
/// and counted in `metrics/summary` (acceptance rates per model, strategy and experiment arm).
public struct EditFeedbackRequest: RPCRequest {
    public static let method = "edit/feedback"
    public typealias Result = Acknowledgement

    /// The proposal.
    public var proposalId: String
    /// `accepted`, `rejected` or `partial`.
    public var outcome: String
    /// The files the developer accepted (for `partial`).
    public var paths: [String]?
    /// Free text.
    public var comment: String?
    /// Who wrote the files: `editor` (applied to buffers by the client) or `daemon` (`edit/apply`).
    public var appliedBy: String?

    public init(proposalId: String, outcome: String, paths: [String]? = nil, comment: String? = nil, appliedBy: String? = nil) {
        self.proposalId = proposalId
        self.outcome = outcome
        self.paths = paths
        self.comment = comment
        self.appliedBy = appliedBy
    }
}
