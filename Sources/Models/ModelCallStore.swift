import Foundation
import GRDB
import Logging

/// What a user did with an answer.
public struct Feedback: Sendable, Hashable {
    public var requestID: String
    /// A short name of what happened: `accepted`, `rejected`, `edited`, `undone`, ...
    public var kind: String
    /// Whether it counts as an acceptance in acceptance rates.
    public var accepted: Bool
    public var detail: String?
    public var createdAt: Date

    public init(requestID: String, kind: String, accepted: Bool, detail: String? = nil, createdAt: Date = Date()) {
        self.requestID = requestID
        self.kind = kind
        self.accepted = accepted
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// Writes model call records, experiment assignments and feedback to the tables of
/// `registerModelMigrations(into:)`. As an observer it writes each record as it arrives; a
/// failed write is logged, never thrown at the request.
public final class ModelCallStore: ModelCallObserver {
    private let writer: any DatabaseWriter
    private let logger: Logger

    public init(writer: any DatabaseWriter, logger: Logger = Logger(label: "aid.models.store")) {
        self.writer = writer
        self.logger = logger
    }

    public func modelCallFinished(_ record: ModelCallRecord) {
        do {
            try insert(record)
        } catch {
            logger.warning("could not store a model call record", metadata: ["request": "\(record.requestID)", "error": "\(error)"])
        }
    }

    /// Stores `record`, and the request's experiment assignment on its first attempt.
    public func insert(_ record: ModelCallRecord) throws {
        try writer.write { db in try Self.insert(record, into: db) }
    }

    /// Stores `records` in one transaction (for writers that batch records off the request path).
    public func insert(contentsOf records: [ModelCallRecord]) throws {
        guard !records.isEmpty else { return }
        try writer.write { db in
            for record in records { try Self.insert(record, into: db) }
        }
    }

    /// Inserts `record` (and its experiment assignment) inside the caller's transaction.
    public static func insert(_ record: ModelCallRecord, into db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO model_call (requestId, startedAt, task, route, model, provider, experiment, arm, attempt,
                    fallbackIndex, outcome, errorClass, httpStatus, ttftMs, totalMs, inputTokens, outputTokens,
                    cachedInputTokens, cacheCreationTokens, costUsd)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.requestID, record.startedAt.timeIntervalSince1970, record.task, record.route, record.model,
                record.provider.rawValue, record.experiment, record.arm, record.attempt, record.fallbackIndex,
                record.outcome.rawValue, record.errorClass, record.httpStatus, record.timeToFirstToken.map { $0 * 1000 },
                record.totalTime * 1000, record.inputTokens, record.outputTokens, record.cachedInputTokens,
                record.cacheCreationTokens, record.costEstimate,
            ])
        if let experiment = record.experiment, let arm = record.arm {
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO experiment_assignment (requestId, experiment, arm, userHash, task, assignedAt)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [record.requestID, experiment, arm, record.userHash, record.task, record.startedAt.timeIntervalSince1970])
        }
    }

    /// Stores what the user did with the answer to a request.
    public func insert(_ feedback: Feedback) throws {
        try writer.write { db in try Self.insert(feedback, into: db) }
    }

    /// Inserts `feedback` inside the caller's transaction.
    public static func insert(_ feedback: Feedback, into db: Database) throws {
        try db.execute(
            sql: "INSERT INTO feedback (requestId, kind, accepted, detail, createdAt) VALUES (?, ?, ?, ?, ?)",
            arguments: [feedback.requestID, feedback.kind, feedback.accepted, feedback.detail, feedback.createdAt.timeIntervalSince1970])
    }
}
