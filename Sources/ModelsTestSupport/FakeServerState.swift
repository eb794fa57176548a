import NIOConcurrencyHelpers
import NIOCore

/// What the fake server has seen so far.
public struct FakeServerSnapshot: Sendable {
    /// Requests received, in order.
    public var requests: [RecordedRequest] = []
    /// Connections accepted so far.
    public var connectionsAccepted = 0
    /// Connections open now.
    public var openConnections = 0
    /// Responses the client abandoned by closing the connection before the response ended
    /// (what a cancelled or timed-out client does).
    public var responsesAbandonedByClient = 0
}

/// The fake server's shared state: scripts to play, what it has seen, and waiters for events.
final class FakeServerState: Sendable {
    typealias Responder = @Sendable (RecordedRequest) -> FakeResponse?

    private struct Waiter {
        var id: Int
        var predicate: @Sendable (FakeServerSnapshot) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct Inner {
        var snapshot = FakeServerSnapshot()
        var scripts: [FakeResponse] = []
        var fallback: FakeResponse?
        var responder: Responder?
        var waiters: [Waiter] = []
        var nextID = 0
        var channels: [ObjectIdentifier: any Channel] = [:]
        var paused: [@Sendable () -> Void] = []
        var resumeCredits = 0
    }

    private let inner = NIOLockedValueBox(Inner())

    var snapshot: FakeServerSnapshot { inner.withLockedValue { $0.snapshot } }

    func enqueue(_ responses: [FakeResponse]) {
        inner.withLockedValue { $0.scripts.append(contentsOf: responses) }
    }

    func setFallback(_ response: FakeResponse?) {
        inner.withLockedValue { $0.fallback = response }
    }

    func setResponder(_ responder: Responder?) {
        inner.withLockedValue { $0.responder = responder }
    }

    /// Records `request` and returns the script to answer it with.
    func receive(_ request: RecordedRequest) -> FakeResponse {
        let (queued, responder, fallback) = change { inner -> (FakeResponse?, Responder?, FakeResponse?) in
            inner.snapshot.requests.append(request)
            let queued = inner.scripts.isEmpty ? nil : inner.scripts.removeFirst()
            return (queued, inner.responder, inner.fallback)
        }
        if let queued { return queued }
        if let responder, let script = responder(request) { return script }
        return fallback ?? .status(500, body: #"{"error":{"message":"the fake server has no scripted response left"}}"#)
    }

    func opened(_ channel: any Channel) {
        change { inner in
            inner.snapshot.connectionsAccepted += 1
            inner.snapshot.openConnections += 1
            inner.channels[ObjectIdentifier(channel)] = channel
        }
    }

    func closed(_ channel: any Channel, abandonedResponse: Bool) {
        change { inner in
            inner.snapshot.openConnections -= 1
            if abandonedResponse { inner.snapshot.responsesAbandonedByClient += 1 }
            inner.channels[ObjectIdentifier(channel)] = nil
        }
    }

    /// Parks a response at a `waitForResume` step; `resume` runs when the test resumes it
    /// (at once if the test already did).
    func pause(_ resume: @escaping @Sendable () -> Void) {
        let now = inner.withLockedValue { inner -> Bool in
            if inner.resumeCredits > 0 {
                inner.resumeCredits -= 1
                return true
            }
            inner.paused.append(resume)
            return false
        }
        if now { resume() }
    }

    /// Lets the oldest paused response go on, or the next one to pause.
    func resume() {
        let next = inner.withLockedValue { inner -> (@Sendable () -> Void)? in
            if inner.paused.isEmpty {
                inner.resumeCredits += 1
                return nil
            }
            return inner.paused.removeFirst()
        }
        next?()
    }

    var openChannels: [any Channel] { inner.withLockedValue { Array($0.channels.values) } }

    /// Waits until `predicate` holds for the snapshot, or `timeout` passes (then returns false).
    func wait(timeout: Duration, until predicate: @escaping @Sendable (FakeServerSnapshot) -> Bool) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let id = inner.withLockedValue { inner -> Int? in
                if predicate(inner.snapshot) { return nil }
                inner.nextID += 1
                inner.waiters.append(Waiter(id: inner.nextID, predicate: predicate, continuation: continuation))
                return inner.nextID
            }
            guard let id else {
                continuation.resume(returning: true)
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                let expired = self.inner.withLockedValue { inner -> Waiter? in
                    guard let index = inner.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return inner.waiters.remove(at: index)
                }
                expired?.continuation.resume(returning: false)
            }
        }
    }

    /// Applies `body` to the state, then wakes the waiters whose condition now holds.
    @discardableResult
    private func change<Result>(_ body: (inout Inner) -> Result) -> Result {
        let (result, ready) = inner.withLockedValue { inner -> (Result, [Waiter]) in
            let result = body(&inner)
            let snapshot = inner.snapshot
            let ready = inner.waiters.filter { $0.predicate(snapshot) }
            inner.waiters.removeAll { waiter in ready.contains { $0.id == waiter.id } }
            return (result, ready)
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
        return result
    }
}
