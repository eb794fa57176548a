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
}
