import GRDB

/// Opens a database dedicated to the index (the daemon may instead register
/// ``IndexSchema`` into its own store's migrator and pass that pool).
public enum IndexDatabase {
    /// Opens (creating if needed) a WAL-mode database at `path` and runs
    /// the index migrations.
    /// - Throws: ``ContextError/storage(_:)`` saying what failed.
    public static func open(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.label = "aid-index"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try IndexSchema.migrator.migrate(pool)
            return pool
        } catch {
            throw ContextError.storage("cannot open \(path): \(error); check the directory exists and is writable")
        }
    }
}
