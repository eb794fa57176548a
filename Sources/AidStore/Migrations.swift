import GRDB

/// Every schema version, oldest first. Never edit a shipped migration: add a new one.
public enum Migrations {
    /// Names of the migrations, in order.
    public static let identifiers = ["v1-requests", "v2-request-connection"]

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
        return migrator
    }
}
