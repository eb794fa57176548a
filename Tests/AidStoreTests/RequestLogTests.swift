import AidTestSupport
import AidStore
import Foundation
import GRDB
import Logging
import Testing

struct RequestLogTests {
    private func entry(_ i: Int) -> RequestEntry {
        RequestEntry(receivedAt: Double(i), method: "m\(i % 3)", client: "c", editor: nil, workspace: nil,
                     durationMs: 0.1, errorCode: nil, errorMessage: nil, connectionId: 1, generation: 0)
    }

    @Test func everyAppendedRecordReachesTheDatabase() throws {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try AidStore(path: directory.appendingPathComponent("aid.sqlite").path)
        let log = RequestLog(store: store, logger: Logger(label: "test"), flushInterval: .seconds(60), maximumBatch: 1000)
        for i in 0..<2500 { log.append(entry(i)) }
        log.flush()
        #expect(try store.database.read { try RequestEntry.fetchCount($0) } == 2500)
        for i in 2500..<2600 { log.append(entry(i)) }
        log.close()
        #expect(try store.database.read { try RequestEntry.fetchCount($0) } == 2600)
        let methods = try store.database.read { try String.fetchAll($0, sql: "SELECT DISTINCT method FROM request ORDER BY method") }
        #expect(methods == ["m0", "m1", "m2"])
    }

    @Test func everyFieldIsStoredAsGiven() throws {
        let directory = URL(fileURLWithPath: TestDirectory.processBase).appendingPathComponent("aid-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try AidStore(path: directory.appendingPathComponent("aid.sqlite").path)
        let log = RequestLog(store: store, logger: Logger(label: "test"), flushInterval: .seconds(60), maximumBatch: 1000)
        let given = [
            RequestEntry(receivedAt: 1_790_000_000.125, method: "edit/propose", client: "emacs", editor: "GNU Emacs 29.1",
                         workspace: "/src/ünïcode ✓", durationMs: 12.5, errorCode: -32602, errorMessage: "params.instruction: expected a string",
                         connectionId: 42, generation: 3),
            RequestEntry(receivedAt: 2, method: "daemon/status", client: "", editor: nil, workspace: nil,
                         durationMs: 0, errorCode: nil, errorMessage: nil, connectionId: Int64.max, generation: 0),
        ]
        for entry in given { log.append(entry) }
        log.close()
        let stored = try store.database.read { try RequestEntry.order(Column("id")).fetchAll($0) }
        #expect(stored.count == 2)
        for (entry, row) in zip(given, stored) {
            #expect(row.receivedAt == entry.receivedAt && row.method == entry.method && row.durationMs == entry.durationMs)
            #expect(row.client == entry.client && row.editor == entry.editor && row.workspace == entry.workspace)
            #expect(row.errorCode == entry.errorCode && row.errorMessage == entry.errorMessage)
            #expect(row.connectionId == entry.connectionId && row.generation == entry.generation)
        }
        // An empty client name is text, not NULL.
        #expect(try store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM request WHERE client = ''") } == 1)
    }
}
