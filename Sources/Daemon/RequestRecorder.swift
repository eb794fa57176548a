import AidStore
import JSONRPC
import Synchronization

/// Turns every answered request into a record, queued for the database off the request path,
/// and keeps the counters `daemon/status` shows.
final class RequestRecorder: RPCServerObserver {
    private let log: RequestLog
    private let generation: Int
    private let served = Atomic<Int>(0)

    init(log: RequestLog, generation: Int) {
        self.log = log
        self.generation = generation
    }

    var requestsServed: Int { served.load(ordering: .relaxed) }

    func connectionOpened(_ connection: RPCConnection) {}
    func connectionClosed(_ connection: RPCConnection) {}

    func requestCompleted(_ record: RequestRecord) {
        served.add(1, ordering: .relaxed)
        log.append(RequestEntry(
            receivedAt: record.receivedAt, method: record.method, client: record.client?.name, editor: record.client?.editor,
            workspace: record.client?.workspaceRoot, durationMs: record.duration * 1000, errorCode: record.errorCode,
            errorMessage: record.errorMessage, connectionId: Int64(record.connectionID), generation: generation))
    }
}
