import NIOConcurrencyHelpers

/// Lets at most `limit` holders in at once; others wait in arrival order. Waiting is cancellable.
public final class ConcurrencyLimiter: Sendable {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Void, Error>
    }

    private struct Storage {
        var inUse = 0
        var nextID: UInt64 = 0
        var waiters: [Waiter] = []
    }

    public let limit: Int
    private let storage = NIOLockedValueBox(Storage())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Holders now.
    public var inUse: Int { storage.withLockedValue { $0.inUse } }

    /// Callers waiting now.
    public var waiting: Int { storage.withLockedValue { $0.waiters.count } }

    /// Takes a place if one is free and nobody waits, without suspending; false otherwise. A
    /// `true` must be paired with one `release`.
    public func tryAcquire() -> Bool {
        storage.withLockedValue { storage in
            guard storage.inUse < limit, storage.waiters.isEmpty else { return false }
            storage.inUse += 1
            return true
        }
    }

    /// Waits for a place; throws `CancellationError` if the task is cancelled first.
    /// Every successful `acquire` must be paired with one `release`.
    public func acquire() async throws {
        let id = storage.withLockedValue { storage -> UInt64 in
            storage.nextID += 1
            return storage.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                storage.withLockedValue { storage in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else if storage.inUse < limit, storage.waiters.isEmpty {
                        storage.inUse += 1
                        continuation.resume()
                    } else {
                        storage.waiters.append(Waiter(id: id, continuation: continuation))
                    }
                }
            }
        } onCancel: {
            let cancelled = storage.withLockedValue { storage -> Waiter? in
                guard let index = storage.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return storage.waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Gives a place back, handing it to the longest waiter if any.
    public func release() {
        let next = storage.withLockedValue { storage -> Waiter? in
            if storage.waiters.isEmpty {
                storage.inUse = max(0, storage.inUse - 1)
                return nil
            }
            return storage.waiters.removeFirst()  // the place passes on: inUse is unchanged
        }
        next?.continuation.resume()
    }
}
