import GRDB
import Models

/// Every schema version, oldest first. Never edit a shipped migration: add a new one.
public enum Migrations {
    /// Names of the migrations, in order.
    public static let identifiers = ["v1-requests", "v2-request-connection", "v3-build-runs", "models-v1", "v4-edit-proposals", "v5-chat-messages"]

    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-requests") { db in
            try db.create(table: "request") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("receivedAt", .double).notNull()
                t.column("method", .text).notNull()
                t.column("client", .text)
                t.column("editor", .text)
                t.column("workspace", .text)
                t.column("durationMs", .double).notNull()
                t.column("errorCode", .integer)
                t.column("errorMessage", .text)
            }
        }
        migrator.registerMigration("v2-request-connection") { db in
            try db.alter(table: "request") { t in
                t.add(column: "connectionId", .integer).notNull().defaults(to: 0)
                t.add(column: "generation", .integer).notNull().defaults(to: 0)
            }
            try db.create(index: "request_on_method_time", on: "request", columns: ["method", "receivedAt"])
        }
        migrator.registerMigration("v3-build-runs") { db in
            // One row per finished (or cancelled) build of a workspace.
            try db.create(table: "build_run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("workspace", .text).notNull()
                t.column("command", .text).notNull()
                t.column("buildSystem", .text)
                t.column("reason", .text).notNull()
                t.column("changedPaths", .text).notNull().defaults(to: "[]")
                t.column("startedAt", .double).notNull()
                t.column("finishedAt", .double).notNull()
                t.column("durationMs", .integer).notNull()
                t.column("exitStatus", .integer)
                t.column("outcome", .text).notNull()
                t.column("errorCount", .integer).notNull().defaults(to: 0)
                t.column("warningCount", .integer).notNull().defaults(to: 0)
                t.column("diagnostics", .text).notNull().defaults(to: "[]")
                t.column("message", .text)
                t.column("outputTail", .text)
            }
            try db.create(index: "build_run_on_workspace_time", on: "build_run", columns: ["workspace", "startedAt"])
            // A change applied to a workspace (an accepted edit proposal, ...) and the first build
            // that started after it and finished, which tells whether the change left the build green.
            try db.create(table: "applied_change") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("workspace", .text).notNull()
                t.column("appliedAt", .double).notNull()
                t.column("source", .text).notNull()
                t.column("proposalId", .text)
                t.column("buildRunId", .integer).references("build_run", onDelete: .setNull)
            }
            try db.create(index: "applied_change_unlinked", on: "applied_change", columns: ["workspace", "buildRunId", "appliedAt"])
        }
        // The model gateway's tables (model_call, experiment_assignment, feedback), kept by the
        // Models module under its own migration names.
        registerModelMigrations(into: &migrator)
        migrator.registerMigration("v4-edit-proposals") { db in
            // A proposal made by edit/propose or found in a chat/send answer (`ProposalRecord`).
            try db.create(table: "edit_proposal") { t in
                t.primaryKey("id", .text)
                t.column("createdAt", .double).notNull()
                t.column("requestId", .text).notNull()
                t.column("modelRequestId", .text).notNull()
                t.column("task", .text).notNull()
                t.column("workspace", .text).notNull()
                t.column("client", .text)
                t.column("conversationId", .text)
                t.column("promptHash", .text).notNull()
                t.column("strategy", .text).notNull()
                t.column("model", .text).notNull()
                t.column("provider", .text).notNull()
                t.column("experiment", .text)
                t.column("arm", .text)
                t.column("diff", .text).notNull()
                t.column("applies", .boolean).notNull()
                t.column("applyError", .text)
                t.column("repaired", .boolean).notNull()
                t.column("inputTokens", .integer).notNull().defaults(to: 0)
                t.column("outputTokens", .integer).notNull().defaults(to: 0)
                t.column("cachedInputTokens", .integer).notNull().defaults(to: 0)
                t.column("contextMs", .double).notNull()
                t.column("firstTokenMs", .double)
                t.column("totalMs", .double).notNull()
                t.column("contextItems", .integer).notNull()
                t.column("contextTokens", .integer).notNull()
                t.column("sharedPrefixTokens", .integer).notNull()
            }
            try db.create(index: "edit_proposal_on_time", on: "edit_proposal", columns: ["createdAt"])
            // What the developer did with a proposal (`ProposalFeedbackRecord`); the latest counts.
            try db.create(table: "edit_feedback") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("proposalId", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("outcome", .text).notNull()
                t.column("paths", .text)
                t.column("comment", .text)
                t.column("appliedBy", .text)
            }
            try db.create(index: "edit_feedback_on_proposal", on: "edit_feedback", columns: ["proposalId", "createdAt"])
            // Every edit/apply, dry runs and failures included (`ApplyEventRecord`).
            try db.create(table: "edit_apply_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("proposalId", .text)
                t.column("workspace", .text).notNull()
                t.column("appliedAt", .double).notNull()
                t.column("dryRun", .boolean).notNull()
                t.column("paths", .text).notNull()
                t.column("errorCode", .integer)
                t.column("errorMessage", .text)
            }
            try db.create(index: "edit_apply_event_on_proposal", on: "edit_apply_event", columns: ["proposalId"])
        }
        migrator.registerMigration("v5-chat-messages") { db in
            // The messages of chat/send conversations (`ChatMessageRecord`), so that a
            // conversation goes on across restarts.
            try db.create(table: "chat_message") { t in
                t.column("conversationId", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("role", .text).notNull()
                t.column("content", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.primaryKey(["conversationId", "position"])
            }
            try db.create(index: "chat_message_on_time", on: "chat_message", columns: ["createdAt"])
        }
        return migrator
    }
}
