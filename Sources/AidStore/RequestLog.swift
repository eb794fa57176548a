import Foundation
import GRDB
import Logging
import Synchronization

/// Writes request records off the request path: `append` only queues (a lock and an array
/// append); a background thread writes queued records in one transaction per batch.
public final class RequestLog: Sendable {
    private let store: AidStore
    private let logger: Logger
    private let flushInterval: Double
    private let maximumBatch: Int
    private struct Queue {
        var entries: [RequestEntry] = []
        var stopped = false
        var flushRequests = 0
        var flushedRequests = 0
    }
    private let queue = Mutex(Queue())
    private let condition = NSCondition()
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the writer thread.
    public init(store: AidStore, logger: Logger, flushInterval: Duration = .milliseconds(250), maximumBatch: Int = 2000) {
        self.store = store
        self.logger = logger
        self.flushInterval = Double(flushInterval.components.attoseconds) * 1e-18 + Double(flushInterval.components.seconds)
        self.maximumBatch = maximumBatch
        let thread = Thread { [self] in self.run() }
        thread.name = "aid-request-log"
        thread.start()
    }

    /// Queues one record.
    public func append(_ entry: RequestEntry) {
        let count = queue.withLock { q in
            q.entries.append(entry)
            return q.entries.count
        }
        if count >= maximumBatch { condition.signal() }
    }

    /// Writes everything queued so far and returns when it is on disk.
    public func flush() {
        let target = queue.withLock { q in
            q.flushRequests += 1
            return q.flushRequests
        }
        condition.lock()
        condition.broadcast()
        while queue.withLock({ $0.flushedRequests < target && !$0.stopped }) {
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
        condition.unlock()
    }

    /// Writes what is queued and stops the writer thread.
    public func close() {
        queue.withLock { $0.stopped = true }
        condition.broadcast()
        finished.wait()
    }

    private func run() {
        while true {
            condition.lock()
            let shouldWait = queue.withLock { $0.entries.count < maximumBatch && !$0.stopped && $0.flushRequests == $0.flushedRequests }
            if shouldWait { _ = condition.wait(until: Date().addingTimeInterval(flushInterval)) }
            condition.unlock()
            let (batch, stopped, flushTarget) = queue.withLock { q -> ([RequestEntry], Bool, Int) in
                let batch = q.entries
                q.entries.removeAll(keepingCapacity: true)
                return (batch, q.stopped, q.flushRequests)
            }
            if !batch.isEmpty { write(batch) }
            queue.withLock { $0.flushedRequests = max($0.flushedRequests, flushTarget) }
            condition.broadcast()
            if stopped {
                finished.signal()
                return
            }
        }
    }

    private func write(_ batch: [RequestEntry]) {
        do {
            try store.database.write { db in
                // One prepared statement for the batch: Codable record encoding costs more than
                // SQLite's insert itself.
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO request (receivedAt, method, client, editor, workspace, durationMs, errorCode, errorMessage, connectionId, generation)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for e in batch {
                    try statement.execute(arguments: [e.receivedAt, e.method, e.client, e.editor, e.workspace, e.durationMs,
                                                      e.errorCode, e.errorMessage, e.connectionId, e.generation])
                }
            }
        } catch {
            logger.error("Could not write \(batch.count) request records: \(error)")
        }
    }
}
