import Models
import Synchronization

/// Collects the records of the attempts of requests under way, so that a request's answer can
/// say how many calls it took, which arm it was in, and why each failed call failed.
final class ModelAttemptTracker: ModelCallObserver {
    private let attempts = Mutex<[String: [ModelCallRecord]]>([:])

    /// Starts collecting the records of request `id`.
    func begin(_ id: String) {
        attempts.withLock { $0[id] = [] }
    }

    /// Stops collecting for request `id`; returns its records in the order they ended.
    func end(_ id: String) -> [ModelCallRecord] {
        attempts.withLock { $0.removeValue(forKey: id) } ?? []
    }

    func modelCallFinished(_ record: ModelCallRecord) {
        attempts.withLock { attempts in
            guard attempts[record.requestID] != nil else { return }
            attempts[record.requestID]!.append(record)
        }
    }
}
