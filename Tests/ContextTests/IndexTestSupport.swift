import Foundation
import GRDB

@testable import Context

/// A workspace plus an index database beside it.
struct IndexedWorkspace {
    let workspace: TemporaryWorkspace
    let databasePath: String
    let database: DatabasePool
    let index: WorkspaceIndex

    init(git: Bool = false, files: [String: String], configuration: IndexConfiguration = .init()) async throws {
        workspace = try TemporaryWorkspace(git: git)
        for (path, text) in files { try workspace.write(path, text) }
        databasePath = workspace.root + ".sqlite"
        database = try IndexDatabase.open(path: databasePath)
        index = try WorkspaceIndex(root: workspace.root, database: database, configuration: configuration)
        try await index.build()
    }

    /// Opens a second index on the same database (as after a restart).
    func reopen() throws -> WorkspaceIndex {
        try WorkspaceIndex(root: workspace.root, database: database)
    }

    func remove() {
        workspace.remove()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }
}
