import Foundation
import GRDB

/// The daemon's state: one SQLite database in WAL mode in the state directory, schema kept by
/// versioned migrations (see `Migrations`).
public final class AidStore: Sendable {
    /// The underlying pool: one writer, concurrent readers.
    public let database: DatabasePool
    public let path: String

    /// Opens (creating if needed) the database at `path` and migrates it to the newest schema.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "aid"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        database = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try Migrations.migrator.migrate(database)
    }

    /// The journal mode in force (`wal` for a store opened by this class).
    public func journalMode() throws -> String {
        try database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Identifiers of the migrations applied to this database.
    public func appliedMigrations() throws -> [String] {
        try database.read { db in try Migrations.migrator.appliedMigrations(db) }
    }
}
