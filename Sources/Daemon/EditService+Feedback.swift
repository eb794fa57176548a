import AidProtocol
import AidStore
import Foundation
import JSONRPC

extension EditService {
    /// The outcomes `edit/feedback` takes.
    static let outcomes: Set<String> = ["accepted", "rejected", "partial"]
    /// Who may have written the files.
    static let writers: Set<String> = ["editor", "daemon"]

    /// `edit/feedback`: records what the developer did with a proposal. When the editor wrote an
    /// accepted (or partly accepted) proposal to its buffers, the change is linked to the
    /// workspace's next build like one applied with `edit/apply`.
    func feedback(_ params: EditFeedbackRequest, context: RequestContext) throws -> Acknowledgement {
        guard Self.outcomes.contains(params.outcome) else {
            throw ResponseError(.invalidParams, "params.outcome must be \"accepted\", \"rejected\" or \"partial\", got \"\(params.outcome)\"")
        }
        if let writer = params.appliedBy, !Self.writers.contains(writer) {
            throw ResponseError(.invalidParams, "params.appliedBy must be \"editor\" or \"daemon\", got \"\(writer)\"")
        }
        guard let proposal = try records.proposal(id: params.proposalId) else {
            throw ResponseError(.proposalUnknown, "no proposal \(params.proposalId) is recorded; send the proposalId of an edit/propose or chat/send result",
                                data: .object(["proposalId": .string(params.proposalId)]))
        }
        let record = ProposalFeedbackRecord(
            proposalId: proposal.id, createdAt: Date().timeIntervalSince1970, outcome: params.outcome,
            paths: params.paths.map(Self.jsonArray), comment: params.comment, appliedBy: params.appliedBy)
        try records.recordFeedback(record, modelRequestId: proposal.modelRequestId)
        if params.appliedBy == "editor", record.isAcceptance {
            do {
                try buildHistory.recordAppliedChange(workspace: proposal.workspace, source: "editor", proposalId: proposal.id)
            } catch {
                context.logger.error("Could not record the applied change of proposal \(proposal.id): \(error)")
            }
        }
        return Acknowledgement()
    }
}
