import AidProtocol
import Foundation
import GRDB
import Models

/// The records of the main job: proposals, the feedback on them and the applies, and the
/// acceptance rates computed from them.
public struct EditRecords: Sendable {
    private let store: AidStore

    public init(store: AidStore) { self.store = store }

    /// Stores a proposal.
    public func insert(_ proposal: ProposalRecord) throws {
        try store.database.write { db in try proposal.insert(db) }
    }

    /// The proposal with `id`, if recorded.
    public func proposal(id: String) throws -> ProposalRecord? {
        try store.database.read { db in try ProposalRecord.fetchOne(db, key: id) }
    }

    /// Stores feedback on a proposal, and the same as a `feedback` row of its model request
    /// (`modelRequestId`), so that the experiments' acceptance rates (`metrics/summary`) count it.
    @discardableResult
    public func recordFeedback(_ feedback: ProposalFeedbackRecord, modelRequestId: String) throws -> ProposalFeedbackRecord {
        try store.database.write { db in
            var feedback = feedback
            try feedback.insert(db)
            try ModelCallStore.insert(
                Feedback(requestID: modelRequestId, kind: feedback.outcome, accepted: feedback.isAcceptance, detail: feedback.comment,
                         createdAt: Date(timeIntervalSince1970: feedback.createdAt)),
                into: db)
            return feedback
        }
    }

    /// The feedback on a proposal, oldest first.
    public func feedback(proposalId: String) throws -> [ProposalFeedbackRecord] {
        try store.database.read { db in
            try ProposalFeedbackRecord.filter(Column("proposalId") == proposalId).order(Column("createdAt"), Column("id")).fetchAll(db)
        }
    }

    /// Stores an apply.
    @discardableResult
    public func recordApply(_ event: ApplyEventRecord) throws -> ApplyEventRecord {
        try store.database.write { db in
            var event = event
            try event.insert(db)
            return event
        }
    }

    /// The applies of a proposal, oldest first.
    public func applies(proposalId: String) throws -> [ApplyEventRecord] {
        try store.database.read { db in
            try ApplyEventRecord.filter(Column("proposalId") == proposalId).order(Column("appliedAt"), Column("id")).fetchAll(db)
        }
    }

    /// Acceptance per model, strategy, task and arm of the proposals made since `since` (all when
    /// nil), of `task` only when given. Each proposal counts with its latest feedback.
    public func acceptance(since: Date? = nil, task: String? = nil) throws -> [MetricsAcceptance] {
        let from = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let rows = try store.database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.model, p.strategy, p.task, p.experiment, p.arm, p.applies, p.repaired,
                       (SELECT f.outcome FROM edit_feedback f WHERE f.proposalId = p.id
                        ORDER BY f.createdAt DESC, f.id DESC LIMIT 1) AS outcome,
                       (SELECT r.outcome FROM applied_change a JOIN build_run r ON r.id = a.buildRunId
                        WHERE a.proposalId = p.id ORDER BY a.appliedAt DESC, a.id DESC LIMIT 1) AS buildAfterApply
                FROM edit_proposal p
                WHERE p.createdAt >= ? AND (? IS NULL OR p.task = ?)
                """, arguments: [from, task, task])
        }
        struct Key: Hashable { var model: String; var strategy: String; var task: String; var experiment: String?; var arm: String? }
        var groups: [Key: MetricsAcceptance] = [:]
        for row in rows {
            let key = Key(model: row["model"], strategy: row["strategy"], task: row["task"], experiment: row["experiment"], arm: row["arm"])
            var group = groups[key] ?? MetricsAcceptance(
                model: key.model, strategy: key.strategy, task: key.task, experiment: key.experiment, arm: key.arm,
                proposals: 0, trials: 0, accepted: 0, acceptanceRate: 0, applying: 0, repaired: 0)
            group.proposals += 1
            if (row["applies"] as Bool?) == true { group.applying += 1 }
            if (row["repaired"] as Bool?) == true { group.repaired += 1 }
            if let build = row["buildAfterApply"] as String? {
                group.builtAfterApply += 1
                if build == BuildRunRecord.Outcome.green.rawValue { group.greenAfterApply += 1 }
            }
            if let outcome = row["outcome"] as String? {
                group.trials += 1
                if outcome == "accepted" || outcome == "partial" { group.accepted += 1 }
            }
            group.acceptanceRate = group.trials == 0 ? 0 : Double(group.accepted) / Double(group.trials)
            groups[key] = group
        }
        return groups.values.sorted {
            ($0.model, $0.strategy, $0.task, $0.experiment ?? "", $0.arm ?? "") < ($1.model, $1.strategy, $1.task, $1.experiment ?? "", $1.arm ?? "")
        }
    }
}
