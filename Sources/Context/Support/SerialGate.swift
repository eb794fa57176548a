/// Runs async operations one at a time, in the order they arrived.
///
/// Actor methods are re-entrant across `await`; the index needs its
/// mutations (cold build, incremental updates) to never interleave, so each
/// one passes through this gate.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `operation` once every operation submitted before it finished.
    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await operation()
    }

    private func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
