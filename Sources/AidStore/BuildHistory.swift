import Foundation
import GRDB

/// The build history of every workspace, and the links from applied changes to the builds
/// that judged them.
public struct BuildHistory: Sendable {
    private let store: AidStore

    public init(store: AidStore) { self.store = store }

    /// Stores a finished or cancelled run, links to it every change of its workspace applied
    /// before it started that no earlier build has judged (cancelled runs judge nothing), and
    /// returns the run with its id.
    @discardableResult
    public func record(_ run: BuildRunRecord) throws -> BuildRunRecord {
        try store.database.write { db in
            var run = run
            try run.insert(db)
            if run.outcome != .cancelled, let id = run.id {
                try db.execute(sql: """
                    UPDATE applied_change SET buildRunId = ?
                    WHERE workspace = ? AND buildRunId IS NULL AND appliedAt <= ?
                    """, arguments: [id, run.workspace, run.startedAt])
            }
            return run
        }
    }

    /// Records that a change was applied to `workspace` at `appliedAt`; the next build of that
    /// workspace that starts after it and finishes will fill in `buildRunId`.
    @discardableResult
    public func recordAppliedChange(workspace: String, appliedAt: Date = Date(), source: String,
                                    proposalId: String? = nil) throws -> AppliedChangeRecord {
        try store.database.write { db in
            var change = AppliedChangeRecord(workspace: workspace, appliedAt: appliedAt.timeIntervalSince1970,
                                             source: source, proposalId: proposalId)
            try change.insert(db)
            return change
        }
    }

    /// An applied change by id, with its link if a build has judged it.
    public func appliedChange(id: Int64) throws -> AppliedChangeRecord? {
        try store.database.read { db in try AppliedChangeRecord.fetchOne(db, key: id) }
    }

    /// A run by id.
    public func run(id: Int64) throws -> BuildRunRecord? {
        try store.database.read { db in try BuildRunRecord.fetchOne(db, key: id) }
    }

    /// The most recent runs of `workspace`, newest first.
    public func recentRuns(workspace: String, limit: Int = 50) throws -> [BuildRunRecord] {
        try store.database.read { db in
            try BuildRunRecord.filter(Column("workspace") == workspace)
                .order(Column("startedAt").desc, Column("id").desc).limit(limit).fetchAll(db)
        }
    }
}
