import AidStore
import Dispatch
import Logging
import Models
import Synchronization

/// Writes model call records off the request path: `modelCallFinished` only appends to a
/// queue; a serial writer queue (its own thread, never one of Swift's cooperative pool) stores
/// what has queued in one transaction, `flushInterval` after the first record of a batch.
final class ModelCallLog: ModelCallObserver {
    private struct Pending {
        var records: [ModelCallRecord] = []
        /// Whether a write is scheduled.
        var scheduled = false
        var closed = false
    }
    private let pending = Mutex(Pending())
    private let store: ModelCallStore
    private let logger: Logger
    private let flushInterval: Double
    private let writes = DispatchQueue(label: "aid-model-call-log")

    init(store: AidStore, logger: Logger, flushInterval: Duration = .milliseconds(250)) {
        self.store = ModelCallStore(writer: store.database, logger: logger)
        self.logger = logger
        self.flushInterval = Double(flushInterval.components.seconds) + Double(flushInterval.components.attoseconds) * 1e-18
    }

    func modelCallFinished(_ record: ModelCallRecord) {
        let schedule = pending.withLock { pending -> Bool in
            guard !pending.closed else { return false }
            pending.records.append(record)
            defer { pending.scheduled = true }
            return !pending.scheduled
        }
        guard schedule else { return }
        writes.asyncAfter(deadline: .now() + flushInterval) { [self] in writeQueued() }
    }

    /// Stores every record queued so far; returns once they are in the database.
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            writes.async { [self] in
                writeQueued()
                continuation.resume()
            }
        }
    }

    /// Stores what is queued and refuses further records (before a restart or shutdown).
    func close() async {
        pending.withLock { $0.closed = true }
        await flush()
    }

    /// Runs on `writes`.
    private func writeQueued() {
        let batch = pending.withLock { pending -> [ModelCallRecord] in
            pending.scheduled = false
            defer { pending.records.removeAll(keepingCapacity: true) }
            return pending.records
        }
        guard !batch.isEmpty else { return }
        do {
            try store.insert(contentsOf: batch)
        } catch {
            logger.error("Could not write \(batch.count) model call records: \(error)")
        }
    }
}
