import Dispatch

/// Runs blocking work on a Dispatch thread instead of a thread of Swift's cooperative pool,
/// so that tests blocking on I/O never starve an in-process server's tasks.
public func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
