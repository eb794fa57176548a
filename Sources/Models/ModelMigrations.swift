import GRDB

/// Adds the model gateway's tables to `migrator`:
///
/// - `model_call`: one row per attempt (`ModelCallRecord`), indexed by request, by model and
///   task, and by experiment and arm.
/// - `experiment_assignment`: one row per request that was in an experiment: which arm, for which
///   (pseudonymous) user and task.
/// - `feedback`: what the user did with an answer (accepted, rejected, ...), by request id.
///
/// Acceptance rate by arm joins `experiment_assignment` with the latest `feedback` row of each
/// request (see `MetricsSummary.load(from:)`).
public func registerModelMigrations(into migrator: inout DatabaseMigrator) {
    migrator.registerMigration("models-v1") { db in
        try db.create(table: "model_call") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("requestId", .text).notNull()
            t.column("startedAt", .double).notNull()
            t.column("task", .text).notNull()
            t.column("route", .text).notNull()
            t.column("model", .text).notNull()
            t.column("provider", .text).notNull()
            t.column("experiment", .text)
            t.column("arm", .text)
            t.column("attempt", .integer).notNull()
            t.column("fallbackIndex", .integer).notNull()
            t.column("outcome", .text).notNull()
            t.column("errorClass", .text)
            t.column("httpStatus", .integer)
            t.column("ttftMs", .double)
            t.column("totalMs", .double).notNull()
            t.column("inputTokens", .integer).notNull().defaults(to: 0)
            t.column("outputTokens", .integer).notNull().defaults(to: 0)
            t.column("cachedInputTokens", .integer).notNull().defaults(to: 0)
            t.column("cacheCreationTokens", .integer).notNull().defaults(to: 0)
            t.column("costUsd", .double).notNull().defaults(to: 0)
        }
        try db.create(index: "model_call_on_request", on: "model_call", columns: ["requestId"])
        try db.create(index: "model_call_on_model_task", on: "model_call", columns: ["model", "task", "startedAt"])
        try db.create(index: "model_call_on_arm", on: "model_call", columns: ["experiment", "arm"])

        try db.create(table: "experiment_assignment") { t in
            t.column("requestId", .text).notNull()
            t.column("experiment", .text).notNull()
            t.column("arm", .text).notNull()
            t.column("userHash", .text)
            t.column("task", .text).notNull()
            t.column("assignedAt", .double).notNull()
            t.primaryKey(["requestId", "experiment"])
        }
        try db.create(index: "experiment_assignment_on_arm", on: "experiment_assignment", columns: ["experiment", "arm"])

        try db.create(table: "feedback") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("requestId", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("accepted", .boolean).notNull()
            t.column("detail", .text)
            t.column("createdAt", .double).notNull()
        }
        try db.create(index: "feedback_on_request", on: "feedback", columns: ["requestId", "createdAt"])
    }
}
