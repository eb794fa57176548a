import AidTestSupport
import AidStore
import Foundation
import GRDB
import Testing

struct MigrationTests {
    private func temporaryPath() throws -> String {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("aid.sqlite").path
    }

    @Test func anOlderSchemaIsMigratedWithItsDataIntact() throws {
        let path = try temporaryPath()
        // A database as the first release left it: only the first migration, with data.
        do {
            let old = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(old, upTo: "v1-requests")
            try old.write { db in
                for i in 0..<3 {
                    try db.execute(sql: """
                        INSERT INTO request (receivedAt, method, client, editor, workspace, durationMs, errorCode, errorMessage)
                        VALUES (?, ?, 'aid.el', 'Emacs 29.1', '/w', ?, ?, ?)
                        """, arguments: [1_700_000_000.0 + Double(i), "daemon/status", Double(i) * 0.5, i == 2 ? -32601 : nil, i == 2 ? "missing" : nil])
                }
            }
            #expect(try old.read { try Migrations.migrator.appliedMigrations($0) } == ["v1-requests"])
        }
        let store = try AidStore(path: path)
        #expect(try store.appliedMigrations() == Migrations.identifiers)
        let rows = try store.database.read { db in try RequestEntry.order(Column("id")).fetchAll(db) }
        #expect(rows.count == 3)
        #expect(rows.map(\.method) == ["daemon/status", "daemon/status", "daemon/status"])
        #expect(rows.map(\.client) == ["aid.el", "aid.el", "aid.el"])
        #expect(rows[2].errorCode == -32601 && rows[2].errorMessage == "missing")
        #expect(rows[1].durationMs == 0.5)
        // Columns added later have their defaults.
        #expect(rows.allSatisfy { $0.connectionId == 0 && $0.generation == 0 })
    }

    @Test func theStoreIsInWALMode() throws {
        let store = try AidStore(path: try temporaryPath())
        #expect(try store.journalMode() == "wal")
    }
}
