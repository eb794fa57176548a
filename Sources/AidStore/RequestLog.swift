import Foundation
import GRDB
import GRDBSQLite
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
                // One prepared statement for the batch, its values bound with SQLite's own calls:
                // GRDB's argument boxing cost twice SQLite's insert, and every answered request
                // comes through here.
                let statement = try db.cachedStatement(sql: """
                    INSERT INTO request (receivedAt, method, client, editor, workspace, durationMs, errorCode, errorMessage, connectionId, generation)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insert = statement.sqliteStatement
                defer { sqlite3_reset(insert) }
                for e in batch {
                    sqlite3_reset(insert)
                    sqlite3_bind_double(insert, 1, e.receivedAt)
                    Self.bind(e.method, to: insert, at: 2)
                    Self.bind(e.client, to: insert, at: 3)
                    Self.bind(e.editor, to: insert, at: 4)
                    Self.bind(e.workspace, to: insert, at: 5)
                    sqlite3_bind_double(insert, 6, e.durationMs)
                    if let code = e.errorCode { sqlite3_bind_int64(insert, 7, Int64(code)) } else { sqlite3_bind_null(insert, 7) }
                    Self.bind(e.errorMessage, to: insert, at: 8)
                    sqlite3_bind_int64(insert, 9, e.connectionId)
                    sqlite3_bind_int64(insert, 10, Int64(e.generation))
                    let code = sqlite3_step(insert)
                    guard code == SQLITE_DONE else {
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
                    }
                }
            }
        } catch {
            logger.error("Could not write \(batch.count) request records: \(error)")
        }
    }

    /// SQLite copies the text before the call returns (`SQLITE_TRANSIENT`).
    private static func bind(_ text: String?, to statement: OpaquePointer, at index: Int32) {
        guard var text else {
            sqlite3_bind_null(statement, index)
            return
        }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        text.withUTF8 { bytes in
            if let base = bytes.baseAddress, !bytes.isEmpty {
                _ = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                    sqlite3_bind_text(statement, index, $0, Int32(bytes.count), transient)
                }
            } else {
                _ = sqlite3_bind_text(statement, index, "", 0, transient)  // empty text, not NULL
            }
        }
    }
}
