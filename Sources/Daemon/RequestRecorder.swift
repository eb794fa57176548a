import AidStore
import Foundation
import JSONRPC
import Logging
import Synchronization

/// Turns every answered request into a record, queued for the database off the request path,
/// and keeps the counters `daemon/status` shows. With `--log-level debug` the log also says
/// when connections open and close; with `trace`, every answer too.
final class RequestRecorder: RPCServerObserver {
    private let log: RequestLog
    private let generation: Int
    private let served = Atomic<Int>(0)
    private let logger: Logger

    init(log: RequestLog, generation: Int, logger: Logger) {
        self.log = log
        self.generation = generation
        self.logger = logger
    }

    var requestsServed: Int { served.load(ordering: .relaxed) }

    func connectionOpened(_ connection: RPCConnection) {
        logger.debug("Connection \(connection.id) opened.")
    }

    func connectionClosed(_ connection: RPCConnection) {
        logger.debug("Connection \(connection.id) closed.")
    }

    func requestCompleted(_ record: RequestRecord) {
        // The message is built only at trace level.
        logger.trace("\(Self.traceLine(record))")
        served.add(1, ordering: .relaxed)
        log.append(RequestEntry(
            receivedAt: record.receivedAt, method: record.method, client: record.client?.name, editor: record.client?.editor,
            workspace: record.client?.workspaceRoot, durationMs: record.duration * 1000, errorCode: record.errorCode,
            errorMessage: record.errorMessage, connectionId: Int64(record.connectionID), generation: generation))
    }

    private static func traceLine(_ record: RequestRecord) -> String {
        let milliseconds = String(format: "%.3f", record.duration * 1000)
        let outcome = record.errorCode.map { "with error \($0) (\(record.errorMessage ?? "")) " } ?? ""
        return "Connection \(record.connectionID): \(record.method) answered \(outcome)in \(milliseconds) ms."
    }
}
