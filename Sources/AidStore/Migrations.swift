import GRDB
import Models

/// Every schema version, oldest first. Never edit a shipped migration: add a new one.
public enum Migrations {
    /// Names of the migrations, in order.
    public static let identifiers = ["v1-requests", "v2-request-connection", "v3-build-runs", "models-v1"]

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
        return migrator
    }
}
